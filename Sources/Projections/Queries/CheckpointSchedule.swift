import Events

/// The checkpoints in force, each set from the budget year it applies from.
public struct CheckpointSchedule: Sendable, Equatable {
    /// Sets of checkpoints and the first budget year each applies to, in ascending order.
    public var sets: [(fromYear: Int, checkpoints: [Checkpoint])]

    public init(sets: [(fromYear: Int, checkpoints: [Checkpoint])]) {
        self.sets = sets.sorted { $0.fromYear < $1.fromYear }
    }

    /// The checkpoints for budget year `year`: the latest set that applies from `year` or before.
    public func checkpoints(for year: Int) -> [Checkpoint] {
        sets.last { $0.fromYear <= year }?.checkpoints ?? []
    }

    public static func == (a: CheckpointSchedule, b: CheckpointSchedule) -> Bool {
        a.sets.count == b.sets.count && zip(a.sets, b.sets).allSatisfy { $0.fromYear == $1.fromYear && $0.checkpoints == $1.checkpoints }
    }
}
