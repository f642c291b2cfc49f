/// Record a succession of agencies (`agency succeed FROM --to … --date … --decision …`, `agency.succeed`):
/// a rename, one agency's part of a merger, or a split.
///
/// On the wire the fields are the `agency.succeeded` body's.
public struct SucceedAgency: CommandDefinition {
    public var succession: AgencySucceeded
    public init(_ succession: AgencySucceeded) { self.succession = succession }

    public static let operation = WireOperation.succeedAgency
    public var command: Command { .succeedAgency(self) }

    public static let spec = CommandSpec(["agency", "succeed"], summary: "Record a succession of agencies (rename, merger, split): from a date, successors hold the agency's plans, tasks and lines.",
        positionals: [PositionalSpec("AGENCY", "The agency that ceases or gives up parts, e.g. STTTT")],
        options: [.value("to", "AGENCY", "A successor; the first takes everything --part does not name.", required: true, repeatable: true),
                  .value("date", "DATE", "The day the successors hold what they receive.", required: true),
                  .value("decision", "TEXT", "The document that ordered it (e.g. \"QĐ 123/QĐ-UBND\"; say so when its number is not known).", required: true),
                  .value("part", "PLAN=AGENCY", "A plan (all its tasks and their lines), or a single task PLAN#N, and the successor it goes to.", repeatable: true),
                  CommandSyntax.noteOption],
        discussion: """
        A rename is one successor. A merger is one succession per merged agency, into the same successor. A split names which \
        plans or tasks go where with --part; what is not named goes to the first --to. As of a day before --date the old agency \
        stands with its own figures; from it on, each successor holds what it received, and `status --by agency` shows it with \
        "(formerly …)". Records keep the names they were made with.
        """)

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        var to: [AgencyID] = []
        for entry in args.all("to") { to.append(try AgencyID(entry)) }
        var parts: [SuccessionPart] = []
        for entry in args.all("part") {
            let (what, agency) = try ParsedArguments.pair(entry, option: "part", example: "KH-STTTT-2025=SKHCN")
            let target = try AgencyID(agency)
            if what.contains("#") {
                let task = try TaskID(what)
                parts.append(SuccessionPart(plan: task.plan, task: task, to: target))
            } else {
                parts.append(SuccessionPart(plan: try PlanID(what), task: nil, to: target))
            }
        }
        self.init(AgencySucceeded(from: try AgencyID(args.positionals[0]), to: to, effective: try BusinessDate.parse(args.required("date")),
                                  decision: try args.requiredText("decision"), parts: parts, note: args.text("note")))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["from", "to", "effective", "decision", "parts", "note"], in: request)
        self.init(try AgencySucceeded(body: request, version: AgencySucceeded.version))
    }

    public func encodeFields(to w: inout JSONWriter) {
        succession.encodeMembers(to: &w)
    }
}
