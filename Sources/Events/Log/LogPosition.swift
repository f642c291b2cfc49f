/// A record's position: the end of the record with sequence number `seq`.
public struct LogPosition: Sendable, Equatable, CustomStringConvertible {
    /// The last record's sequence number (0 for an empty log).
    public var seq: UInt64
    /// The last record's hash (zero for an empty log).
    public var hash: SHA256Digest
    /// The first sequence number of the segment holding it.
    public var segment: UInt64
    /// Byte offset just past the record's newline within that segment.
    public var offset: Int64

    public init(seq: UInt64, hash: SHA256Digest, segment: UInt64, offset: Int64) {
        self.seq = seq
        self.hash = hash
        self.segment = segment
        self.offset = offset
    }

    /// The position of an empty log.
    public static let empty = LogPosition(seq: 0, hash: .zero, segment: 1, offset: 0)

    public var description: String { "seq \(seq) (\(hash.hex.prefix(16))…)" }
}
