import Events

/// A report request as it travels (`report` and `report.audit`): the kind and its scope.
///
/// `through_seq` pins the records counted (a report issued earlier is made again from exactly
/// the records it counted); `known_at` resolves to one. Both may not be given together.
public struct ReportRequest: Sendable, Equatable {
    public var kind: ReportKind
    public var asOf: BusinessDate?
    public var knownAt: Timestamp?
    public var throughSeq: UInt64?
    public var agency: AgencyID?
    public var plan: PlanID?
    public var year: Int?
    public var decision: DecisionRef?
    /// For `disbursement`: the monthly form of this month instead (Thông tư 37/2025/TT-BTC).
    public var month: ReportMonth?

    public init(kind: ReportKind, asOf: BusinessDate? = nil, knownAt: Timestamp? = nil, throughSeq: UInt64? = nil, agency: AgencyID? = nil,
                plan: PlanID? = nil, year: Int? = nil, decision: DecisionRef? = nil) {
        self.kind = kind
        self.asOf = asOf
        self.knownAt = knownAt
        self.throughSeq = throughSeq
        self.agency = agency
        self.plan = plan
        self.year = year
        self.decision = decision
    }

    /// Reads a request's fields, refusing fields a report does not take.
    public init(request: JSONObject, op: String) throws(TrackerError) {
        try request.rejectUnknownKeys(["kind", "as_of", "known_at", "through_seq", "agency", "plan", "year", "decision", "month"], envelope: true,
                                      in: "\(op) request")
        let name = try request.string("kind")
        guard let kind = ReportKind(rawValue: name) else {
            throw TrackerError(.invalidArgument, "'\(name)' is not a report; reports are \(ReportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.kind = kind
        asOf = try request.optionalDate("as_of")
        if let text = try request.optionalString("known_at") { knownAt = try Timestamp.parse(text) }
        if request["through_seq"] != nil && request["through_seq"] != .null {
            let seq = try request.int("through_seq")
            guard seq >= 0 else { throw TrackerError(.invalidArgument, "field 'through_seq' must not be negative") }
            throughSeq = UInt64(seq)
        }
        if knownAt != nil && throughSeq != nil {
            throw TrackerError(.invalidArgument, "give known_at or through_seq, not both")
        }
        agency = try request.optionalString("agency").map { (text) throws(TrackerError) in try AgencyID(text) }
        plan = try request.optionalString("plan").map { (text) throws(TrackerError) in try PlanID(text) }
        if request["year"] != nil && request["year"] != .null { year = try request.fiscalYear("year") }
        decision = try request.optionalString("decision").map { (text) throws(TrackerError) in try DecisionRef(text) }
        if kind == .plan && plan == nil { throw TrackerError(.invalidArgument, "a plan report needs 'plan'") }
        month = try request.optionalString("month").map { (text) throws(TrackerError) in try ReportMonth(text) }
        if month != nil && kind != .disbursement { throw TrackerError(.invalidArgument, "'month' goes with the disbursement report only") }
    }

    /// Writes the fields that are set into an open request object.
    public func encode(to w: inout JSONWriter) {
        w.key("kind"); w.string(kind.rawValue)
        if let asOf { w.key("as_of"); w.string(asOf.description) }
        if let knownAt { w.key("known_at"); w.string(knownAt.description) }
        if let throughSeq { w.key("through_seq"); w.int(Int64(clamping: throughSeq)) }
        if let agency { w.key("agency"); w.string(agency.text) }
        if let plan { w.key("plan"); w.string(plan.text) }
        if let year { w.key("year"); w.int(year) }
        if let decision { w.key("decision"); w.string(decision.text) }
        if let month { w.key("month"); w.string(month.description) }
    }
}
