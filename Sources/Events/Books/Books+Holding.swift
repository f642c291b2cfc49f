/// Which agency holds a thing of the books: the one question a clerk's scope is checked with.
extension Books {
    /// What an agency can hold: a plan, a task, or an allocation line.
    public enum Holding: Sendable, Hashable {
        case plan(PlanID)
        case task(TaskID)
        case line(decision: DecisionRef, task: TaskID)
    }

    /// The agency that holds `holding` on `date`; nil when the books do not know it.
    ///
    /// A plan, task or line stays with the agency it was recorded under until a succession of
    /// agencies takes effect; from its effective date on, the successor that received it holds it
    /// (chains followed). A line goes with its task.
    public func agency(holding: Holding, on date: BusinessDate) -> AgencyID? {
        switch holding {
        case .plan(let id):
            guard let plan = plans[id] else { return nil }
            return lineage.holder(ofPlan: plan.event.id, recordedUnder: plan.event.agency, on: date)
        case .task(let id):
            guard let task = tasks[id] else { return nil }
            return lineage.holder(of: task.event.id, recordedUnder: task.agency, on: date)
        case .line(let decision, let task):
            guard let line = line(decision: decision, task: task) else { return nil }
            return lineage.holder(of: line.task, recordedUnder: line.agency, on: date)
        }
    }
}
