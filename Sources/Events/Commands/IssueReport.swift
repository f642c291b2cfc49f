/// Record that a report was handed over with a letter (`report issued KIND --letter … --sha256 …`,
/// `report.issue`). `trackctl report … --issue LETTER` sends this itself, with the hash of the
/// bytes it wrote; `trackctl report --reissue LETTER` makes the same bytes again and proves them.
public struct IssueReport: CommandDefinition {
    public var report: ReportIssued
    public init(report: ReportIssued) { self.report = report }

    public static let operation = WireOperation.issueReport
    public var command: Command { .issueReport(self) }

    /// The kinds of report.
    public static let kinds = ["plan", "disbursement", "ranking", "overdue", "audit"]

    public static let spec = CommandSpec(["report", "issued"], summary: "Record that a report was sent with a letter (trackctl report --issue does this).",
        positionals: [PositionalSpec("KIND", kinds.joined(separator: ", "))],
        options: [.value("letter", "LETTER", "The letter it went with, e.g. \"CV 123/BDT-VP\".", required: true),
                  .value("as-of", "DATE", "The date the figures are true on.", required: true),
                  .value("through-seq", "SEQ", "The last record the figures count.", required: true),
                  .value("sha256", "HEX", "The SHA-256 of the bytes sent (64 hex digits).", required: true),
                  .value("bytes", "N", "How many bytes were sent.", required: true),
                  .value("parameters", "JSON", "The scope and form as a JSON object, to make the same bytes again.")])

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        var parameters = JSONObject()
        if let text = args.value("parameters") {
            guard case .object(let object)? = try? JSONParser().parse(text) else {
                throw TrackerError(.invalidArgument, "--parameters must be a JSON object")
            }
            parameters = object
        }
        guard let seq = UInt64(args.required("through-seq")) else { throw TrackerError(.invalidArgument, "--through-seq must be a record's seq") }
        guard let bytes = Int64(args.required("bytes")), bytes >= 0 else { throw TrackerError(.invalidArgument, "--bytes must be a count of bytes") }
        try self.init(checking: ReportIssued(kind: args.positionals[0], letter: try args.requiredText("letter"),
                                             asOf: try BusinessDate.parse(args.required("as-of")), throughSeq: seq,
                                             sha256: args.required("sha256"), bytes: bytes, parameters: parameters))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["kind", "letter", "as_of", "through_seq", "sha256", "bytes", "parameters"], in: request)
        let seq = try request.int("through_seq")
        guard seq >= 0 else { throw TrackerError(.invalidArgument, "field 'through_seq' must not be negative") }
        try self.init(checking: ReportIssued(kind: try request.string("kind"), letter: try request.text("letter"), asOf: try request.date("as_of"),
                                             throughSeq: UInt64(seq), sha256: try request.string("sha256"), bytes: try request.int("bytes"),
                                             parameters: try request.optionalObject("parameters") ?? JSONObject()))
    }

    private init(checking report: ReportIssued) throws(TrackerError) {
        guard Self.kinds.contains(report.kind) else {
            throw TrackerError(.invalidArgument, "'\(report.kind)' is not a report; reports are \(Self.kinds.joined(separator: ", "))")
        }
        guard report.sha256.utf8.count == 64, report.sha256.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw TrackerError(.invalidArgument, "the SHA-256 must be 64 lowercase hex digits, got '\(report.sha256)'")
        }
        guard report.bytes >= 0 else { throw TrackerError(.invalidArgument, "the byte count must not be negative") }
        guard report.letter.count <= 200 else { throw TrackerError(.invalidArgument, "the letter's reference is longer than 200 characters") }
        self.report = report
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("kind"); w.string(report.kind)
        w.key("letter"); w.string(report.letter)
        w.key("as_of"); w.string(report.asOf.description)
        w.key("through_seq"); w.int(Int64(clamping: report.throughSeq))
        w.key("sha256"); w.string(report.sha256)
        w.key("bytes"); w.int(report.bytes)
        w.key("parameters"); w.value(.object(report.parameters))
    }
}
