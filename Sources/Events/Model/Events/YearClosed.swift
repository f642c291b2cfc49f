/// A budget year closed once its settlement (quyết toán) is approved, or reopened by a recorded
/// decision: while closed, nothing that would change the year's figures is recorded.
public struct YearClosed: EventBody {
    public static let type = "year.closed"
    public static let version = 1

    public var year: Int
    /// The decision approving the settlement (or, when `reopened`, the one reopening the year).
    public var decision: String
    public var date: BusinessDate
    /// True for a reopening (a correction of a closed year needs one first).
    public var reopened: Bool
    public var reason: String?

    public init(year: Int, decision: String, date: BusinessDate, reopened: Bool = false, reason: String? = nil) {
        self.year = year
        self.decision = decision
        self.date = date
        self.reopened = reopened
        self.reason = reason
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("year"); w.int(year)
        w.key("decision"); w.string(decision)
        w.key("date"); w.string(date.description)
        if reopened { w.key("reopened"); w.bool(true) }
        w.optional("reason", reason)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        year = try body.fiscalYear("year")
        decision = try body.text("decision")
        date = try body.date("date")
        reopened = try body.optionalBool("reopened")
        reason = try body.optionalText("reason")
    }
}
