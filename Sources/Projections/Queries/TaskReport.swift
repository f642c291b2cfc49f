import Events

/// Tasks with their standing.
public struct TaskReport: Sendable, Equatable {
    public var asOf: BusinessDate
    public var throughSeq: UInt64
    public var tasks: [TaskStanding]
    /// How many tasks fall in each outcome (of those listed).
    public var counts: [TaskOutcome: Int] {
        var counts: [TaskOutcome: Int] = [:]
        for task in tasks { counts[task.outcome, default: 0] += 1 }
        return counts
    }

    public init(asOf: BusinessDate, throughSeq: UInt64, tasks: [TaskStanding]) {
        self.asOf = asOf
        self.throughSeq = throughSeq
        self.tasks = tasks
    }
}
