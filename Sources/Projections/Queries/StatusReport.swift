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
    /// One row per province, ranked by disbursement rate against the weighted average of all
    /// (in a national mirror, where agencies are namespaced `PROVINCE:AGENCY`; a province's own
    /// daemon has one row, its configured province).
    case province
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

/// Figures for one group (or a total).
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
    /// The decision a carried-over line's money came from.
    public var carriedFrom: String?
    /// What the plans ask for (nil where no plan amount applies).
    public var planned: Money?
    public var allocated: Money
    public var disbursed: Money
    /// Moved to the next budget year.
    public var carriedOut: Money
    /// Cancelled after the deadline.
    public var lapsed: Money
    /// What can still be disbursed.
    public var remaining: Money
    /// How many allocation lines are counted.
    public var lineCount: Int
    /// Line rows: days from the query date to 31/12 of the budget year (negative when past).
    public var daysLeft: Int?
    /// Line rows: the rate the straight line from the allocation date to 31/12 expects by the query date.
    public var expected: Rate?
    /// Agency rows: whether the agency is below the average rate of the rows (the province's rate).
    public var belowAverage: Bool?

    /// Disbursed against allocated.
    public var rateOfAllocation: Rate? { Rate(disbursed, of: allocated) }
    /// Disbursed against planned.
    public var rateOfPlan: Rate? { planned.flatMap { Rate(disbursed, of: $0) } }
    /// Line rows: whether the rate is below the straight line.
    public var behindStraightLine: Bool? {
        guard let expected else { return nil }
        return (rateOfAllocation ?? Rate(milliPercent: 0)) < expected && remaining.dong > 0
    }
    /// Whether the money was allocated after 30/9 of its budget year (different carry-over rules apply).
    public var allocatedAfterSeptember: Bool? {
        guard let signed, let fiscalYear, let september = BusinessDate(year: fiscalYear, month: 9, day: 30) else { return nil }
        return signed > september
    }

    public init(key: String, label: String, agency: String? = nil, decision: String? = nil, task: String? = nil, fiscalYear: Int? = nil,
                signed: BusinessDate? = nil, carriedFrom: String? = nil, planned: Money?, allocated: Money, disbursed: Money,
                carriedOut: Money = .zero, lapsed: Money = .zero, remaining: Money, lineCount: Int, daysLeft: Int? = nil,
                expected: Rate? = nil, belowAverage: Bool? = nil) {
        self.key = key
        self.label = label
        self.agency = agency
        self.decision = decision
        self.task = task
        self.fiscalYear = fiscalYear
        self.signed = signed
        self.carriedFrom = carriedFrom
        self.planned = planned
        self.allocated = allocated
        self.disbursed = disbursed
        self.carriedOut = carriedOut
        self.lapsed = lapsed
        self.remaining = remaining
        self.lineCount = lineCount
        self.daysLeft = daysLeft
        self.expected = expected
        self.belowAverage = belowAverage
    }

    static func empty(key: String, label: String, agency: String?) -> StatusRow {
        StatusRow(key: key, label: label, agency: agency, planned: nil, allocated: .zero, disbursed: .zero, remaining: .zero, lineCount: 0)
    }

    mutating func add(_ figures: Ledger.LineFigures) throws(TrackerError) {
        try add(allocated: figures.allocated, disbursed: figures.disbursed, carriedOut: figures.carriedOut, lapsed: figures.lapsed,
                remaining: figures.remaining, lines: 1)
    }

    /// Adds figures to the row's, checked (see `Money.plus`).
    mutating func add(allocated: Money, disbursed: Money, carriedOut: Money, lapsed: Money, remaining: Money, lines: Int) throws(TrackerError) {
        self.allocated = try self.allocated.plus(allocated, "the allocated money of \(key)")
        self.disbursed = try self.disbursed.plus(disbursed, "the disbursed money of \(key)")
        self.carriedOut = try self.carriedOut.plus(carriedOut, "the carried-over money of \(key)")
        self.lapsed = try self.lapsed.plus(lapsed, "the lapsed money of \(key)")
        self.remaining = try self.remaining.plus(remaining, "the remaining money of \(key)")
        lineCount += lines
    }
}

/// The answer to a `StatusQuery`: the year's own money, and apart from it money carried over
/// from earlier years (chuyển nguồn), each with its total. A đồng carried over is counted once:
/// in the old line as carried out, in the new year as a carried-over line.
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
    /// Carried-over money, grouped the same way.
    public var carriedRows: [StatusRow]
    public var carriedTotal: StatusRow

    public init(asOf: BusinessDate, throughSeq: UInt64, grouping: StatusGrouping, agency: String?, plan: String?, year: Int?,
                rows: [StatusRow], total: StatusRow, carriedRows: [StatusRow] = [], carriedTotal: StatusRow? = nil) {
        self.asOf = asOf
        self.throughSeq = throughSeq
        self.grouping = grouping
        self.agency = agency
        self.plan = plan
        self.year = year
        self.rows = rows
        self.total = total
        self.carriedRows = carriedRows
        self.carriedTotal = carriedTotal ?? .empty(key: "carried", label: "Chuyển nguồn", agency: nil)
    }
}

/// What fixes a line row of a status report with every record known, for a cache of encoded rows
/// kept outside the report (the daemon's): the line (its index in the ledger never changes) and
/// how many movements it has. Two such rows with the same key and query date are the same row.
public struct LineRowKey: Sendable, Hashable {
    /// The line's index in the ledger.
    public var line: Int
    /// How many movements the line has.
    public var movements: Int

    public init(line: Int, movements: Int) {
        self.line = line
        self.movements = movements
    }
}

/// What a row groups by. Hashing these (ids hash their folded, ASCII keys) is far cheaper than
/// hashing display text with Vietnamese diacritics, which Swift normalises on every hash.
private enum GroupKey: Hashable {
    case line(Int)
    case decision(DecisionRef)
    case task(TaskID)
    case plan(PlanID)
    case agency(AgencyID)
    case source(FundingSource)
    case year(Int)
    case province(String)
}

/// Rows gathered by key, in the order first seen; each row is changed in place.
private struct Groups {
    var index: [GroupKey: Int] = [:]
    var rows: [StatusRow] = []
    /// For each row, its `LineRowKey` where it has one.
    var lineKeys: [LineRowKey?] = []

    /// The row for `key`, made by `make` the first time.
    mutating func row(_ key: GroupKey, _ make: () -> (key: String, label: String, agency: String?)) -> Int {
        if case .line = key {
            // Every line is a row of its own: nothing to look up.
            let fields = make()
            rows.append(.empty(key: fields.key, label: fields.label, agency: fields.agency))
            lineKeys.append(nil)
            return rows.count - 1
        }
        if let position = index[key] { return position }
        let fields = make()
        rows.append(.empty(key: fields.key, label: fields.label, agency: fields.agency))
        lineKeys.append(nil)
        index[key] = rows.count - 1
        return rows.count - 1
    }

    func total(key: String, label: String, planned: Money?) throws(TrackerError) -> StatusRow {
        var total = StatusRow.empty(key: key, label: label, agency: nil)
        total.planned = planned
        for row in rows {
            try total.add(allocated: row.allocated, disbursed: row.disbursed, carriedOut: row.carriedOut, lapsed: row.lapsed,
                          remaining: row.remaining, lines: row.lineCount)
        }
        return total
    }
}

extension Ledger {
    /// Progress figures: planned, allocated, disbursed, carried over, lapsed, remaining and both rates, grouped.
    ///
    /// Lines count when their decision is signed on or before `asOf` (and known); movements when
    /// dated on or before `asOf`. Planned amounts come from the tasks of plans issued by then, for
    /// `year` when one is given (yearly amounts, or the total of a one-year task).
    public func status(_ query: StatusQuery) throws(TrackerError) -> StatusReport {
        try statusWithLineKeys(query).report
    }

    /// The same report, and for each of its rows (the year's own, then the carried-over, counted
    /// as one sequence, as a page cursor counts them) its `LineRowKey` where it has one: rows by
    /// line, counted with every record known.
    public func statusWithLineKeys(_ query: StatusQuery) throws(TrackerError) -> (report: StatusReport, lineKeys: [LineRowKey?]) {
        let scope = query.scope
        if let agency = query.agency, agencies[agency] == nil { throw TrackerError(.notFound, "agency \(agency) is not registered") }
        if let plan = query.plan, plans[plan] == nil { throw TrackerError(.notFound, "plan \(plan) is not recorded") }
        var own = Groups()
        var carried = Groups()

        /// The group of a task's planned amount.
        func groupKey(task: Task) -> GroupKey {
            switch query.grouping {
            case .line, .decision: preconditionFailure("lines and decisions have no planned amounts")
            case .task: .task(task.event.id)
            case .plan: .plan(task.event.id.plan)
            case .agency: .agency(task.agency)
            case .source: .source(task.event.source)
            case .year: .year(query.year ?? 0)
            case .province: .province(province(of: task.agency))
            }
        }

        /// The group of line `index` (from the line's own fields: no task to fetch).
        func groupKey(line index: Int) -> GroupKey {
            switch query.grouping {
            case .line: .line(index)
            case .decision: .decision(lines[index].decision)
            case .task: .task(lines[index].task)
            case .plan: .plan(lines[index].plan)
            case .agency: .agency(lines[index].agency)
            case .source: .source(lines[index].source)
            case .year: .year(lines[index].fiscalYear)
            case .province: .province(province(of: lines[index].agency))
            }
        }

        /// A new row's key, label and agency (the task is fetched only here).
        func fields(_ key: GroupKey, task taskID: TaskID) -> (key: String, label: String, agency: String?) {
            switch key {
            case .line(let index):
                let names = lines[index].names
                return (names.key, names.label, names.agency)
            case .decision(let decision):
                let line = lines.first { $0.decision == decision }
                return (decision.text, line?.carriedFrom.map { "chuyển nguồn từ \($0.text)" } ?? "QĐ \(decision.text)", line?.agency.text)
            case .task: return (taskID.description, tasks[taskID]?.event.name ?? taskID.description, tasks[taskID]?.agency.text)
            case .plan(let id):
                let plan = plans[id]!
                return (plan.event.id.text, plan.event.title, plan.event.agency.text)
            case .agency(let id): return (id.text, agencies[id]?.event.name ?? id.text, id.text)
            case .source(let source): return (source.rawValue, source.vietnameseName, nil)
            case .year(let year): return (String(year), "Năm \(year)", nil)
            case .province(let code): return (code, "Tỉnh \(code)", nil)
            }
        }

        // Planned amounts first, where the grouping has a plan side, so rows come in plan and document order.
        func plannedContributions(of task: Task) -> [(key: GroupKey, amount: Money)] {
            if query.grouping == .year {
                if let year = query.year { return task.event.planned(inYear: year).map { [(.year(year), $0)] } ?? [] }
                if !task.event.yearly.isEmpty { return task.event.yearly.map { (.year($0.year), $0.amount) } }
                if let total = task.event.total, task.event.period.first == task.event.period.last {
                    return [(.year(task.event.period.first), total)]
                }
                return []
            }
            let planned = query.year.map { task.event.planned(inYear: $0) } ?? task.event.planned
            return planned.map { [(groupKey(task: task), $0)] } ?? []
        }
        var totalPlanned: Money? = nil
        if query.grouping != .line && query.grouping != .decision {
            for agencyID in agencyOrder where query.agency == nil || query.agency == agencyID {
                for planID in agencies[agencyID]?.plans ?? [] where query.plan == nil || query.plan == planID {
                    for taskID in plans[planID]?.tasks ?? [] {
                        guard let task = tasks[taskID], includes(task, in: scope) else { continue }
                        for contribution in plannedContributions(of: task) {
                            let row = own.row(contribution.key) { fields(contribution.key, task: taskID) }
                            own.rows[row].planned = try (own.rows[row].planned ?? .zero).plus(contribution.amount, "the planned money of \(own.rows[row].key)")
                            totalPlanned = try (totalPlanned ?? .zero).plus(contribution.amount, "the planned money of this report")
                        }
                    }
                }
            }
        }

        // Allocation lines and their movements: own money, and carried-over money apart.
        let allKnown = scope.throughSeq >= lastSeq
        for index in lines.indices {
            guard includes(lines[index], in: scope) else { continue }
            if let agency = query.agency, lines[index].agency != agency { continue }
            if let plan = query.plan, lines[index].plan != plan { continue }
            if let year = query.year, lines[index].fiscalYear != year { continue }
            let key = groupKey(line: index)
            let figures = try self.figures(of: lines[index], in: scope)
            let line = (decision: lines[index].decision, task: lines[index].task, fiscalYear: lines[index].fiscalYear,
                        signed: lines[index].signed, carriedFrom: lines[index].carriedFrom, names: lines[index].names)
            func record(into groups: inout Groups) throws(TrackerError) {
                let row = groups.row(key) { fields(key, task: line.task) }
                try groups.rows[row].add(figures)
                guard query.grouping == .line || query.grouping == .decision else { return }
                groups.rows[row].decision = line.names.decision
                groups.rows[row].fiscalYear = line.fiscalYear
                groups.rows[row].signed = line.signed
                groups.rows[row].carriedFrom = line.names.carriedFrom
                guard query.grouping == .line else { return }
                if allKnown { groups.lineKeys[row] = LineRowKey(line: index, movements: lines[index].entries.count) }
                groups.rows[row].task = line.names.task
                groups.rows[row].daysLeft = BusinessDate.endOfYear(line.fiscalYear).map { scope.asOf.days(until: $0) }
                groups.rows[row].expected = YearEnd.straightLine(signed: line.signed, fiscalYear: line.fiscalYear, on: scope.asOf)
            }
            if line.carriedFrom == nil { try record(into: &own) } else { try record(into: &carried) }
        }

        var rows = own.rows
        var total = try own.total(key: "total", label: "Tổng cộng", planned: totalPlanned)
        switch query.grouping {
        case .agency, .province:
            // Ranked by rate of allocation, highest first; rows without allocations last.
            rows.sort { a, b in
                switch (a.rateOfAllocation, b.rateOfAllocation) {
                case let (x?, y?): return x != y ? x > y : a.key < b.key
                case (_?, nil): return true
                case (nil, _?): return false
                case (nil, nil): return a.key < b.key
                }
            }
            if let average = total.rateOfAllocation {
                for index in rows.indices where rows[index].rateOfAllocation != nil {
                    rows[index].belowAverage = rows[index].rateOfAllocation! < average
                }
            }
        case .year:
            rows.sort { $0.key < $1.key }
        default:
            break
        }
        total.expected = nil
        let report = StatusReport(asOf: scope.asOf, throughSeq: min(scope.throughSeq, lastSeq), grouping: query.grouping,
                                  agency: query.agency.map { agencies[$0]!.event.id.text }, plan: query.plan.map { plans[$0]!.event.id.text },
                                  year: query.year, rows: rows, total: total,
                                  carriedRows: carried.rows, carriedTotal: try carried.total(key: "carried", label: "Chuyển nguồn", planned: nil))
        // Only rows by line have keys, and those rows keep the order they were made in.
        return (report, query.grouping == .line ? own.lineKeys + carried.lineKeys : [])
    }
}
