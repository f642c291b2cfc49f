/// Record money that was paid and came back (hoàn trả): `refund REF --date … --reason …`, `refund`.
///
/// Not a reversal: the payment happened, and counts as disbursed until the refund's own date.
public struct Refund: CommandDefinition {
    public var ref: PaymentRef
    /// The amount that came back; all that is left of the payment when nil.
    public var amount: Money?
    /// The day the money came back.
    public var date: BusinessDate
    public var reason: String
    public init(ref: PaymentRef, amount: Money? = nil, date: BusinessDate, reason: String) {
        self.ref = ref
        self.amount = amount
        self.date = date
        self.reason = reason
    }

    public static let operation = WireOperation.refund
    public var command: Command { .refund(self) }

    public static let spec = CommandSpec(["refund"], summary: "Record money paid out and later returned (hoàn trả), on the day it came back.",
        positionals: [PositionalSpec("REF", "The payment reference of the disbursement the money came back from")],
        options: [.value("date", "DATE", "The day the money came back.", required: true),
                  .value("reason", "TEXT", "Why, and the document (giấy nộp trả).", required: true),
                  .value("amount", "AMOUNT", "The amount returned (default: all that is left of the payment).")],
        discussion: """
        A refund is not a reversal: `reverse` corrects an error (the payment never happened, counted from its own date); a refund \
        counts from its own date, and the months between still show the money as disbursed. Within the budget year and its \
        adjustment period (to 31/01 of the next year) the money goes back to the line (giảm chi) and can be disbursed again; \
        after it, it is returned to the budget (nộp trả ngân sách) and the line is not reopened. The same refund sent again \
        (same payment, amount and date) records nothing twice.
        """)

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        self.init(ref: try PaymentRef(args.positionals[0]),
                  amount: try args.optional("amount") { (text) throws(TrackerError) in try ParsedArguments.money(text) },
                  date: try BusinessDate.parse(args.required("date")), reason: try args.requiredText("reason"))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["ref", "amount", "date", "reason"], in: request)
        self.init(ref: try PaymentRef(request.string("ref")), amount: request["amount"] == nil ? nil : try request.money("amount"),
                  date: try request.date("date"), reason: try request.text("reason"))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("ref"); w.string(ref.text)
        if let amount { w.key("amount"); w.int(amount.dong) }
        w.key("date"); w.string(date.description)
        w.key("reason"); w.string(reason)
    }
}
