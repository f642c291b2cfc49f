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
    /// Today every plan, task and line stays with the agency it was recorded under; a succession
    /// of agencies, when recorded, answers here with the successor from its effective date on.
    public func agency(holding: Holding, on date: BusinessDate) -> AgencyID? {
        switch holding {
        case .plan(let id): plans[id]?.event.agency
        case .task(let id): tasks[id]?.agency
        case .line(let decision, let task): line(decision: decision, task: task)?.agency
        }
    }
}
