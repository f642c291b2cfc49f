/// Record an allocation decision (`allocate 569/QĐ-UBND --agency BDT …`, `allocate`).
///
/// On the wire the fields are the `funds.allocated` body's.
public struct Allocate: CommandDefinition {
    public var allocation: FundsAllocated
    public init(_ allocation: FundsAllocated) { self.allocation = allocation }

    public static let operation = WireOperation.allocate
    public var command: Command { .allocate(self) }

    public static let spec = CommandSpec(["allocate"], summary: "Record an allocation decision (quyết định phân bổ) for an agency's tasks.",
        positionals: [PositionalSpec("DECISION", "The decision's number, e.g. 569/QĐ-UBND, or its long form NUMBER@ISSUER/YEAR, e.g. 12/QĐ-BTC@BTC/2025")],
        options: [.value("agency", "AGENCY", "The recipient agency.", required: true),
                  .value("year", "YEAR", "The budget year the money belongs to.", required: true),
                  .value("date", "DATE", "The signing date.", required: true),
                  .value("line", "TASK=AMOUNT", "One line: a task and its amount, e.g. 860/KH-BDT#1=100tr.", required: true, repeatable: true),
                  CommandSyntax.noteOption],
        discussion: CommandSyntax.decisionKeys)

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        let lines = try args.allocationLines(example: "860/KH-BDT#1=100tr")
        self.init(FundsAllocated(decision: try DecisionRef(args.positionals[0]), signed: try BusinessDate.parse(args.required("date")),
                                 fiscalYear: try parseFiscalYear(args.required("year")), agency: try AgencyID(args.required("agency")),
                                 lines: lines, note: args.text("note")))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["decision", "signed", "year", "agency", "lines", "note"], in: request)
        self.init(try FundsAllocated(body: request, version: FundsAllocated.version))
    }

    public func encodeFields(to w: inout JSONWriter) {
        allocation.encodeMembers(to: &w)
    }
}
