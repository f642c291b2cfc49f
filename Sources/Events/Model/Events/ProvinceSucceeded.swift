/// A succession of provinces (Nghị quyết 202/2025/QH15: Kon Tum into Quảng Ngãi from 01/07/2025):
/// from its effective date, the agencies of `from` belong to `to`.
public struct ProvinceSucceeded: EventBody {
    public static let type = "province.succeeded"
    public static let version = 1

    public var from: String
    public var to: String
    public var effective: BusinessDate
    /// The document that ordered it.
    public var decision: String
    public var note: String?

    public init(from: String, to: String, effective: BusinessDate, decision: String, note: String? = nil) {
        self.from = from
        self.to = to
        self.effective = effective
        self.decision = decision
        self.note = note
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        encodeMembers(to: &w)
        w.endObject()
    }

    func encodeMembers(to w: inout JSONWriter) {
        w.key("from"); w.string(from)
        w.key("to"); w.string(to)
        w.key("effective"); w.string(effective.description)
        w.key("decision"); w.string(decision)
        w.optional("note", note)
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        from = try ProvinceCode.check(body.string("from"))
        to = try ProvinceCode.check(body.string("to"))
        effective = try body.date("effective")
        decision = try body.text("decision")
        note = try body.optionalText("note")
    }
}
