/// Record a disbursement against a task's allocation line (`disburse TASK AMOUNT --date … --ref …`,
/// `disburse`).
public struct Disburse: CommandDefinition {
    public var task: TaskID
    /// The decision whose line pays; needed only when the task is funded by more than one.
    public var decision: DecisionRef?
    public var amount: Money
    public var date: BusinessDate
    public var ref: PaymentRef
    public var note: String?
    public init(task: TaskID, decision: DecisionRef? = nil, amount: Money, date: BusinessDate, ref: PaymentRef, note: String? = nil) {
        self.task = task
        self.decision = decision
        self.amount = amount
        self.date = date
        self.ref = ref
        self.note = note
    }

    public static let operation = WireOperation.disburse
    public var command: Command { .disburse(self) }

    public static let spec = CommandSpec(["disburse"], summary: "Record a disbursement (giải ngân) against a task's allocation.",
        positionals: [PositionalSpec("TASK", "The task paid for, e.g. 860/KH-BDT#1"),
                      PositionalSpec("AMOUNT", "The amount: 3,402 triệu, 3402000, 3.402.000 đ")],
        options: [.value("date", "DATE", "The day the money moved.", required: true),
                  .value("ref", "REF", "Payment reference (số chứng từ / ủy nhiệm chi); sending the same one again records nothing twice.", required: true),
                  .value("decision", "DECISION", "The decision whose line pays; needed only when the task is funded by more than one. Its number, or its long form NUMBER@ISSUER/YEAR when several decisions have that number."),
                  CommandSyntax.noteOption],
        discussion: "A disbursement larger than what remains on the allocation line is refused, naming allocated, disbursed, remaining and requested.")

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        self.init(task: try TaskID(args.positionals[0]),
                  decision: try args.optional("decision") { (text) throws(TrackerError) in try DecisionRef(text) },
                  amount: try ParsedArguments.money(args.positionals[1]), date: try BusinessDate.parse(args.required("date")),
                  ref: try PaymentRef(args.required("ref")), note: args.text("note"))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["task", "decision", "amount", "date", "ref", "note"], in: request)
        self.init(task: try TaskID(request.string("task")),
                  decision: try request.optionalString("decision").map { (text) throws(TrackerError) in try DecisionRef(text) },
                  amount: try request.money("amount"), date: try request.date("date"),
                  ref: try PaymentRef(request.string("ref")), note: try request.optionalText("note"))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("task"); w.string(task.description)
        w.optional("decision", decision?.text)
        w.key("amount"); w.int(amount.dong)
        w.key("date"); w.string(date.description)
        w.key("ref"); w.string(ref.text)
        w.optional("note", note)
    }
}
