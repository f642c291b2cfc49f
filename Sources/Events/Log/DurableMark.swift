/// A durable mark: proof, kept outside the log's segments, that the log once reached a record.
///
/// The log alone cannot tell a clean cut at a record boundary from a log that never went further.
/// A mark can: opening a store whose log ends before one of its marks, or holds another record at
/// a mark's seq, is refused (see `LogStore.open`). Marks come from the head mark file (`HeadMark`)
/// and from snapshots, whose tags prove they were written by this store.
public struct DurableMark: Sendable, Equatable {
    /// The record the log reached.
    public var position: LogPosition
    /// The file that proves it.
    public var path: String
    /// What the file is, for messages ("the snapshot …", "the head mark … (written …)").
    public var source: String

    public init(position: LogPosition, path: String, source: String) {
        self.position = position
        self.path = path
        self.source = source
    }
}
