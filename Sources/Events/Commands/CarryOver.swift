/// Move unspent money of a line (or several) to the next budget year by a carry-over decision
/// (`carry-over DECISION --from … --line TASK=AMOUNT`, `carry-over`).
public struct CarryOver: CommandDefinition {
    /// The carry-over decision's number.
    public var decision: DecisionRef
    /// The decision the money comes from.
    public var from: DecisionRef
    public var signed: BusinessDate
    /// Tasks of `from` and the amounts that move.
    public var lines: [AllocationLine]
    public var note: String?
    public init(decision: DecisionRef, from: DecisionRef, signed: BusinessDate, lines: [AllocationLine], note: String? = nil) {
        self.decision = decision
        self.from = from
        self.signed = signed
        self.lines = lines
        self.note = note
    }

    public static let operation = WireOperation.carryOver
    public var command: Command { .carryOver(self) }

    public static let spec = CommandSpec(["carry-over"], summary: "Record a carry-over decision (chuyển nguồn): unspent money of a line moves to the next budget year as a line of its own.",
        positionals: [PositionalSpec("DECISION", "The carry-over decision's number")],
        options: [.value("from", "DECISION", "The decision the money comes from.", required: true),
                  .value("date", "DATE", "The signing date.", required: true),
                  .value("line", "TASK=AMOUNT", "A task of that decision and the amount that moves, e.g. 860/KH-BDT#2=250tr.", required: true, repeatable: true),
                  CommandSyntax.noteOption],
        discussion: "The new lines belong to the next budget year and are shown apart from that year's own money; the old lines keep their disbursements and lose what moved.")

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        let lines = try args.allocationLines(example: "860/KH-BDT#2=250tr")
        self.init(decision: try DecisionRef(args.positionals[0]), from: try DecisionRef(args.required("from")),
                  signed: try BusinessDate.parse(args.required("date")), lines: lines, note: args.text("note"))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["decision", "from", "signed", "lines", "note"], in: request)
        var ids = IdentifierReader.validating
        self.init(decision: try DecisionRef(request.string("decision")), from: try DecisionRef(request.string("from")),
                  signed: try request.date("signed"), lines: try AllocationLine.list(from: request.array("lines"), ids: &ids),
                  note: try request.optionalText("note"))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("decision"); w.string(decision.text)
        w.key("from"); w.string(from.text)
        w.key("signed"); w.string(signed.description)
        w.key("lines")
        AllocationLine.encode(lines, to: &w)
        w.optional("note", note)
    }
}
