import Events

/// The answer to `head`: the log's last record and the daemon's clock.
///
///     {"head":{"seq":200000,"hash":"…"},"today":"2023-11-30","simulated":false,"store_id":"5f0c…"}
public struct HeadAnswer: Sendable, Equatable {
    public var head: LogHead
    public var clock: ClockReading
    /// The store's stable id (`store.id`), nil from a daemon before ids.
    public var storeID: String?

    public init(head: LogHead, clock: ClockReading, storeID: String? = nil) {
        self.head = head
        self.clock = clock
        self.storeID = storeID
    }

    /// Writes the answer's members into an open result object.
    public func encode(to w: inout JSONWriter) {
        head.encode(to: &w)
        clock.encode(to: &w)
        if let storeID { w.key("store_id"); w.string(storeID) }
    }

    /// Reads a `head` answer.
    public init(result: JSONObject) throws(TrackerError) {
        self.init(head: try LogHead(in: result), clock: try ClockReading(in: result), storeID: try result.optionalString("store_id"))
    }
}
