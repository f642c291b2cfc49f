import Events

/// The daemon's clock as query answers carry it: `today` (its business day in
/// Asia/Ho_Chi_Minh) and `simulated` (a dry run started with `trackerd --now`); and, from a
/// daemon that only reads its store (`trackerd --read-only`), `read_only: true`.
public struct ClockReading: Sendable, Equatable {
    public var today: BusinessDate
    public var simulated: Bool
    /// Whether the daemon only reads its store: it appends nothing and raises no alerts.
    public var readOnly: Bool

    public init(today: BusinessDate, simulated: Bool, readOnly: Bool = false) {
        self.today = today
        self.simulated = simulated
        self.readOnly = readOnly
    }

    /// Writes `today`, `simulated` and (only when true) `read_only` into an open result object.
    public func encode(to w: inout JSONWriter) {
        w.key("today"); w.string(today.description)
        w.key("simulated"); w.bool(simulated)
        if readOnly { w.key("read_only"); w.bool(true) }
    }

    /// Reads `today`, `simulated` and `read_only` (false when absent) from an answer.
    public init(in result: JSONObject) throws(TrackerError) {
        let readOnly: Bool
        if case .bool(let value)? = result["read_only"] { readOnly = value } else { readOnly = false }
        self.init(today: try result.date("today"), simulated: try result.bool("simulated"), readOnly: readOnly)
    }
}
