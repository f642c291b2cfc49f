import Events

/// How `status` groups its rows.
public enum StatusGrouping: String, Sendable, CaseIterable {
    /// One row per allocation line (a decision's amount for one task).
    case line
    /// One row per allocation decision.
    case decision
    /// One row per task.
    case task
    /// One row per plan.
    case plan
    /// One row per agency, ranked by disbursement rate.
    case agency
    /// One row per funding source.
    case source
    /// One row per budget year.
    case year
}

/// A request for progress figures.
public struct StatusQuery: Sendable, Equatable {
    public var scope: QueryScope
    public var agency: AgencyID?
    public var plan: PlanID?
    public var year: Int?
    public var grouping: StatusGrouping

    public init(scope: QueryScope, agency: AgencyID? = nil, plan: PlanID? = nil, year: Int? = nil, grouping: StatusGrouping = .line) {
        self.scope = scope
        self.agency = agency
        self.plan = plan
        self.year = year
        self.grouping = grouping
    }
}

/// Figures for one group (or the total).
public struct StatusRow: Sendable, Equatable {
    /// The group's id (a task id, a decision number, an agency id, a year...).
    public var key: String
    /// A readable name (task name, agency name, source name).
    public var label: String
    /// The agency, where the group belongs to one.
    public var agency: String?
    /// The decision, on line rows.
    public var decision: String?
    /// The task, on line rows.
    public var task: String?
    /// The budget year, on line and decision rows.
    public var fiscalYear: Int?
    /// Signing date of the decision, on line and decision rows.
    public var signed: BusinessDate?
    /// What the plans ask for (nil where no plan amount applies).
    public var planned: Money?
    public var allocated: Money
    public var disbursed: Money
    public var remaining: Money
    /// How many allocation lines are counted.
    public var lineCount: Int

    /// Disbursed against allocated.
    public var rateOfAllocation: Rate? { Rate(disbursed, of: allocated) }
    /// Disbursed against planned.
    public var rateOfPlan: Rate? { planned.flatMap { Rate(disbursed, of: $0) } }

    public init(key: String, label: String, agency: String? = nil, decision: String? = nil, task: String? = nil, fiscalYear: Int? = nil,
                signed: BusinessDate? = nil, planned: Money?, allocated: Money, disbursed: Money, remaining: Money, lineCount: Int) {
        self.key = key
        self.label = label
        self.agency = agency
        self.decision = decision
        self.task = task
        self.fiscalYear = fiscalYear
        self.signed = signed
        self.planned = planned
        self.allocated = allocated
        self.disbursed = disbursed
        self.remaining = remaining
        self.lineCount = lineCount
    }
}

/// The answer to a `StatusQuery`.
public struct StatusReport: Sendable, Equatable {
    public var asOf: BusinessDate
    /// The last record counted.
    public var throughSeq: UInt64
    public var grouping: StatusGrouping
    public var agency: String?
    public var plan: String?
    public var year: Int?
    public var rows: [StatusRow]
    public var total: StatusRow

    public init(asOf: BusinessDate, throughSeq: UInt64, grouping: StatusGrouping, agency: String?, plan: String?, year: Int?,
                rows: [StatusRow], total: StatusRow) {
        self.asOf = asOf
        self.throughSeq = throughSeq
        self.grouping = grouping
        self.agency = agency
        self.plan = plan
        self.year = year
        self.rows = rows
        self.total = total
    }
}

extension Ledger {
    /// Progress figures: planned, allocated, disbursed, remaining and both rates, grouped.
    ///
    /// Lines count when their decision is signed on or before `asOf` (and known); disbursements
    /// when dated on or before `asOf`. Planned amounts come from the tasks of plans issued by then,
    /// for `year` when one is given (yearly amounts, or the total of a one-year task).
    public func status(_ query: StatusQuery) throws(TrackerError) -> StatusReport {
        let scope = query.scope
        if let agency = query.agency, agencies[agency] == nil { throw TrackerError(.notFound, "agency \(agency) is not registered") }
        if let plan = query.plan, plans[plan] == nil { throw TrackerError(.notFound, "plan \(plan) is not recorded") }

        var groups: [String: StatusRow] = [:]
        var order: [String] = []

        func groupKey(line: Line?, task: Task) -> (key: String, label: String, agency: String?) {
            switch query.grouping {
            case .line:
                let line = line!
                return ("\(line.decision.text) \(line.task)", task.event.name, line.agency.text)
            case .decision:
                let line = line!
                return (line.decision.text, "QĐ \(line.decision.text)", line.agency.text)
            case .task:
                return (task.event.id.description, task.event.name, task.agency.text)
            case .plan:
                let plan = plans[task.event.id.plan]!
                return (plan.event.id.text, plan.event.title, plan.event.agency.text)
            case .agency:
                return (task.agency.text, agencies[task.agency]?.event.name ?? task.agency.text, task.agency.text)
            case .source:
                return (task.event.source.rawValue, task.event.source.vietnameseName, nil)
            case .year:
                return (String(line?.fiscalYear ?? query.year ?? 0), "Năm \(line?.fiscalYear ?? query.year ?? 0)", nil)
            }
        }

        func touch(_ key: (key: String, label: String, agency: String?)) {
            if groups[key.key] == nil {
                groups[key.key] = StatusRow(key: key.key, label: key.label, agency: key.agency,
                                            planned: nil, allocated: .zero, disbursed: .zero, remaining: .zero, lineCount: 0)
                order.append(key.key)
            }
        }

        // Planned amounts, where the grouping has a plan side (first, so rows come in plan and document order).
        func yearKey(_ year: Int) -> (key: String, label: String, agency: String?) { (String(year), "Năm \(year)", nil) }
        func plannedContributions(of task: Task) -> [(key: (key: String, label: String, agency: String?), amount: Money)] {
            if query.grouping == .year {
                if let year = query.year { return task.event.planned(inYear: year).map { [(yearKey(year), $0)] } ?? [] }
                if !task.event.yearly.isEmpty { return task.event.yearly.map { (yearKey($0.year), $0.amount) } }
                if let total = task.event.total, task.event.period.first == task.event.period.last {
                    return [(yearKey(task.event.period.first), total)]
                }
                return []
            }
            let planned = query.year.map { task.event.planned(inYear: $0) } ?? task.event.planned
            return planned.map { [(groupKey(line: nil, task: task), $0)] } ?? []
        }
        var totalPlanned: Money? = nil
        if query.grouping != .line && query.grouping != .decision {
            for agencyID in agencyOrder where query.agency == nil || query.agency == agencyID {
                for planID in agencies[agencyID]?.plans ?? [] where query.plan == nil || query.plan == planID {
                    for taskID in plans[planID]?.tasks ?? [] {
                        guard let task = tasks[taskID], includes(task, in: scope) else { continue }
                        for contribution in plannedContributions(of: task) {
                            touch(contribution.key)
                            groups[contribution.key.key]!.planned = (groups[contribution.key.key]!.planned ?? .zero) + contribution.amount
                            totalPlanned = (totalPlanned ?? .zero) + contribution.amount
                        }
                    }
                }
            }
        }

        // Allocation lines and disbursements.
        for line in lines where includes(line, in: scope) {
            if let agency = query.agency, line.agency != agency { continue }
            if let plan = query.plan, line.plan != plan { continue }
            if let year = query.year, line.fiscalYear != year { continue }
            guard let task = tasks[line.task] else { continue }
            let key = groupKey(line: line, task: task)
            touch(key)
            let disbursed = disbursed(on: line, in: scope)
            groups[key.key]!.allocated = groups[key.key]!.allocated + line.allocated
            groups[key.key]!.disbursed = groups[key.key]!.disbursed + disbursed
            groups[key.key]!.lineCount += 1
            if query.grouping == .line || query.grouping == .decision {
                groups[key.key]!.decision = line.decision.text
                groups[key.key]!.fiscalYear = line.fiscalYear
                groups[key.key]!.signed = line.signed
            }
            if query.grouping == .line { groups[key.key]!.task = line.task.description }
        }

        var rows = order.map { key -> StatusRow in
            var row = groups[key]!
            row.remaining = row.allocated - row.disbursed
            return row
        }
        switch query.grouping {
        case .agency:
            // Ranked by rate of allocation, highest first; agencies without allocations last.
            rows.sort { a, b in
                switch (a.rateOfAllocation, b.rateOfAllocation) {
                case let (x?, y?): return x != y ? x > y : a.key < b.key
                case (_?, nil): return true
                case (nil, _?): return false
                case (nil, nil): return a.key < b.key
                }
            }
        case .year:
            rows.sort { $0.key < $1.key }
        default:
            break
        }
        var total = StatusRow(key: "total", label: "Tổng cộng", planned: totalPlanned, allocated: .zero, disbursed: .zero, remaining: .zero, lineCount: 0)
        for row in rows {
            total.allocated = total.allocated + row.allocated
            total.disbursed = total.disbursed + row.disbursed
            total.lineCount += row.lineCount
        }
        total.remaining = total.allocated - total.disbursed
        return StatusReport(asOf: scope.asOf, throughSeq: min(scope.throughSeq, lastSeq), grouping: query.grouping,
                            agency: query.agency.map { agencies[$0]!.event.id.text }, plan: query.plan.map { plans[$0]!.event.id.text },
                            year: query.year, rows: rows, total: total)
    }
}
