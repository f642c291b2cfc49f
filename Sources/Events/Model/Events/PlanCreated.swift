/// A plan (kế hoạch) issued by an agency.
public struct PlanCreated: EventBody {
    public static let type = "plan.created"
    public static let version = 1

    /// The plan's document number (`560/KH-BDT`), or a name for an unnumbered draft (`BDT-2023`).
    public var id: PlanID
    /// The issuing agency.
    public var agency: AgencyID
    /// The plan's title.
    public var title: String
    /// The date on the document (where the document gives no day, the note says which day was taken).
    public var issued: BusinessDate
    /// The budget years the plan covers.
    public var period: YearSpan
    /// Free remarks, including where the document is ambiguous.
    public var note: String?

    public init(id: PlanID, agency: AgencyID, title: String, issued: BusinessDate, period: YearSpan, note: String? = nil) {
        self.id = id
        self.agency = agency
        self.title = title
        self.issued = issued
        self.period = period
        self.note = note
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.string(id.text)
        encodeMembersAfterID(to: &w)
        w.endObject()
    }

    /// Writes the body's members after `id` into an open object (the `plan.create` request,
    /// which names the plan `plan`).
    func encodeMembersAfterID(to w: inout JSONWriter) {
        w.key("agency"); w.string(agency.text)
        w.key("title"); w.string(title)
        w.key("issued"); w.string(issued.description)
        w.key("period"); w.string("\(period.first)-\(period.last)")
        w.optional("note", note)
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        id = try ids.plan(body.string("id"))
        agency = try ids.agency(body.string("agency"))
        title = try body.text("title")
        issued = try body.date("issued")
        period = try YearSpan.parse(body.string("period"))
        note = try body.optionalText("note")
    }
}
