/// An agency (cơ quan) that issues plans and receives allocations.
public struct AgencyRegistered: EventBody {
    public static let type = "agency.registered"
    /// 2: `province`.
    public static let version = 2

    /// Short id, e.g. `BDT`.
    public var id: AgencyID
    /// Full name, e.g. "Ban Dân tộc tỉnh Quảng Ngãi".
    public var name: String
    /// Free remarks.
    public var note: String?
    /// The province it belongs to (`ProvinceCode`); nil in records of version 1, which belong to
    /// the store's configured province.
    public var province: String?

    public init(id: AgencyID, name: String, note: String? = nil, province: String? = nil) {
        self.id = id
        self.name = name
        self.note = note
        self.province = province
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.string(id.text)
        w.key("name"); w.string(name)
        w.optional("note", note)
        w.optional("province", province)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        id = try ids.agency(body.string("id"))
        name = try body.text("name")
        note = try body.optionalText("note")
        if version >= 2, let code = try body.optionalString("province") { province = try ProvinceCode.check(code) }
    }
}
