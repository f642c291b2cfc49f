/// A succession of agencies (the 2025 reorganisation): from its effective date, what an agency
/// held — its plans, their tasks and the tasks' allocation lines — is held by its successor(s).
///
/// A rename is one successor; a merger is several successions into one agency; a split names
/// which plans (or single tasks) go to which successor. Records made before stay under the name
/// they were made with; as of a date before `effective` the old agency stands with its figures.
public struct AgencySucceeded: EventBody {
    public static let type = "agency.succeeded"
    public static let version = 1

    /// The agency that ceased (or gave up the parts named).
    public var from: AgencyID
    /// The successors; the first takes whatever `parts` does not name.
    public var to: [AgencyID]
    /// The day the successors hold what they received.
    public var effective: BusinessDate
    /// The document that ordered it (a decision's number, or a note that the number is not known).
    public var decision: String
    /// Plans or single tasks and the successor each goes to; everything else goes to `to[0]`.
    public var parts: [SuccessionPart]
    public var note: String?

    public init(from: AgencyID, to: [AgencyID], effective: BusinessDate, decision: String, parts: [SuccessionPart] = [], note: String? = nil) {
        self.from = from
        self.to = to
        self.effective = effective
        self.decision = decision
        self.parts = parts
        self.note = note
    }

    /// The successor that receives `task` (of plan `task.plan`).
    public func successor(of task: TaskID) -> AgencyID {
        if let part = parts.first(where: { $0.task == task }) { return part.to }
        if let part = parts.first(where: { $0.task == nil && $0.plan == task.plan }) { return part.to }
        return to[0]
    }

    /// The successor that receives plan `plan` as a whole (its tasks may go elsewhere one by one).
    public func successor(ofPlan plan: PlanID) -> AgencyID {
        parts.first(where: { $0.task == nil && $0.plan == plan })?.to ?? to[0]
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        encodeMembers(to: &w)
        w.endObject()
    }

    /// The members (the `agency.succeed` request has the same fields).
    func encodeMembers(to w: inout JSONWriter) {
        w.key("from"); w.string(from.text)
        w.key("to")
        w.beginArray()
        for agency in to { w.string(agency.text) }
        w.endArray()
        w.key("effective"); w.string(effective.description)
        w.key("decision"); w.string(decision)
        if !parts.isEmpty {
            w.key("parts")
            w.beginArray()
            for part in parts {
                w.beginObject()
                if let task = part.task { w.key("task"); w.string(task.description) } else { w.key("plan"); w.string(part.plan.text) }
                w.key("to"); w.string(part.to.text)
                w.endObject()
            }
            w.endArray()
        }
        w.optional("note", note)
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        from = try ids.agency(body.string("from"))
        var to: [AgencyID] = []
        for value in try body.array("to") {
            guard case .string(let text) = value else { throw TrackerError(.badRequest, "'to' is a list of agency ids") }
            to.append(try ids.agency(text))
        }
        guard !to.isEmpty else { throw TrackerError(.badRequest, "'to' names at least one successor") }
        self.to = to
        effective = try body.date("effective")
        decision = try body.text("decision")
        var parts: [SuccessionPart] = []
        for value in try body.optionalArray("parts") {
            guard case .object(let object) = value else { throw TrackerError(.badRequest, "each part is an object {\"plan\" or \"task\", \"to\"}") }
            try object.rejectUnknownKeys(["plan", "task", "to"], in: "a part")
            let target = try ids.agency(object.string("to"))
            if let task = try object.optionalString("task") {
                let id = try ids.task(task)
                parts.append(SuccessionPart(plan: id.plan, task: id, to: target))
            } else {
                parts.append(SuccessionPart(plan: try ids.plan(object.string("plan")), task: nil, to: target))
            }
        }
        self.parts = parts
        note = try body.optionalText("note")
    }
}

/// A plan (every task of it) or a single task, and the successor it goes to.
public struct SuccessionPart: Sendable, Equatable {
    public var plan: PlanID
    /// Nil for the whole plan.
    public var task: TaskID?
    public var to: AgencyID
    public init(plan: PlanID, task: TaskID?, to: AgencyID) {
        self.plan = plan
        self.task = task
        self.to = to
    }
}
