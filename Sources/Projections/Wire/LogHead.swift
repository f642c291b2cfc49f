import Events

/// The log's head as answers carry it: `"head":{"seq":…,"hash":"…"}` (seq 0 and a zero hash for
/// an empty log).
public struct LogHead: Sendable, Equatable {
    /// The last record's seq.
    public var seq: UInt64
    /// The last record's hash.
    public var hash: SHA256Digest

    public init(seq: UInt64, hash: SHA256Digest) {
        self.seq = seq
        self.hash = hash
    }

    /// The head of a position in the log.
    public init(_ position: LogPosition) {
        self.init(seq: position.seq, hash: position.hash)
    }

    /// Writes `"head":{…}` into an open object.
    public func encode(to w: inout JSONWriter) {
        w.key("head")
        w.beginObject()
        w.key("seq"); w.int(Int64(seq))
        w.key("hash"); w.string(hash.hex)
        w.endObject()
    }

    /// Reads the `head` member of an answer.
    public init(in result: JSONObject) throws(TrackerError) {
        let head = try result.object("head")
        let seq = try head.int("seq")
        guard seq >= 0, let hash = SHA256Digest(hex: try head.string("hash")) else {
            throw TrackerError(.badRequest, "the daemon's answer has no valid head (seq and 64 hex characters of hash)")
        }
        self.init(seq: UInt64(seq), hash: hash)
    }
}
