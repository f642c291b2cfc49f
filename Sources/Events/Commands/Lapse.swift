/// Record that what remains on a decision's lines (or one task's line) lapsed (hủy dự toán)
/// (`lapse DECISION --date … --reason …`, `lapse`).
public struct Lapse: CommandDefinition {
    public var decision: DecisionRef
    /// Only this task's line; every line of the decision with money left when nil.
    public var task: TaskID?
    public var date: BusinessDate
    public var reason: String
    public init(decision: DecisionRef, task: TaskID? = nil, date: BusinessDate, reason: String) {
        self.decision = decision
        self.task = task
        self.date = date
        self.reason = reason
    }

    public static let operation = WireOperation.lapse
    public var command: Command { .lapse(self) }

    public static let spec = CommandSpec(["lapse"], summary: "Record that what remains on a decision's lines lapsed (hủy dự toán) after the year's deadline.",
        positionals: [PositionalSpec("DECISION", "The decision whose money lapses: its number, or its long form NUMBER@ISSUER/YEAR when several decisions have that number")],
        options: [.value("date", "DATE", "The date of the cancellation (after 31/01 of the next year).", required: true),
                  .value("reason", "TEXT", "The letter or decision that cancels it.", required: true),
                  .value("task", "TASK", "Only this task's line (default: every line with money left).")])

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        self.init(decision: try DecisionRef(args.positionals[0]), task: try args.optional("task") { (text) throws(TrackerError) in try TaskID(text) },
                  date: try BusinessDate.parse(args.required("date")), reason: try args.requiredText("reason"))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["decision", "task", "date", "reason"], in: request)
        self.init(decision: try DecisionRef(request.string("decision")),
                  task: try request.optionalString("task").map { (text) throws(TrackerError) in try TaskID(text) },
                  date: try request.date("date"), reason: try request.text("reason"))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("decision"); w.string(decision.text)
        w.optional("task", task?.description)
        w.key("date"); w.string(date.description)
        w.key("reason"); w.string(reason)
    }
}
