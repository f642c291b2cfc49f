/// A reversal: a recorded disbursement is cancelled in full by a compensating entry.
///
/// The task, decision and amount are copied from the disbursement so the record reads on its own.
public struct DisbursementReversed: EventBody {
    public static let type = "disbursement.reversed"
    /// 2: its decisions in their long form, `569/QĐ-UBND@QNG/2023` (`DocumentKey`); a version-1 record may name a
    /// number alone, resolved when read (`DecisionNumbers.canonical`).
    public static let version = 2

    /// The payment reference of the disbursement reversed.
    public var ref: PaymentRef
    /// The task of that disbursement.
    public var task: TaskID
    /// The decision of that disbursement.
    public var decision: DecisionRef
    /// The amount given back to the line.
    public var amount: Money
    /// The business date of the reversal.
    public var date: BusinessDate
    /// Why it was reversed.
    public var reason: String

    public init(ref: PaymentRef, task: TaskID, decision: DecisionRef, amount: Money, date: BusinessDate, reason: String) {
        self.ref = ref
        self.task = task
        self.decision = decision
        self.amount = amount
        self.date = date
        self.reason = reason
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("ref"); w.string(ref.text)
        w.key("task"); w.string(task.description)
        w.key("decision"); w.string(decision.text)
        w.key("amount"); w.int(amount.dong)
        w.key("date"); w.string(date.description)
        w.key("reason"); w.string(reason)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        ref = try ids.payment(body.string("ref"))
        task = try ids.task(body.string("task"))
        decision = try ids.decision(body.string("decision"))
        amount = try body.money("amount")
        date = try body.date("date")
        reason = try body.text("reason")
    }
}
