/// Close a budget year once its settlement is approved (`year close YEAR --decision … --date …`), or
/// reopen it by a recorded decision (`year close YEAR --reopen --reason …`): `year.close`.
///
/// On the wire the fields are the `year.closed` body's.
public struct CloseYear: CommandDefinition {
    public var closing: YearClosed
    public init(_ closing: YearClosed) { self.closing = closing }

    public static let operation = WireOperation.closeYear
    public var command: Command { .closeYear(self) }

    public static let spec = CommandSpec(["year", "close"], summary: "Close a budget year once its settlement (quyết toán) is approved, or reopen it with --reopen.",
        positionals: [PositionalSpec("YEAR", "The budget year, e.g. 2024")],
        options: [.value("decision", "TEXT", "The decision approving the settlement (or reopening the year).", required: true),
                  .value("date", "DATE", "Its date.", required: true),
                  .flag("reopen", "Reopen the year: a correction of its figures may follow, until it is closed again."),
                  .value("reason", "TEXT", "Why (required with --reopen).")],
        discussion: "While a year is closed, nothing that would change its figures is recorded: no disbursement, reversal, refund, allocation, amendment, carry-over or lapse of its money. Its reports stay the same.")

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        let reopen = args.has("reopen")
        let reason = args.text("reason")
        if reopen && reason == nil { throw TrackerError(.invalidArgument, "--reopen needs --reason: why the closed year is corrected") }
        self.init(YearClosed(year: try parseFiscalYear(args.positionals[0]), decision: try args.requiredText("decision"),
                             date: try BusinessDate.parse(args.required("date")), reopened: reopen, reason: reason))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["year", "decision", "date", "reopened", "reason"], in: request)
        let closing = try YearClosed(body: request, version: YearClosed.version)
        if closing.reopened && closing.reason == nil { throw TrackerError(.invalidArgument, "a reopening needs a 'reason'") }
        self.init(closing)
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("year"); w.int(closing.year)
        w.key("decision"); w.string(closing.decision)
        w.key("date"); w.string(closing.date.description)
        if closing.reopened { w.key("reopened"); w.bool(true) }
        w.optional("reason", closing.reason)
    }
}
