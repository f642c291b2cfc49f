import Events

/// Query parameters as they travel: `as_of`, `known_at`, `agency`, `plan`, `year`, `by`, `search`.
public struct QueryParameters: Sendable, Equatable {
    /// The business date (default: today by the daemon's clock).
    public var asOf: BusinessDate?
    /// Only records recorded by this time.
    public var knownAt: Timestamp?
    public var agency: AgencyID?
    public var plan: PlanID?
    public var year: Int?
    public var grouping: StatusGrouping?
    public var search: String?

    public init(asOf: BusinessDate? = nil, knownAt: Timestamp? = nil, agency: AgencyID? = nil, plan: PlanID? = nil, year: Int? = nil,
                grouping: StatusGrouping? = nil, search: String? = nil) {
        self.asOf = asOf
        self.knownAt = knownAt
        self.agency = agency
        self.plan = plan
        self.year = year
        self.grouping = grouping
        self.search = search
    }

    /// Reads the parameters from a request, refusing fields `op` does not take.
    public init(request: JSONObject, allowed: [String], op: String) throws(TrackerError) {
        try request.rejectUnknownKeys(allowed, envelope: true, in: "\(op) request")
        asOf = try request.optionalDate("as_of")
        if let text = try request.optionalString("known_at") { knownAt = try Timestamp.parse(text) }
        agency = try request.optionalString("agency").map { (text) throws(TrackerError) in try AgencyID(text) }
        plan = try request.optionalString("plan").map { (text) throws(TrackerError) in try PlanID(text) }
        if request["year"] != nil && request["year"] != .null { year = try request.fiscalYear("year") }
        if let by = try request.optionalString("by") {
            guard let grouping = StatusGrouping(rawValue: by) else {
                throw TrackerError(.invalidArgument, "'by' must be one of \(StatusGrouping.allCases.map(\.rawValue).joined(separator: ", ")), got '\(by)'")
            }
            self.grouping = grouping
        }
        search = try request.optionalString("search")
    }

    /// Writes the parameters that are set into an open request object.
    public func encode(to w: inout JSONWriter) {
        if let asOf { w.key("as_of"); w.string(asOf.description) }
        if let knownAt { w.key("known_at"); w.string(knownAt.description) }
        if let agency { w.key("agency"); w.string(agency.text) }
        if let plan { w.key("plan"); w.string(plan.text) }
        if let year { w.key("year"); w.int(year) }
        if let grouping { w.key("by"); w.string(grouping.rawValue) }
        if let search { w.key("search"); w.string(search) }
    }
}
