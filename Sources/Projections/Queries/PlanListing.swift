import Events

/// One plan as listed by `trackctl plans`.
public struct PlanSummary: Sendable, Equatable {
    public var id: String
    public var agency: String
    public var title: String
    public var issued: BusinessDate
    public var period: String
    public var taskCount: Int
    /// Sum of what the plan asks for its tasks (nil when no task states an amount).
    public var planned: Money?
    public var note: String?

    public init(id: String, agency: String, title: String, issued: BusinessDate, period: String, taskCount: Int, planned: Money?, note: String?) {
        self.id = id
        self.agency = agency
        self.title = title
        self.issued = issued
        self.period = period
        self.taskCount = taskCount
        self.planned = planned
        self.note = note
    }
}

extension Ledger {
    /// The plans in scope, by agency, in the order recorded; optionally one agency's, or those matching `search`.
    public func plans(scope: QueryScope, agency: AgencyID? = nil, search: String? = nil) throws(TrackerError) -> [PlanSummary] {
        if let agency, agencies[agency] == nil { throw TrackerError(.notFound, "agency \(agency) is not registered") }
        var result: [PlanSummary] = []
        for agencyID in agencyOrder where agency == nil || agency == agencyID {
            for planID in agencies[agencyID]?.plans ?? [] {
                guard let plan = plans[planID], plan.seq <= scope.throughSeq, plan.event.issued <= scope.asOf else { continue }
                if let search, !Text.matches(plan.event.id.text + "\n" + plan.event.title, search) { continue }
                var planned: Money? = nil
                var count = 0
                for taskID in plan.tasks {
                    guard let stored = tasks[taskID], stored.seq <= scope.throughSeq else { continue }
                    let task = self.task(stored, in: scope)
                    count += 1
                    if let amount = task.event.planned { planned = try (planned ?? .zero).plus(amount, "the planned money of plan \(plan.event.id)") }
                }
                result.append(PlanSummary(id: plan.event.id.text, agency: plan.event.agency.text, title: plan.event.title,
                                          issued: plan.event.issued, period: plan.event.period.description, taskCount: count,
                                          planned: planned, note: plan.event.note))
            }
        }
        return result
    }
}
