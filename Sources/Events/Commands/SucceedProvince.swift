/// Record a succession of provinces (`province succeed KTM --to QNG --date … --decision …`, `province.succeed`).
///
/// On the wire the fields are the `province.succeeded` body's.
public struct SucceedProvince: CommandDefinition {
    public var succession: ProvinceSucceeded
    public init(_ succession: ProvinceSucceeded) { self.succession = succession }

    public static let operation = WireOperation.succeedProvince
    public var command: Command { .succeedProvince(self) }

    public static let spec = CommandSpec(["province", "succeed"], summary: "Record a merger of provinces: from a date, the agencies of one province belong to another.",
        positionals: [PositionalSpec("PROVINCE", "The province code that ceases, e.g. KTM (Kon Tum)")],
        options: [.value("to", "PROVINCE", "The province it merges into, e.g. QNG.", required: true),
                  .value("date", "DATE", "The day it takes effect, e.g. 2025-07-01.", required: true),
                  .value("decision", "TEXT", "The document that ordered it, e.g. \"Nghị quyết 202/2025/QH15\".", required: true),
                  CommandSyntax.noteOption],
        discussion: "`status --by province` groups by the province each agency belongs to on the as-of date; before the date, the old province stands with its own figures.")

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        self.init(ProvinceSucceeded(from: try ProvinceCode.check(args.positionals[0]), to: try ProvinceCode.check(args.required("to")),
                                    effective: try BusinessDate.parse(args.required("date")), decision: try args.requiredText("decision"),
                                    note: args.text("note")))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["from", "to", "effective", "decision", "note"], in: request)
        self.init(try ProvinceSucceeded(body: request, version: ProvinceSucceeded.version))
    }

    public func encodeFields(to w: inout JSONWriter) {
        succession.encodeMembers(to: &w)
    }
}
