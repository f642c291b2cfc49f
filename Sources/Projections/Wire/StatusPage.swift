import Events

/// Where a `status` page starts: what a status answer gives as `next` when rows are left, to be
/// sent back as the request's `page` (with the same parameters) for the next page.
///
/// The cursor pins the first page's business date and last record, so every page counts the
/// same facts, whatever was recorded in between; rows are in the report's order (the year's own
/// rows, then the carried-over rows), and `row` counts them from 0 across both.
public struct StatusPage: Sendable, Equatable {
    /// The first row of the page.
    public var row: Int
    /// Only records through this seq are counted (the first page's `through_seq`).
    public var throughSeq: UInt64
    /// The business date of the first page.
    public var asOf: BusinessDate

    public init(row: Int, throughSeq: UInt64, asOf: BusinessDate) {
        self.row = row
        self.throughSeq = throughSeq
        self.asOf = asOf
    }

    /// Reads a request's `page` object; `bad_request` for unknown or mistyped members,
    /// `invalid_argument` for values that cannot be.
    public init(object: JSONObject) throws(TrackerError) {
        try object.rejectUnknownKeys(["row", "through_seq", "as_of"], in: "status page")
        let row = try object.int("row")
        let throughSeq = try object.int("through_seq")
        guard row >= 0, row <= Int64(Int32.max) else { throw TrackerError(.invalidArgument, "'page.row' must be 0 or more, got \(row)") }
        guard throughSeq >= 0 else { throw TrackerError(.invalidArgument, "'page.through_seq' must not be negative, got \(throughSeq)") }
        self.init(row: Int(row), throughSeq: UInt64(throughSeq), asOf: try object.date("as_of"))
    }

    /// Writes the cursor as a JSON object.
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("row"); w.int(row)
        w.key("through_seq"); w.int(Int64(throughSeq))
        w.key("as_of"); w.date(asOf)
        w.endObject()
    }
}
