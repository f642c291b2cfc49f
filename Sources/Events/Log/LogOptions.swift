import Foundation
import Glibc

/// Options for the file log.
public struct LogOptions: Sendable {
    /// Bytes preallocated per segment; a new segment starts when the next batch would not fit.
    public var segmentBytes: Int64 = 64 << 20
    /// How many records at the end of the log are fully re-hashed at open.
    public var tailRecordsChecked = 256
    /// The seq the operator accepts the log ends at, although a durable mark proves it reached
    /// further or held other records (`trackerd --accept-log-end SEQ`); nil refuses such a log.
    public var acceptLogEnd: UInt64?
    public init() {}
}
