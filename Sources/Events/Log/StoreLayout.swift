/// The layout of a store directory.
public struct StoreLayout: Sendable {
    /// The store directory.
    public let directory: String
    public init(directory: String) { self.directory = directory }
    /// Where segments live.
    public var log: String { directory + "/log" }
    /// The file naming the running daemon's pid. The lock itself is on the store directory
    /// (`LogStore`), so deleting this file does not let a second daemon in.
    public var lock: String { directory + "/LOCK" }
    /// The store's secret key (mode 0600), which tags snapshots and the head mark (`StoreKey`).
    public var key: String { directory + "/store.key" }
    /// The store's stable id (`StoreID`), made at its first start.
    public var id: String { directory + "/store.id" }
    /// The last durable record the daemon saw, tagged (`HeadMark`).
    public var headMark: String { directory + "/head.mark" }
    /// Where snapshots of the projections live.
    public var snapshots: String { directory + "/snapshots" }
    /// Where bytes cut from a torn tail are kept for inspection.
    public var quarantine: String { directory + "/quarantine" }
}
