import Events

/// The one request shape of `log`: where to start (`from`, or the last `tail` records), how many
/// records a page holds at most (`limit`), which records (`LogFilter`'s fields), and whether to
/// go on streaming new records as they become durable (`follow`).
///
///     {"op":"log","from":1,"limit":1000}
///     {"op":"log","from":120,"agency":"BDT","type":"disbursement.recorded"}
///     {"op":"log","from":5001,"follow":true}
///
/// A page answers `records`, `count`, `head` and, when records are left before that head, `next`:
/// the seq after the last record looked at (with filters, records looked at and passed over count
/// too). A follow answers `{"following":true,"store":…,"province":…,"from":…,"head":…}`, then one
/// line per record as stored, wrapped in the envelope
/// `{"id":…,"stream":"log","store":…,"seq":…,"record":<the stored bytes>}`, and, after records
/// passed over by the filters, `{"id":…,"stream":"log","next":SEQ}` so a follower that reconnects
/// starts after them.
public struct LogRequest: Sendable, Equatable {
    /// The first seq wanted (default 1).
    public var from: UInt64 = 1
    /// The last N records instead of `from` (not with `follow`).
    public var tail: UInt64?
    /// Records per page (1–100000; default 1000). A follow sends as many as the client reads.
    public var limit: Int = 1000
    public var filter = LogFilter()
    public var follow = false

    /// The largest `limit`.
    public static let limitRange = 1...100_000

    public init(from: UInt64 = 1, tail: UInt64? = nil, limit: Int = 1000, filter: LogFilter = LogFilter(), follow: Bool = false) {
        self.from = from
        self.tail = tail
        self.limit = limit
        self.filter = filter
        self.follow = follow
    }

    /// Reads a `log` request, refusing any field it does not take and any value out of range.
    public init(request: JSONObject) throws(TrackerError) {
        try request.rejectUnknownKeys(["from", "tail", "limit", "follow"] + LogFilter.fieldNames, envelope: true, in: "log request")
        let limit = try request.optionalInt("limit") ?? 1000
        guard Self.limitRange.contains(Int(clamping: limit)) else {
            throw TrackerError(.invalidArgument, "'limit' must be \(Self.limitRange.lowerBound)–\(Self.limitRange.upperBound), got \(limit)")
        }
        self.limit = Int(limit)
        if let from = try request.optionalInt("from") {
            guard from >= 1 else { throw TrackerError(.invalidArgument, "'from' must be a seq from 1, got \(from)") }
            self.from = UInt64(from)
        }
        if let tail = try request.optionalInt("tail") {
            guard tail >= 1 else { throw TrackerError(.invalidArgument, "'tail' must be at least 1") }
            guard request["from"] == nil || request["from"] == .null else {
                throw TrackerError(.invalidArgument, "give 'from' or 'tail', not both")
            }
            self.tail = UInt64(tail)
        }
        follow = try request.optionalBool("follow")
        filter = try LogFilter(request: request)
    }

    /// Writes the request's fields into an open request object.
    public func encode(to w: inout JSONWriter) {
        if let tail { w.key("tail"); w.int(Int64(tail)) } else { w.key("from"); w.int(Int64(from)) }
        w.key("limit"); w.int(Int64(limit))
        filter.encode(to: &w)
        if follow { w.key("follow"); w.bool(true) }
    }
}
