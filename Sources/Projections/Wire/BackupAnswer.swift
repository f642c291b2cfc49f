import Events
import Foundation

/// The answer to `backup`: where the copy is, what it holds, through which record.
///
///     {"directory":"/srv/backup/2023-11-30","segments":3,"bytes":1234567,"head":{…},"seconds":0.412}
public struct BackupAnswer: Sendable, Equatable {
    public var directory: String
    /// Segment files copied.
    public var segments: Int
    /// Bytes of records copied.
    public var bytes: Int64
    /// The last record copied.
    public var head: LogHead
    /// How long the copy took.
    public var seconds: Double

    public init(directory: String, segments: Int, bytes: Int64, head: LogHead, seconds: Double) {
        self.directory = directory
        self.segments = segments
        self.bytes = bytes
        self.head = head
        self.seconds = seconds
    }

    /// Writes the answer's members into an open result object.
    public func encode(to w: inout JSONWriter) {
        w.key("directory"); w.string(directory)
        w.key("segments"); w.int(segments)
        w.key("bytes"); w.int(bytes)
        head.encode(to: &w)
        w.key("seconds"); w.number(String(format: "%.3f", seconds))
    }

    /// Reads a backup's answer.
    public init(result: JSONObject) throws(TrackerError) {
        let seconds: Double
        switch result["seconds"] {
        case .int(let whole)?: seconds = Double(whole)
        case .number(let text)?: seconds = Double(text) ?? 0
        default: seconds = 0
        }
        self.init(directory: try result.string("directory"), segments: Int(try result.int("segments")), bytes: try result.int("bytes"),
                  head: try LogHead(in: result), seconds: seconds)
    }
}
