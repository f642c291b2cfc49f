/// One record of the log: a fact with its place in the chain.
///
/// On disk it is one line of JSON, keys in this order (see docs/architecture.md):
/// `{"seq":…,"time":"…","actor":{"uid":…,"name":"…"},"type":"…","v":…,"body":{…},"prev":"…","hash":"…"}`
/// `hash` is SHA-256 over the 64 hex characters of `prev` followed by the exact bytes of the line
/// from `{` up to (not including) `,"hash":`.
public struct Record: Sendable, Equatable {
    /// Global sequence number, from 1, without gaps.
    public let seq: UInt64
    /// When the record reached the log (UTC).
    public let time: Timestamp
    /// Who caused it.
    public let actor: Actor
    /// The fact.
    public let event: Event
    /// The previous record's hash (all zeros for the first record).
    public let prev: SHA256Digest
    /// This record's hash.
    public let hash: SHA256Digest

    public init(seq: UInt64, time: Timestamp, actor: Actor, event: Event, prev: SHA256Digest, hash: SHA256Digest) {
        self.seq = seq
        self.time = time
        self.actor = actor
        self.event = event
        self.prev = prev
        self.hash = hash
    }
}
