/// Commands on the wire: `{"id":…,"op":"disburse","task":"860/KH-BDT#1","amount":3402000,…}`.
///
/// Money fields take whole đồng as a JSON integer or a Vietnamese amount as a string ("3,402 triệu").
extension Command {
    /// Reads a command from a request object (whose `op` is one of `Command.operations`).
    public init(request: JSONObject) throws(TrackerError) {
        let op = try request.string("op")
        func allow(_ keys: [String]) throws(TrackerError) {
            try request.rejectUnknownKeys(keys, envelope: true, in: "\(op) request")
        }
        switch op {
        case "agency.register":
            try allow(["agency", "name", "note"])
            self = .registerAgency(RegisterAgency(id: try AgencyID(request.string("agency")), name: try request.text("name"),
                                                  note: try request.optionalText("note")))
        case "plan.create":
            try allow(["plan", "agency", "title", "issued", "period", "note"])
            var body = request
            body["id"] = .string(try request.string("plan"))
            body["plan"] = nil
            self = .createPlan(CreatePlan(try PlanCreated(body: body, version: PlanCreated.version)))
        case "task.add":
            try allow(["task", "plan", "name", "objective", "period", "total", "yearly", "source", "unit", "due", "note"])
            var body = request
            let autoNumber: Bool
            if let plan = try request.optionalString("plan") {
                guard request["task"] == nil else { throw TrackerError(.badRequest, "give either 'task' (PLAN#N) or 'plan' (next number), not both") }
                body["id"] = .string(try PlanID(plan).text + "#1")
                autoNumber = true
            } else {
                body["id"] = .string(try request.string("task"))
                autoNumber = false
            }
            body["task"] = nil
            body["plan"] = nil
            body["source"] = body["source"] ?? .string(FundingSource.unspecified.rawValue)
            self = .addTask(AddTask(try TaskAdded(body: body, version: TaskAdded.version), autoNumber: autoNumber))
        case "allocate":
            try allow(["decision", "signed", "year", "agency", "lines", "note"])
            self = .allocate(Allocate(try FundsAllocated(body: request, version: FundsAllocated.version)))
        case "disburse":
            try allow(["task", "decision", "amount", "date", "ref", "note"])
            self = .disburse(Disburse(task: try TaskID(request.string("task")),
                                      decision: try request.optionalString("decision").map { (text) throws(TrackerError) in try DecisionRef(text) },
                                      amount: try request.money("amount"), date: try request.date("date"),
                                      ref: try PaymentRef(request.string("ref")), note: try request.optionalText("note")))
        case "reverse":
            try allow(["ref", "reason", "date"])
            self = .reverse(Reverse(ref: try PaymentRef(request.string("ref")), reason: try request.text("reason"),
                                    date: try request.optionalDate("date")))
        case "task.status":
            try allow(["task", "to", "date", "reason", "correction"])
            self = .changeStatus(ChangeStatus(task: try TaskID(request.string("task")), to: try TaskStatus.parse(request.string("to")),
                                              date: try request.date("date"), reason: try request.text("reason"),
                                              correction: try request.optionalBool("correction")))
        case "carry-over":
            try allow(["decision", "from", "signed", "lines", "note"])
            var ids = IdentifierReader.validating
            self = .carryOver(CarryOver(decision: try DecisionRef(request.string("decision")), from: try DecisionRef(request.string("from")),
                                        signed: try request.date("signed"), lines: try AllocationLine.list(from: request.array("lines"), ids: &ids),
                                        note: try request.optionalText("note")))
        case "lapse":
            try allow(["decision", "task", "date", "reason"])
            self = .lapse(Lapse(decision: try DecisionRef(request.string("decision")),
                                task: try request.optionalString("task").map { (text) throws(TrackerError) in try TaskID(text) },
                                date: try request.date("date"), reason: try request.text("reason")))
        default:
            throw TrackerError(.unknownOperation, "unknown command '\(op)'")
        }
    }

    /// Writes the command's fields (with `op`, without `id`) into an open request object.
    public func encodeFields(to w: inout JSONWriter) {
        w.key("op"); w.string(operation)
        switch self {
        case .registerAgency(let c):
            w.key("agency"); w.string(c.id.text)
            w.key("name"); w.string(c.name)
            w.optional("note", c.note)
        case .createPlan(let c):
            w.key("plan"); w.string(c.plan.id.text)
            encodeMembers(of: c.plan, to: &w, except: "id")
        case .addTask(let c):
            if c.autoNumber { w.key("plan"); w.string(c.task.id.plan.text) } else { w.key("task"); w.string(c.task.id.description) }
            encodeMembers(of: c.task, to: &w, except: "id")
        case .allocate(let c):
            encodeMembers(of: c.allocation, to: &w, except: nil)
        case .disburse(let c):
            w.key("task"); w.string(c.task.description)
            w.optional("decision", c.decision?.text)
            w.key("amount"); w.int(c.amount.dong)
            w.key("date"); w.string(c.date.description)
            w.key("ref"); w.string(c.ref.text)
            w.optional("note", c.note)
        case .reverse(let c):
            w.key("ref"); w.string(c.ref.text)
            w.key("reason"); w.string(c.reason)
            w.optional("date", c.date?.description)
        case .changeStatus(let c):
            w.key("task"); w.string(c.task.description)
            w.key("to"); w.string(c.to.rawValue)
            w.key("date"); w.string(c.date.description)
            w.key("reason"); w.string(c.reason)
            if c.correction { w.key("correction"); w.bool(true) }
        case .carryOver(let c):
            w.key("decision"); w.string(c.decision.text)
            w.key("from"); w.string(c.from.text)
            w.key("signed"); w.string(c.signed.description)
            w.key("lines")
            AllocationLine.encode(c.lines, to: &w)
            w.optional("note", c.note)
        case .lapse(let c):
            w.key("decision"); w.string(c.decision.text)
            w.optional("task", c.task?.description)
            w.key("date"); w.string(c.date.description)
            w.key("reason"); w.string(c.reason)
        case .raiseAlert(let alert):
            encodeMembers(of: alert, to: &w, except: nil)
        }
    }

    /// The members of an event body, written into the open request object.
    private func encodeMembers(of body: some EventBody, to w: inout JSONWriter, except skipped: String?) {
        var writer = JSONWriter()
        body.encode(to: &writer)
        guard case .object(let object) = try! JSONParser().parse(writer.bytes) else { return }
        for member in object.members where member.key != skipped { w.key(member.key); w.value(member.value) }
    }
}
