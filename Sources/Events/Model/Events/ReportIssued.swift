/// A report handed over with an official letter: which report, for what scope and dates, in which
/// form, and the SHA-256 of the exact bytes sent, so the same bytes can be rebuilt from the log and
/// proven later (`trackctl report --reissue`).
public struct ReportIssued: EventBody {
    public static let type = "report.issued"
    public static let version = 1

    /// The report: `plan`, `disbursement`, `ranking`, `overdue`, `audit`.
    public var kind: String
    /// The letter it went with (`CV 123/BDT-VP`).
    public var letter: String
    /// The business date the figures are true on.
    public var asOf: BusinessDate
    /// The last record the figures count (what "known at" resolved to when it was made).
    public var throughSeq: UInt64
    /// The hex SHA-256 of the bytes sent.
    public var sha256: String
    /// How many bytes were sent.
    public var bytes: Int64
    /// Everything else needed to make the same bytes again, as the client gave it: scope
    /// (`agency`, `plan`, `year`, `decision`, `month`), form (`format`, `lang`, `unit`, `width`),
    /// the letterhead and the client's version. Kept as given, keys sorted.
    public var parameters: JSONObject

    public init(kind: String, letter: String, asOf: BusinessDate, throughSeq: UInt64, sha256: String, bytes: Int64, parameters: JSONObject) {
        self.kind = kind
        self.letter = letter
        self.asOf = asOf
        self.throughSeq = throughSeq
        self.sha256 = sha256
        self.bytes = bytes
        self.parameters = parameters
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("kind"); w.string(kind)
        w.key("letter"); w.string(letter)
        w.key("as_of"); w.date(asOf)
        w.key("through_seq"); w.int(Int64(clamping: throughSeq))
        w.key("sha256"); w.string(sha256)
        w.key("bytes"); w.int(bytes)
        w.key("parameters"); w.value(.object(parameters))
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        kind = try body.string("kind")
        letter = try body.text("letter")
        asOf = try body.date("as_of")
        let seq = try body.int("through_seq")
        guard seq >= 0 else { throw TrackerError(.corrupt, "report.issued: through_seq is negative") }
        throughSeq = UInt64(seq)
        sha256 = try body.string("sha256")
        bytes = try body.int("bytes")
        parameters = try body.optionalObject("parameters") ?? JSONObject()
    }
}
