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
