/// Record a decision amending an allocation (điều chỉnh dự toán):
/// `amend DECISION --amends … --date … --reason … [--set TASK=AMOUNT] [--withdraw TASK] [--move FROM>TO=AMOUNT]`, `amend`.
public struct Amend: CommandDefinition {
    /// The amending decision's own number.
    public var decision: DecisionRef
    /// The decision amended.
    public var amends: DecisionRef
    public var signed: BusinessDate
    public var reason: String
    /// New allocations: a line raised or lowered, or a line added for a task the decision did not fund.
    public var set: [AllocationLine]
    /// Lines whose remainder is withdrawn (thu hồi): the allocation comes down to what the line has used.
    public var withdraw: [TaskID]
    /// Money moved from one line of the decision to another (of the same agency).
    public var moves: [Move]
    /// Given when the amendment is signed after the year's deadline for adjustments: who decided, and why.
    public var lateOverride: String?
    public var note: String?

    /// Money moved between two lines.
    public struct Move: Sendable, Equatable {
        public var from: TaskID
        public var to: TaskID
        public var amount: Money
        public init(from: TaskID, to: TaskID, amount: Money) {
            self.from = from
            self.to = to
            self.amount = amount
        }
    }

    public init(decision: DecisionRef, amends: DecisionRef, signed: BusinessDate, reason: String, set: [AllocationLine] = [],
                withdraw: [TaskID] = [], moves: [Move] = [], lateOverride: String? = nil, note: String? = nil) {
        self.decision = decision
        self.amends = amends
        self.signed = signed
        self.reason = reason
        self.set = set
        self.withdraw = withdraw
        self.moves = moves
        self.lateOverride = lateOverride
        self.note = note
    }

    public static let operation = WireOperation.amend
    public var command: Command { .amend(self) }

    public static let spec = CommandSpec(["amend"], summary: "Record a decision amending an allocation (điều chỉnh dự toán): raise, lower, add, withdraw (thu hồi) or move money between lines.",
        positionals: [PositionalSpec("DECISION", "The amending decision's own number, e.g. 1234/QĐ-UBND")],
        options: [.value("amends", "DECISION", "The allocation decision amended: its number, or its long form NUMBER@ISSUER/YEAR when several decisions have that number.", required: true),
                  .value("date", "DATE", "The signing date; the amendment takes effect on it.", required: true),
                  .value("reason", "TEXT", "The grounds the decision gives.", required: true),
                  .value("set", "TASK=AMOUNT", "A line's new allocation, or a new line for a task the decision did not fund.", repeatable: true),
                  .value("withdraw", "TASK", "Withdraw what remains on the line (thu hồi): it comes down to what it has used.", repeatable: true),
                  .value("move", "FROM>TO=AMOUNT", "Move money from one line to another of the same decision, e.g. 860/KH-BDT#2>860/KH-BDT#3=50tr.", repeatable: true),
                  .value("late-override", "TEXT", "Needed after the year's deadline for adjustments ([budget] amendment_deadline in trackerd.conf; by default 15/11 to budget year 2025, 15/12 from 2026): who decided and why; recorded."),
                  CommandSyntax.noteOption],
        discussion: """
        A line never goes below what it has used (disbursed, carried over, lapsed or returned): such an amendment is refused with \
        the numbers. Queries as of a day before the signing date show the old figures; from it on, rates and alerts use the new \
        allocation. Each task may be named once. The amendment's own number, given alone, is the issuer of the decision it \
        amends in the year it is signed (569/QĐ-UBND@QNG/2023 amended by 1890/QĐ-UBND@QNG/2023); another issuer's is given in \
        the long form NUMBER@ISSUER/YEAR.
        """)

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        var moves: [Move] = []
        for entry in args.all("move") {
            let (path, amount) = try ParsedArguments.pair(entry, option: "move", example: "860/KH-BDT#2>860/KH-BDT#3=50tr")
            let ends = path.split(separator: ">", omittingEmptySubsequences: false)
            guard ends.count == 2 else { throw TrackerError(.invalidArgument, "--move '\(entry)' must be written FROM>TO=AMOUNT, e.g. 860/KH-BDT#2>860/KH-BDT#3=50tr") }
            moves.append(Move(from: try TaskID(String(ends[0])), to: try TaskID(String(ends[1])), amount: try ParsedArguments.money(amount)))
        }
        var withdraw: [TaskID] = []
        for entry in args.all("withdraw") { withdraw.append(try TaskID(entry)) }
        var set: [AllocationLine] = []
        for entry in args.all("set") {
            let (task, amount) = try ParsedArguments.pair(entry, option: "set", example: "860/KH-BDT#1=120tr")
            set.append(AllocationLine(task: try TaskID(task), amount: try ParsedArguments.money(amount)))
        }
        self.init(decision: try DecisionRef(args.positionals[0]), amends: try DecisionRef(args.required("amends")),
                  signed: try BusinessDate.parse(args.required("date")), reason: try args.requiredText("reason"),
                  set: set, withdraw: withdraw, moves: moves, lateOverride: args.text("late-override"), note: args.text("note"))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["decision", "amends", "signed", "reason", "set", "withdraw", "move", "late_override", "note"], in: request)
        var ids = IdentifierReader.validating
        var withdraw: [TaskID] = []
        for value in try request.optionalArray("withdraw") {
            guard case .string(let text) = value else { throw TrackerError(.badRequest, "'withdraw' is a list of task ids") }
            withdraw.append(try TaskID(text))
        }
        var moves: [Move] = []
        for value in try request.optionalArray("move") {
            guard case .object(let object) = value else { throw TrackerError(.badRequest, "each move is an object {\"from\", \"to\", \"amount\"}") }
            try object.rejectUnknownKeys(["from", "to", "amount"], in: "a move")
            moves.append(Move(from: try TaskID(object.string("from")), to: try TaskID(object.string("to")), amount: try object.money("amount")))
        }
        self.init(decision: try DecisionRef(request.string("decision")), amends: try DecisionRef(request.string("amends")),
                  signed: try request.date("signed"), reason: try request.text("reason"),
                  set: try AllocationLine.list(from: request.optionalArray("set"), ids: &ids), withdraw: withdraw, moves: moves,
                  lateOverride: try request.optionalText("late_override"), note: try request.optionalText("note"))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("decision"); w.string(decision.text)
        w.key("amends"); w.string(amends.text)
        w.key("signed"); w.string(signed.description)
        w.key("reason"); w.string(reason)
        if !set.isEmpty { w.key("set"); AllocationLine.encode(set, to: &w) }
        if !withdraw.isEmpty {
            w.key("withdraw")
            w.beginArray()
            for task in withdraw { w.string(task.description) }
            w.endArray()
        }
        if !moves.isEmpty {
            w.key("move")
            w.beginArray()
            for move in moves {
                w.beginObject()
                w.key("from"); w.string(move.from.description)
                w.key("to"); w.string(move.to.description)
                w.key("amount"); w.int(move.amount.dong)
                w.endObject()
            }
            w.endArray()
        }
        w.optional("late_override", lateOverride)
        w.optional("note", note)
    }
}
