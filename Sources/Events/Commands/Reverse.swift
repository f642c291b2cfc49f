/// Reverse a recorded disbursement in full (`reverse REF --reason …`, `reverse`).
public struct Reverse: CommandDefinition {
    public var ref: PaymentRef
    public var reason: String
    /// The reversal's business date; the disbursement's own date when nil.
    public var date: BusinessDate?
    public init(ref: PaymentRef, reason: String, date: BusinessDate? = nil) {
        self.ref = ref
        self.reason = reason
        self.date = date
    }

    public static let operation = WireOperation.reverse
    public var command: Command { .reverse(self) }

    public static let spec = CommandSpec(["reverse"], summary: "Reverse a recorded disbursement in full (a compensating entry; nothing is erased).",
        positionals: [PositionalSpec("REF", "The payment reference of the disbursement")],
        options: [.value("reason", "TEXT", "Why.", required: true),
                  .value("date", "DATE", "The date the reversal takes effect (default: the disbursement's own date: an error is corrected where it was made, so the money never counted). Money that was paid and came back is a refund, not a reversal.")])

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        self.init(ref: try PaymentRef(args.positionals[0]), reason: try args.requiredText("reason"),
                  date: try args.optional("date") { (text) throws(TrackerError) in try BusinessDate.parse(text) })
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["ref", "reason", "date"], in: request)
        self.init(ref: try PaymentRef(request.string("ref")), reason: try request.text("reason"), date: try request.optionalDate("date"))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("ref"); w.string(ref.text)
        w.key("reason"); w.string(reason)
        w.optional("date", date?.description)
    }
}
