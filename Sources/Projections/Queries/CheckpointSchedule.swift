import Events

/// The checkpoints in force, each set from the budget year it applies from.
public struct CheckpointSchedule: Sendable, Equatable {
    /// Sets of checkpoints and the first budget year each applies to, in ascending order.
    public var sets: [(fromYear: Int, checkpoints: [Checkpoint])]
    /// An alert raised more than this many days after its checkpoint's day is late (`[alerts]
    /// late_after_days`, default 30): the checkpoint passed long before its data was recorded, so
    /// the alert is recorded as history, not pushed as a fresh warning.
    public var lateAfterDays: Int = CheckpointSchedule.defaultLateAfterDays

    /// The default of `lateAfterDays`: a month, longer than any outage of the daemon is expected to be.
    public static let defaultLateAfterDays = 30

    public init(sets: [(fromYear: Int, checkpoints: [Checkpoint])]) {
        self.sets = sets.sorted { $0.fromYear < $1.fromYear }
    }

    /// The checkpoints for budget year `year`: the latest set that applies from `year` or before.
    public func checkpoints(for year: Int) -> [Checkpoint] {
        sets.last { $0.fromYear <= year }?.checkpoints ?? []
    }

    public static func == (a: CheckpointSchedule, b: CheckpointSchedule) -> Bool {
        a.lateAfterDays == b.lateAfterDays && a.sets.count == b.sets.count && zip(a.sets, b.sets).allSatisfy { $0.fromYear == $1.fromYear && $0.checkpoints == $1.checkpoints }
    }
}
