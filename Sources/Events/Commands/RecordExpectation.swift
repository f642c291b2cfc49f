/// Record what an agency expects to have disbursed on a line by a date
/// (`expect TASK AMOUNT|RATE --by … --date …`, `expectation.record`): "dự kiến đến 31/12/2023
/// giải ngân đạt 100% kế hoạch" is `expect 860/KH-BDT#1 100% --by 2023-12-31 --date 2023-11-30`.
public struct RecordExpectation: CommandDefinition {
    public var task: TaskID
    /// The decision of the line; needed only when the task is funded by more than one.
    public var decision: DecisionRef?
    public var by: BusinessDate
    /// Exactly one of `amount` and `rateMilli`.
    public var amount: Money?
    public var rateMilli: Int64?
    /// When the agency stated it.
    public var stated: BusinessDate
    public var note: String?

    public init(task: TaskID, decision: DecisionRef? = nil, by: BusinessDate, amount: Money?, rateMilli: Int64?, stated: BusinessDate,
                note: String? = nil) {
        self.task = task
        self.decision = decision
        self.by = by
        self.amount = amount
        self.rateMilli = rateMilli
        self.stated = stated
        self.note = note
    }

    public static let operation = WireOperation.recordExpectation
    public var command: Command { .recordExpectation(self) }

    public static let spec = CommandSpec(["expect"], summary: "Record the disbursement an agency expects on a line by a date (dự kiến giải ngân).",
        positionals: [PositionalSpec("TASK", "The task of the line, e.g. 860/KH-BDT#1"),
                      PositionalSpec("EXPECTED", "An amount (3,402 triệu) or a rate of the allocation (100%, 60,5%), cumulative")],
        options: [.value("by", "DATE", "The date by which it is expected, e.g. 2023-12-31.", required: true),
                  .value("date", "DATE", "The day the agency stated it (its report's date).", required: true),
                  .value("decision", "DECISION", "The decision of the line; needed only when the task is funded by more than one. Its number, or its long form NUMBER@ISSUER/YEAR when several decisions have that number."),
                  CommandSyntax.noteOption],
        discussion: "Reports show the latest statement for each line and date beside the straight-line expectation. A later statement replaces an earlier one in reports dated after it; both stay in the log.")

    /// Reads `100%`, `60,5%`, `99.125 %` as thousandths of a percent; nil when `text` has no `%`.
    public static func rate(_ text: String) throws(TrackerError) -> Int64? {
        let trimmed = Text.normalized(text).replacingOccurrences(of: " ", with: "")
        guard trimmed.hasSuffix("%") else { return nil }
        let number = trimmed.dropLast()
        let parts = number.split(separator: number.contains(",") ? "," : ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, parts[0].allSatisfy(\.isASCII),
              parts.count == 1 || (1...3).contains(parts[1].count) && parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw TrackerError(.invalidArgument, "'\(text)' is not a rate: write 100%, 60,5% or 99,125% (at most three decimals)")
        }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = String(parts[1]).padding(toLength: 3, withPad: "0", startingAt: 0)
            fraction = Int64(digits)!
        }
        guard whole <= 100 else { throw TrackerError(.invalidArgument, "'\(text)': an expected rate is at most 100% of the allocation") }
        let milli = whole * 1000 + fraction
        guard milli <= 100_000, milli > 0 else { throw TrackerError(.invalidArgument, "'\(text)': an expected rate is more than 0% and at most 100%") }
        return milli
    }

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        let expected = args.positionals[1]
        let rate = try Self.rate(expected)
        self.init(task: try TaskID(args.positionals[0]),
                  decision: try args.optional("decision") { (text) throws(TrackerError) in try DecisionRef(text) },
                  by: try BusinessDate.parse(args.required("by")),
                  amount: rate == nil ? try ParsedArguments.money(expected) : nil, rateMilli: rate,
                  stated: try BusinessDate.parse(args.required("date")), note: args.text("note"))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["task", "decision", "by", "amount", "rate_milli", "date", "note"], in: request)
        let rate = request["rate_milli"] == nil ? nil : try request.int("rate_milli")
        self.init(task: try TaskID(request.string("task")),
                  decision: try request.optionalString("decision").map { (text) throws(TrackerError) in try DecisionRef(text) },
                  by: try request.date("by"), amount: try request.optionalMoney("amount"), rateMilli: rate,
                  stated: try request.date("date"), note: try request.optionalText("note"))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("task"); w.string(task.description)
        w.optional("decision", decision?.text)
        w.key("by"); w.string(by.description)
        if let amount { w.key("amount"); w.int(amount.dong) }
        if let rateMilli { w.key("rate_milli"); w.int(rateMilli) }
        w.key("date"); w.string(stated.description)
        w.optional("note", note)
    }
}
