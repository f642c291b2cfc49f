/// Create a plan (`plan create 560/KH-BDT --agency BDT …`, `plan.create`).
///
/// On the wire the plan's id is `plan`; the other fields are the `plan.created` body's.
public struct CreatePlan: CommandDefinition {
    public var plan: PlanCreated
    public init(_ plan: PlanCreated) { self.plan = plan }

    public static let operation = WireOperation.createPlan
    public var command: Command { .createPlan(self) }

    public static let spec = CommandSpec(["plan", "create"], summary: "Record a plan (kế hoạch) of an agency.",
        positionals: [PositionalSpec("PLAN", "The plan's number (560/KH-BDT), or a name for an unnumbered one (BDT-2023). Numbers restart every year: a second plan of a number already recorded is recorded under its long form NUMBER@PROVINCE/YEAR (560/KH-BDT@QNG/2024), which then names each plan and, with #N, its tasks")],
        options: [.value("agency", "AGENCY", "The issuing agency.", required: true),
                  .value("title", "TEXT", "The plan's title.", required: true),
                  .value("date", "DATE", "The date on the document (2021-08-27 or 27/08/2021).", required: true),
                  .value("period", "YEARS", "Budget years covered: 2023 or 2021-2025.", required: true),
                  CommandSyntax.noteOption])

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        self.init(PlanCreated(id: try PlanID(args.positionals[0]), agency: try AgencyID(args.required("agency")),
                              title: try args.requiredText("title"), issued: try BusinessDate.parse(args.required("date")),
                              period: try YearSpan.parse(args.required("period")), note: args.text("note")))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["plan", "agency", "title", "issued", "period", "note"], in: request)
        var body = request
        body["id"] = .string(try request.string("plan"))
        body["plan"] = nil
        self.init(try PlanCreated(body: body, version: PlanCreated.version))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("plan"); w.string(plan.id.text)
        plan.encodeMembersAfterID(to: &w)
    }
}
