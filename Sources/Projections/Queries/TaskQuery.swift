import Events

/// Filters for task listings.
public struct TaskQuery: Sendable, Equatable {
    public var scope: QueryScope
    public var agency: AgencyID?
    public var plan: PlanID?
    /// Text to find in the task's id, name, objective or unit (insensitive to case, diacritics, đ/Đ).
    public var search: String?
    /// Only tasks with this outcome.
    public var outcome: TaskOutcome?

    public init(scope: QueryScope, agency: AgencyID? = nil, plan: PlanID? = nil, search: String? = nil, outcome: TaskOutcome? = nil) {
        self.scope = scope
        self.agency = agency
        self.plan = plan
        self.search = search
        self.outcome = outcome
    }
}
