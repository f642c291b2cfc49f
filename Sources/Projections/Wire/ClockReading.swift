import Events

/// The daemon's clock as query answers carry it: `today` (its business day in
/// Asia/Ho_Chi_Minh) and `simulated` (a dry run started with `trackerd --now`).
public struct ClockReading: Sendable, Equatable {
    public var today: BusinessDate
    public var simulated: Bool

    public init(today: BusinessDate, simulated: Bool) {
        self.today = today
        self.simulated = simulated
    }

    /// Writes `today` and `simulated` into an open result object.
    public func encode(to w: inout JSONWriter) {
        w.key("today"); w.string(today.description)
        w.key("simulated"); w.bool(simulated)
    }

    /// Reads `today` and `simulated` from an answer.
    public init(in result: JSONObject) throws(TrackerError) {
        self.init(today: try result.date("today"), simulated: try result.bool("simulated"))
    }
}
