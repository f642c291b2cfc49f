import Events

/// One agency as listed by `trackctl agencies`: every registered agency, with or without plans.
public struct AgencySummary: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The plans recorded under it (in scope).
    public var planCount: Int
    /// The tasks of those plans.
    public var taskCount: Int
    /// What its plans ask for (nil when no task states an amount).
    public var planned: Money?
    /// What its allocation lines hold in scope (the allocation in force).
    public var allocated: Money
    public var note: String?
    /// The successors it ceased into by the as-of date, the day and the document (empty when it stands).
    public var succeededBy: [String] = []
    public var succeededOn: BusinessDate?
    public var succession: String?
    /// The agencies it received plans, tasks and lines from by the as-of date.
    public var formerly: [String] = []

    /// The lineage in words: "→ SKHCN, SVHTTDL from 01/03/2025 (…)", "formerly STTTT".
    public var lineage: String {
        var parts: [String] = []
        if !formerly.isEmpty { parts.append("formerly " + formerly.joined(separator: ", ")) }
        if let succeededOn { parts.append("→ " + succeededBy.joined(separator: ", ") + " from " + succeededOn.vietnamese + (succession.map { " (\($0))" } ?? "")) }
        return parts.joined(separator: "; ")
    }

    public init(id: String, name: String, planCount: Int, taskCount: Int, planned: Money?, allocated: Money, note: String?) {
        self.id = id
        self.name = name
        self.planCount = planCount
        self.taskCount = taskCount
        self.planned = planned
        self.allocated = allocated
        self.note = note
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.string(id)
        w.key("name"); w.string(name)
        w.key("plans"); w.int(planCount)
        w.key("tasks"); w.int(taskCount)
        w.money("planned", planned)
        w.money("allocated", allocated)
        if let note { w.key("note"); w.string(note) }
        if !formerly.isEmpty {
            w.key("formerly")
            w.beginArray()
            for id in formerly { w.string(id) }
            w.endArray()
        }
        if let succeededOn {
            w.key("succeeded_by")
            w.beginArray()
            for id in succeededBy { w.string(id) }
            w.endArray()
            w.key("succeeded_on"); w.date(succeededOn)
            if let succession { w.key("succession"); w.string(succession) }
        }
        w.endObject()
    }

    private static func strings(_ values: [JSONValue]) -> [String] {
        values.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    public init(json: JSONObject) throws(TrackerError) {
        self.init(id: try json.string("id"), name: try json.string("name"), planCount: Int(try json.int("plans")),
                  taskCount: Int(try json.int("tasks")), planned: try json.optionalMoneyValue("planned"),
                  allocated: try json.moneyValue("allocated"), note: try json.optionalString("note"))
        formerly = Self.strings(try json.optionalArray("formerly"))
        succeededBy = Self.strings(try json.optionalArray("succeeded_by"))
        succeededOn = try json.optionalDate("succeeded_on")
        succession = try json.optionalString("succession")
    }
}

extension Ledger {
    /// Every agency registered by the scope's record, in the order registered, with the plans and
    /// tasks recorded under it, their planned money, the allocation lines it holds on the as-of date
    /// (successions followed) and its lineage; optionally those matching `search`.
    public func agencies(scope: QueryScope, search: String? = nil) throws(TrackerError) -> [AgencySummary] {
        // Plans, tasks and planned money go to the agency holding each task on the as-of date
        // (successions followed), as `status --by agency` counts them; a plan without tasks to its own.
        var held: [AgencyID: (plans: Set<PlanID>, tasks: Int, planned: Money?)] = [:]
        for (planID, plan) in plans where plan.seq <= scope.throughSeq && plan.event.issued <= scope.asOf {
            var anyTask = false
            for taskID in plan.tasks {
                guard let stored = tasks[taskID], stored.seq <= scope.throughSeq else { continue }
                anyTask = true
                let holder = holder(of: stored, in: scope)
                var entry = held[holder] ?? ([], 0, nil)
                entry.plans.insert(planID)
                entry.tasks += 1
                if let amount = self.task(stored, in: scope).event.planned {
                    entry.planned = try (entry.planned ?? .zero).plus(amount, "the planned money of agency \(holder)")
                }
                held[holder] = entry
            }
            if !anyTask { held[plan.event.agency, default: ([], 0, nil)].plans.insert(planID) }
        }
        var result: [AgencySummary] = []
        for id in agencyOrder {
            guard let agency = agencies[id], agency.seq <= scope.throughSeq else { continue }
            if let search, !Text.matches(agency.event.id.text + "\n" + agency.event.name, search) { continue }
            let planCount = held[id]?.plans.count ?? 0, taskCount = held[id]?.tasks ?? 0
            let planned = held[id]?.planned
            var allocated = Money.zero
            for line in lines where includes(line, in: scope) && holder(of: line, in: scope) == id {
                allocated = try allocated.plus(try figures(of: line, in: scope).allocated, "the allocated money of agency \(id)")
            }
            var summary = AgencySummary(id: agency.event.id.text, name: agency.event.name, planCount: planCount, taskCount: taskCount,
                                        planned: planned, allocated: allocated, note: agency.event.note)
            summary.formerly = lineage.predecessors(of: id, on: scope.asOf, throughSeq: scope.throughSeq).map(\.text)
            if let ceased = lineage.succession(of: id, on: scope.asOf, throughSeq: scope.throughSeq) {
                summary.succeededBy = ceased.to.map(\.text)
                summary.succeededOn = ceased.effective
                summary.succession = ceased.decision
            }
            result.append(summary)
        }
        return result
    }
}
