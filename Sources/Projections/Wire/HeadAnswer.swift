import Events

/// The answer to `head`: the log's last record and the daemon's clock.
///
///     {"head":{"seq":200000,"hash":"…"},"today":"2023-11-30","simulated":false}
public struct HeadAnswer: Sendable, Equatable {
    public var head: LogHead
    public var clock: ClockReading

    public init(head: LogHead, clock: ClockReading) {
        self.head = head
        self.clock = clock
    }

    /// Writes the answer's members into an open result object.
    public func encode(to w: inout JSONWriter) {
        head.encode(to: &w)
        clock.encode(to: &w)
    }

    /// Reads a `head` answer.
    public init(result: JSONObject) throws(TrackerError) {
        self.init(head: try LogHead(in: result), clock: try ClockReading(in: result))
    }
}
