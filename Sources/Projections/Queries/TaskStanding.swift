import Events

/// One task's standing on the query date.
public struct TaskStanding: Sendable, Equatable {
    public var task: String
    public var name: String
    public var agency: String
    public var plan: String
    public var status: TaskStatus
    /// When the task entered `status`.
    public var statusDate: BusinessDate
    public var deadline: BusinessDate
    public var outcome: TaskOutcome
    /// Days past the deadline (overdue tasks), or days late (completed late).
    public var daysLate: Int?
    /// Allocated and disbursed on the task's lines, in scope.
    public var allocated: Money
    public var disbursed: Money
    public var unit: String?

    public init(task: String, name: String, agency: String, plan: String, status: TaskStatus, statusDate: BusinessDate, deadline: BusinessDate,
                outcome: TaskOutcome, daysLate: Int?, allocated: Money, disbursed: Money, unit: String?) {
        self.task = task
        self.name = name
        self.agency = agency
        self.plan = plan
        self.status = status
        self.statusDate = statusDate
        self.deadline = deadline
        self.outcome = outcome
        self.daysLate = daysLate
        self.allocated = allocated
        self.disbursed = disbursed
        self.unit = unit
    }
}
