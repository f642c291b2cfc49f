/// A refund (hoàn trả, nộp trả): money that was paid out and later came back.
///
/// Unlike a reversal (an error: the payment never happened, so it counts from the payment's own
/// date), a refund takes effect on its own date: the months between still show the money as
/// disbursed. Within the budget year and its adjustment period (to 31/01 of the next year) the
/// money goes back to the line (giảm chi) and can be disbursed again; after it, it is returned to
/// the budget (nộp trả ngân sách) and does not reopen the line (`returnedToBudget`).
public struct DisbursementRefunded: EventBody {
    public static let type = "disbursement.refunded"
    /// 2: its decisions in their long form, `569/QĐ-UBND@QNG/2023` (`DocumentKey`); a version-1 record may name a
    /// number alone, resolved when read (`DecisionNumbers.canonical`).
    public static let version = 2

    /// The payment reference of the disbursement the money came back from.
    public var ref: PaymentRef
    /// The task of that disbursement.
    public var task: TaskID
    /// The decision of that disbursement.
    public var decision: DecisionRef
    /// The amount that came back (at most what was paid, less earlier refunds of it).
    public var amount: Money
    /// The business date the money came back.
    public var date: BusinessDate
    /// True when the refund came after the year's adjustment period: returned to the budget, the
    /// line is not reopened.
    public var returnedToBudget: Bool
    /// Why (the document of the refund).
    public var reason: String

    public init(ref: PaymentRef, task: TaskID, decision: DecisionRef, amount: Money, date: BusinessDate, returnedToBudget: Bool, reason: String) {
        self.ref = ref
        self.task = task
        self.decision = decision
        self.amount = amount
        self.date = date
        self.returnedToBudget = returnedToBudget
        self.reason = reason
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("ref"); w.string(ref.text)
        w.key("task"); w.string(task.description)
        w.key("decision"); w.string(decision.text)
        w.key("amount"); w.int(amount.dong)
        w.key("date"); w.string(date.description)
        w.key("returned_to_budget"); w.bool(returnedToBudget)
        w.key("reason"); w.string(reason)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        ref = try ids.payment(body.string("ref"))
        task = try ids.task(body.string("task"))
        decision = try ids.decision(body.string("decision"))
        amount = try body.money("amount")
        date = try body.date("date")
        returnedToBudget = try body.bool("returned_to_budget")
        reason = try body.text("reason")
    }
}
