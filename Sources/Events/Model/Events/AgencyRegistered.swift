/// An agency (cơ quan) that issues plans and receives allocations.
public struct AgencyRegistered: EventBody {
    public static let type = "agency.registered"
    public static let version = 1

    /// Short id, e.g. `BDT`.
    public var id: AgencyID
    /// Full name, e.g. "Ban Dân tộc tỉnh Quảng Ngãi".
    public var name: String
    /// Free remarks.
    public var note: String?

    public init(id: AgencyID, name: String, note: String? = nil) {
        self.id = id
        self.name = name
        self.note = note
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.string(id.text)
        w.key("name"); w.string(name)
        w.optional("note", note)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        id = try ids.agency(body.string("id"))
        name = try body.text("name")
        note = try body.optionalText("note")
    }
}
