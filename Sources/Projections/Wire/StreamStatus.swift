import Events

/// Where the daemon's publishing to JetStream stands, as `hello` carries it (`"stream":{…}`):
/// present only when `[stream]` is configured.
///
///     "stream":{"subject":"tracker.QNG.5f0c…","published":1200,"backlog":35,"connected":true}
public struct StreamStatus: Sendable, Equatable {
    /// The subject the store's records go to (`PREFIX.PROVINCE.STORE`).
    public var subject: String
    /// The last seq the stream has acknowledged (0: none yet).
    public var published: UInt64
    /// Durable records not yet acknowledged by the stream.
    public var backlog: UInt64
    /// Whether the daemon is connected to a NATS server now.
    public var connected: Bool
    /// Why publishing stopped for good (someone else wrote on the subject), until an operator acts.
    public var alarm: String?
    /// The last error met while connecting or publishing (it retries), if any.
    public var lastError: String?

    public init(subject: String, published: UInt64, backlog: UInt64, connected: Bool, alarm: String? = nil, lastError: String? = nil) {
        self.subject = subject
        self.published = published
        self.backlog = backlog
        self.connected = connected
        self.alarm = alarm
        self.lastError = lastError
    }

    /// Writes `"stream":{…}` into an open object.
    public func encode(to w: inout JSONWriter) {
        w.key("stream")
        w.beginObject()
        w.key("subject"); w.string(subject)
        w.key("published"); w.int(Int64(published))
        w.key("backlog"); w.int(Int64(backlog))
        w.key("connected"); w.bool(connected)
        if let alarm { w.key("alarm"); w.string(alarm) }
        if let lastError { w.key("last_error"); w.string(lastError) }
        w.endObject()
    }

    /// Reads the `stream` member of an answer; nil when there is none.
    public init?(in result: JSONObject) throws(TrackerError) {
        guard let object = try result.optionalObject("stream") else { return nil }
        let published = try object.int("published")
        let backlog = try object.int("backlog")
        guard published >= 0, backlog >= 0 else { throw TrackerError(.badRequest, "the daemon's stream state has a negative count") }
        self.init(subject: try object.string("subject"), published: UInt64(published), backlog: UInt64(backlog),
                  connected: try object.bool("connected"), alarm: try object.optionalString("alarm"),
                  lastError: try object.optionalString("last_error"))
    }
}
