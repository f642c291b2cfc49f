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
    /// The legal ground: the class of money the year's law lets be carried over.
    public var ground: CarryOverGround?
    /// Who confirmed what the tracker cannot check, and on what (recorded with the record's actor);
    /// needed for a carry-over signed after the end of the adjustment period.
    public var override: String?
    public var note: String?
    public init(decision: DecisionRef, from: DecisionRef, signed: BusinessDate, lines: [AllocationLine], ground: CarryOverGround? = nil,
                override: String? = nil, note: String? = nil) {
        self.decision = decision
        self.from = from
        self.signed = signed
        self.lines = lines
        self.ground = ground
        self.override = override
        self.note = note
    }

    public static let operation = WireOperation.carryOver
    public var command: Command { .carryOver(self) }

    public static let spec = CommandSpec(["carry-over"], summary: "Record a carry-over decision (chuyển nguồn): unspent money of a line moves to the next budget year as a line of its own.",
        positionals: [PositionalSpec("DECISION", "The carry-over decision's number")],
        options: [.value("from", "DECISION", "The decision the money comes from: its number, or its long form NUMBER@ISSUER/YEAR when several decisions have that number.", required: true),
                  .value("date", "DATE", "The signing date.", required: true),
                  .value("line", "TASK=AMOUNT", "A task of that decision and the amount that moves, e.g. 860/KH-BDT#2=250tr.", required: true, repeatable: true),
                  .value("ground", "CLASS", "The legal ground: the class of money the year's law lets be carried over (listed below)."),
                  .value("override", "TEXT", "Who confirmed what the tracker cannot check, and on what (e.g. 'STC, CV 45/STC-QLNS'); recorded with your name. Needed after the end of the adjustment period (31/01)."),
                  CommandSyntax.noteOption],
        discussion: """
        The new lines belong to the next budget year and are shown apart from that year's own money; the old lines keep their disbursements and lose what moved.
        Classes (--ground), as the daemon's configuration allows them by budget year:
          added-after-30-09          allocations added after 30/9 (checked: the line's allocation date)
          public-investment          public-investment capital extended under the investment law
          national-target-programme  national target programmes (from budget year 2026)
          procurement                procurement contracted (from 2026: or bid) before 31/12
          salary                     salary-reform and social-security sources
          autonomy                   autonomy funds of public units (kinh phí tự chủ)
          science-research           scientific research topics and projects under way
          digital-transformation     science, technology, innovation and digital transformation (from 2026)
          reserve, aid, donation, audit-refund   reserves, aid, earmarked donations, refunds ordered by audit (from 2026)
        To budget year 2025: Law 83/2015/QH13, Điều 64.3; from 2026: Law 89/2025/QH15, Điều 66.3.
        A class the year's law does not allow is refused. What the tracker does not hold (a contract, the
        finance agency's approval, the kind of money) is not refused: the answer warns about it.
        """)

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        let lines = try args.allocationLines(example: "860/KH-BDT#2=250tr")
        self.init(decision: try DecisionRef(args.positionals[0]), from: try DecisionRef(args.required("from")),
                  signed: try BusinessDate.parse(args.required("date")), lines: lines,
                  ground: try args.value("ground").map { (text) throws(TrackerError) in try CarryOverGround.parse(text) },
                  override: args.text("override"), note: args.text("note"))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["decision", "from", "signed", "lines", "ground", "override", "note"], in: request)
        var ids = IdentifierReader.validating
        self.init(decision: try DecisionRef(request.string("decision")), from: try DecisionRef(request.string("from")),
                  signed: try request.date("signed"), lines: try AllocationLine.list(from: request.array("lines"), ids: &ids),
                  ground: try request.optionalString("ground").map { (text) throws(TrackerError) in try CarryOverGround.parse(text) },
                  override: try request.optionalText("override"), note: try request.optionalText("note"))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("decision"); w.string(decision.text)
        w.key("from"); w.string(from.text)
        w.key("signed"); w.string(signed.description)
        w.key("lines")
        AllocationLine.encode(lines, to: &w)
        w.optional("ground", ground?.rawValue)
        w.optional("override", override)
        w.optional("note", note)
    }
}
