/// A carry-over decision (chuyển nguồn): unspent money of one budget year moved to the next, as new
/// allocation lines of its own, each linked to the line it came from.
public struct FundsCarriedOver: EventBody {
    public static let type = "funds.carried_over"
    public static let version = 1

    /// The carry-over decision's number; the new lines are under it.
    public var decision: DecisionRef
    /// The signing date.
    public var signed: BusinessDate
    /// The decision the money comes from.
    public var from: DecisionRef
    /// The budget year the money moves to (the original's year + 1).
    public var fiscalYear: Int
    /// The recipient agency (the original decision's).
    public var agency: AgencyID
    /// One line per task: how much of its original line moves.
    public var lines: [AllocationLine]
    /// Free remarks (the legal ground: equipment contracted before 31/12, an extended programme…).
    public var note: String?

    public init(decision: DecisionRef, signed: BusinessDate, from: DecisionRef, fiscalYear: Int, agency: AgencyID,
                lines: [AllocationLine], note: String? = nil) {
        self.decision = decision
        self.signed = signed
        self.from = from
        self.fiscalYear = fiscalYear
        self.agency = agency
        self.lines = lines
        self.note = note
    }

    /// The sum of the lines.
    public var total: Money { lines.reduce(Money.zero) { $0 + $1.amount } }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("decision"); w.string(decision.text)
        w.key("signed"); w.string(signed.description)
        w.key("from"); w.string(from.text)
        w.key("year"); w.int(fiscalYear)
        w.key("agency"); w.string(agency.text)
        w.key("lines")
        AllocationLine.encode(lines, to: &w)
        w.optional("note", note)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        decision = try ids.decision(body.string("decision"))
        signed = try body.date("signed")
        from = try ids.decision(body.string("from"))
        fiscalYear = try body.fiscalYear("year")
        agency = try ids.agency(body.string("agency"))
        lines = try AllocationLine.list(from: body.array("lines"), ids: &ids)
        note = try body.optionalText("note")
    }
}
