import Events

/// The answer to `reports.issued`: the reports recorded as sent with a letter, oldest first,
/// each with the record that says so (so `trackctl report --reissue` can make its bytes again).
public struct IssuedReportsAnswer: Sendable, Equatable {
    /// One report sent.
    public struct Entry: Sendable, Equatable {
        public var seq: UInt64
        public var time: Timestamp
        public var report: ReportIssued
    }

    public var reports: [Entry]

    public init(reports: [Entry]) { self.reports = reports }

    /// The reports issued in the ledger known by `throughSeq`, those with `letter` only when given
    /// (matched ignoring case, diacritics and đ/Đ).
    public init(_ ledger: borrowing Ledger, letter: String?, throughSeq: UInt64) {
        let key = letter.map(Text.foldKey)
        reports = ledger.reporting.issued.filter { $0.seq <= throughSeq && (key == nil || Text.foldKey($0.fact.letter) == key) }
            .map { Entry(seq: $0.seq, time: $0.time, report: $0.fact) }
    }

    /// Writes the members into an open result object.
    public func encode(to w: inout JSONWriter) {
        w.key("reports")
        w.beginArray()
        for entry in reports {
            w.beginObject()
            w.key("seq"); w.int(Int64(clamping: entry.seq))
            w.key("time"); w.string(entry.time.description)
            w.key("issued"); entry.report.encode(to: &w)
            w.endObject()
        }
        w.endArray()
    }

    /// Reads what `encode` wrote.
    public init(result: JSONObject) throws(TrackerError) {
        guard case .array(let items)? = result["reports"] else { throw TrackerError(.badRequest, "the answer has no reports") }
        var reports: [Entry] = []
        for item in items {
            guard case .object(let object) = item else { throw TrackerError(.badRequest, "a report issued is not an object") }
            let seq = try object.int("seq")
            let body = try object.object("issued")
            reports.append(Entry(seq: UInt64(max(0, seq)), time: try Timestamp.parse(object.string("time")),
                                 report: try ReportIssued(body: body, version: ReportIssued.version)))
        }
        self.reports = reports
    }
}
