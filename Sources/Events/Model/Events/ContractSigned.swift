/// A contract for a task (hợp đồng): who does the work, since when, for how much, and how the
/// contractor was chosen (chỉ định thầu, đấu thầu). Reports show it beside the task's line.
public struct ContractSigned: EventBody {
    public static let type = "contract.signed"
    public static let version = 1

    /// The task the contract is for.
    public var task: TaskID
    /// The contractor (nhà thầu, đơn vị thực hiện); nil when the documents do not name one.
    public var contractor: String?
    /// The business date the contract was signed (or the procurement step finished).
    public var date: BusinessDate
    /// The contract's value; nil when the documents do not give it.
    public var value: Money?
    /// The contract's number (số hợp đồng), if known.
    public var number: String?
    /// How the contractor was chosen: `chi-dinh-thau`, `dau-thau`, or other free text.
    public var procurement: String?
    /// Free remarks, including the document's own words.
    public var note: String?

    public init(task: TaskID, contractor: String?, date: BusinessDate, value: Money?, number: String? = nil, procurement: String? = nil,
                note: String? = nil) {
        self.task = task
        self.contractor = contractor
        self.date = date
        self.value = value
        self.number = number
        self.procurement = procurement
        self.note = note
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("task"); w.string(task.description)
        w.optional("contractor", contractor)
        w.key("date"); w.date(date)
        if let value { w.key("value"); w.int(value.dong) }
        w.optional("number", number)
        w.optional("procurement", procurement)
        w.optional("note", note)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        task = try ids.task(body.string("task"))
        contractor = try body.optionalText("contractor")
        date = try body.date("date")
        value = try body.optionalMoney("value")
        number = try body.optionalText("number")
        procurement = try body.optionalText("procurement")
        note = try body.optionalText("note")
    }
}
