/// Money that lapsed (hủy dự toán): what remained on allocation lines after the year's deadline
/// (31/01 of the next year) without being disbursed or carried over.
public struct FundsLapsed: EventBody {
    public static let type = "funds.lapsed"
    /// 2: its decisions in their long form, `569/QĐ-UBND@QNG/2023` (`DocumentKey`); a version-1 record may name a
    /// number alone, resolved when read (`DecisionNumbers.canonical`).
    public static let version = 2

    /// The decision whose lines lapse.
    public var decision: DecisionRef
    /// The business date of the cancellation.
    public var date: BusinessDate
    /// The amount lapsing on each line (what remained).
    public var lines: [AllocationLine]
    /// Why (the decision or letter that cancels it).
    public var reason: String

    public init(decision: DecisionRef, date: BusinessDate, lines: [AllocationLine], reason: String) {
        self.decision = decision
        self.date = date
        self.lines = lines
        self.reason = reason
    }

    /// The sum of the lines.
    public var total: Money { lines.reduce(Money.zero) { $0 + $1.amount } }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("decision"); w.string(decision.text)
        w.key("date"); w.string(date.description)
        w.key("lines")
        AllocationLine.encode(lines, to: &w)
        w.key("reason"); w.string(reason)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        decision = try ids.decision(body.string("decision"))
        date = try body.date("date")
        lines = try AllocationLine.list(from: body.array("lines"), ids: &ids)
        reason = try body.text("reason")
    }
}
