/// A disbursement (giải ngân): money paid out against one allocation line.
public struct DisbursementRecorded: EventBody {
    public static let type = "disbursement.recorded"
    /// 2: its decisions in their long form, `569/QĐ-UBND@QNG/2023` (`DocumentKey`); a version-1 record may name a
    /// number alone, resolved when read (`DecisionNumbers.canonical`).
    public static let version = 2

    /// The task paid for.
    public var task: TaskID
    /// The decision whose line for `task` the money comes from.
    public var decision: DecisionRef
    /// The amount paid.
    public var amount: Money
    /// The business date the money moved.
    public var date: BusinessDate
    /// The payment reference (số chứng từ / ủy nhiệm chi); unique across the log.
    public var ref: PaymentRef
    /// Free remarks.
    public var note: String?

    public init(task: TaskID, decision: DecisionRef, amount: Money, date: BusinessDate, ref: PaymentRef, note: String? = nil) {
        self.task = task
        self.decision = decision
        self.amount = amount
        self.date = date
        self.ref = ref
        self.note = note
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("task"); w.string(task.description)
        w.key("decision"); w.string(decision.text)
        w.key("amount"); w.int(amount.dong)
        w.key("date"); w.date(date)
        w.key("ref"); w.string(ref.text)
        w.optional("note", note)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        task = try ids.task(body.string("task"))
        decision = try ids.decision(body.string("decision"))
        amount = try body.money("amount")
        date = try body.date("date")
        ref = try ids.payment(body.string("ref"))
        note = try body.optionalText("note")
    }
}
