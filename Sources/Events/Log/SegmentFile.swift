/// One segment file of the log: records from `firstSeq` on, named `log/<firstSeq, 20 digits>.ndjson`.
public struct SegmentFile: Sendable, Equatable {
    /// The sequence number of the segment's first record.
    public let firstSeq: UInt64
    /// The file's path.
    public let path: String

    /// The file name for a segment starting at `firstSeq`.
    public static func name(firstSeq: UInt64) -> String {
        let digits = String(firstSeq)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".ndjson"
    }

    /// The segments in `logDirectory`, in order. Other files are ignored.
    public static func list(in logDirectory: String) throws(Errno) -> [SegmentFile] {
        var segments: [SegmentFile] = []
        for name in try FileSystem.list(logDirectory) where name.hasSuffix(".ndjson") && name.count == 27 {
            guard let first = UInt64(name.prefix(20)), first >= 1 else { continue }
            segments.append(SegmentFile(firstSeq: first, path: logDirectory + "/" + name))
        }
        return segments.sorted { $0.firstSeq < $1.firstSeq }
    }
}

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
