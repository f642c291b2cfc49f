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
        w.endObject()
    }

    public init(json: JSONObject) throws(TrackerError) {
        self.init(id: try json.string("id"), name: try json.string("name"), planCount: Int(try json.int("plans")),
                  taskCount: Int(try json.int("tasks")), planned: try json.optionalMoneyValue("planned"),
                  allocated: try json.moneyValue("allocated"), note: try json.optionalString("note"))
    }
}

extension Ledger {
    /// Every agency registered by the scope's record, in the order registered, with its plans,
    /// tasks, planned and allocated money in scope; optionally those matching `search`.
    public func agencies(scope: QueryScope, search: String? = nil) throws(TrackerError) -> [AgencySummary] {
        var result: [AgencySummary] = []
        for id in agencyOrder {
            guard let agency = agencies[id], agency.seq <= scope.throughSeq else { continue }
            if let search, !Text.matches(agency.event.id.text + "\n" + agency.event.name, search) { continue }
            var planCount = 0, taskCount = 0
            var planned: Money? = nil
            for planID in agency.plans {
                guard let plan = plans[planID], plan.seq <= scope.throughSeq, plan.event.issued <= scope.asOf else { continue }
                planCount += 1
                for taskID in plan.tasks {
                    guard let task = tasks[taskID], task.seq <= scope.throughSeq else { continue }
                    taskCount += 1
                    if let amount = task.event.planned { planned = try (planned ?? .zero).plus(amount, "the planned money of agency \(id)") }
                }
            }
            var allocated = Money.zero
            for line in lines where line.agency == id && includes(line, in: scope) {
                allocated = try allocated.plus(try figures(of: line, in: scope).allocated, "the allocated money of agency \(id)")
            }
            result.append(AgencySummary(id: agency.event.id.text, name: agency.event.name, planCount: planCount, taskCount: taskCount,
                                        planned: planned, allocated: allocated, note: agency.event.note))
        }
        return result
    }
}
