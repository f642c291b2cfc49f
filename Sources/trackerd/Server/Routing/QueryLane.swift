import Events

/// Which threads answer a query: the event loop runs each lane's jobs in turn between
/// connections, a fixed number at once (`EventLoop.schedule`). Which operations go on which lane
/// is in `WireOperation`'s table.
enum QueryLane: Int, CaseIterable {
    /// Queries over the live ledger (`status`, `tasks`, `overdue`, `plans`, `alerts`) and the
    /// decoding of an import: they never wait behind a heavy one.
    case light
    /// Queries that read the log's files (`verify`, `log`, `backup`): seconds on a large store.
    case heavy

    /// The lane of operations answered by `queue`; nil for the loop, the writer and streams.
    init?(_ queue: WireOperation.Queue) {
        switch queue {
        case .lightLane: self = .light
        case .heavyLane: self = .heavy
        case .loop, .writer, .follow: return nil
        }
    }
}
