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
    /// One row per province (the province each holding agency belongs to on the as-of date).
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
    /// The part of `planned` that the plans give for several years without a split by year,
    /// counted in a view of one year (or in the "not split by year" row of a view by year); it is
    /// left out of the rate against the plan, which takes only the year's own amounts.
    public var plannedNotSplit: Money?
    public var allocated: Money
    public var disbursed: Money
    /// Moved to the next budget year.
    public var carriedOut: Money
    /// Cancelled after the deadline.
    public var lapsed: Money
    /// Refunded after the adjustment period: returned to the budget (nộp trả ngân sách).
    public var returned: Money
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
    /// Disbursed against planned: against the amounts the plans give for the scope's years, not
    /// counting multi-year money they do not split by year.
    public var rateOfPlan: Rate? {
        guard let planned else { return nil }
        return Rate(disbursed, of: planned - (plannedNotSplit ?? .zero))
    }
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
                signed: BusinessDate? = nil, carriedFrom: String? = nil, planned: Money?, plannedNotSplit: Money? = nil, allocated: Money,
                disbursed: Money, carriedOut: Money = .zero, lapsed: Money = .zero, returned: Money = .zero, remaining: Money, lineCount: Int,
                daysLeft: Int? = nil, expected: Rate? = nil, belowAverage: Bool? = nil) {
        self.key = key
        self.label = label
        self.agency = agency
        self.decision = decision
        self.task = task
        self.fiscalYear = fiscalYear
        self.signed = signed
        self.carriedFrom = carriedFrom
        self.planned = planned
        self.plannedNotSplit = plannedNotSplit
        self.allocated = allocated
        self.disbursed = disbursed
        self.carriedOut = carriedOut
        self.lapsed = lapsed
        self.returned = returned
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
        try addMoney(allocated: figures.allocated, disbursed: figures.disbursed, carriedOut: figures.carriedOut, lapsed: figures.lapsed,
                     returned: figures.returned, remaining: figures.remaining)
        lineCount += 1
    }

    /// Adds another row's figures (planned ones too) to this one's, checked (see `Money.plus`).
    mutating func add(_ row: StatusRow) throws(TrackerError) {
        try addMoney(allocated: row.allocated, disbursed: row.disbursed, carriedOut: row.carriedOut, lapsed: row.lapsed,
                     returned: row.returned, remaining: row.remaining)
        lineCount += row.lineCount
    }

    /// Adds a planned amount; `notSplit` when the plans give it for several years without a split.
    mutating func addPlanned(_ amount: Money, notSplit: Bool) throws(TrackerError) {
        planned = try (planned ?? .zero).plus(amount, "the planned money of \(key)")
        if notSplit { plannedNotSplit = try (plannedNotSplit ?? .zero).plus(amount, "the planned money of \(key) not split by year") }
    }

    private mutating func addMoney(allocated: Money, disbursed: Money, carriedOut: Money, lapsed: Money, returned: Money,
                                   remaining: Money) throws(TrackerError) {
        self.allocated = try self.allocated.plus(allocated, "the allocated money of \(key)")
        self.disbursed = try self.disbursed.plus(disbursed, "the disbursed money of \(key)")
        self.carriedOut = try self.carriedOut.plus(carriedOut, "the carried-over money of \(key)")
        self.lapsed = try self.lapsed.plus(lapsed, "the lapsed money of \(key)")
        self.returned = try self.returned.plus(returned, "the money of \(key) returned to the budget")
        self.remaining = try self.remaining.plus(remaining, "the remaining money of \(key)")
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
    /// `Ledger.plansSeq` when the row was made: a revision of its task (its name) or a succession
    /// (who holds it) moves it, and the row is made afresh.
    public var plansSeq: UInt64

    public init(line: Int, movements: Int, plansSeq: UInt64) {
        self.line = line
        self.movements = movements
        self.plansSeq = plansSeq
    }
}

/// What a row groups by. Hashing these (ids hash their folded, ASCII keys) is far cheaper than
/// hashing display text with Vietnamese diacritics, which Swift normalises on every hash.
///
/// There is no key for a line: in views by line every line is a row of its own, made whole and
/// appended (`StatusBuilder.add`), never looked up.
private enum GroupKey: Hashable {
    case decision(DecisionRef)
    case task(TaskID)
    case plan(PlanID)
    case agency(AgencyID)
    case source(FundingSource)
    case year(Int)
    case province(String)
    /// Views by year: multi-year money the plans do not split by year.
    case notSplit
}

/// Rows gathered by key, in the order first seen; each row is changed in place.
private struct Groups {
    var index: [GroupKey: Int] = [:]
    var rows: [StatusRow] = []
    /// For each row, its `LineRowKey` where it has one.
    var lineKeys: [LineRowKey?] = []
    /// The group asked last and its row: lines come decision by decision, so the next line is
    /// mostly in the same group, found by comparing keys instead of hashing one.
    private var last: (key: GroupKey, row: Int)?

    /// The row for `key`, if it has one already.
    ///
    /// Asked apart from `append`, rather than with a closure that makes the fields: a closure
    /// captures the ledger and the line by copy, for every line.
    mutating func existing(_ key: GroupKey) -> Int? {
        if let last, last.key == key { return last.row }
        guard let row = index[key] else { return nil }
        last = (key, row)
        return row
    }

    /// A row of its own (a line's), with its key where it has one.
    mutating func append(_ row: StatusRow, lineKey: LineRowKey?) {
        rows.append(row)
        lineKeys.append(lineKey)
    }

    /// A new row for `key` with its key, label and agency; its position.
    mutating func append(_ key: GroupKey, _ fields: (key: String, label: String, agency: String?)) -> Int {
        rows.append(.empty(key: fields.key, label: fields.label, agency: fields.agency))
        lineKeys.append(nil)
        index[key] = rows.count - 1
        last = (key, rows.count - 1)
        return rows.count - 1
    }

    /// The rows' money added up; planned money is added apart (`planned`), since views by line and
    /// by decision have no planned rows but still a planned total.
    func total(key: String, label: String, planned: StatusRow?) throws(TrackerError) -> StatusRow {
        var total = StatusRow.empty(key: key, label: label, agency: nil)
        total.planned = planned?.planned
        total.plannedNotSplit = planned?.plannedNotSplit
        // Rows read in place: a row copied out of the array costs a retain of each of its texts.
        try rows.withUnsafeBufferPointer { (rows) throws(TrackerError) in
            for index in rows.indices { try total.add(rows[index]) }
        }
        return total
    }
}

extension Ledger {
    /// Progress figures: planned, allocated, disbursed, carried over, lapsed, returned, remaining
    /// and both rates, grouped.
    ///
    /// Lines count when their decision is signed on or before `asOf` (and known), with the
    /// allocation in force on that day; movements when dated on or before `asOf`. Planned amounts
    /// come from the tasks of plans issued by then, for `year` when one is given (yearly amounts,
    /// or the total of a one-year task; multi-year money without a split is counted as "not split
    /// by year"). Every grouping of the same scope has the same planned, allocated and disbursed
    /// totals.
    public func status(_ query: StatusQuery) throws(TrackerError) -> StatusReport {
        try statusWithLineKeys(query).report
    }

    /// The same report, and for each of its rows (the year's own, then the carried-over, counted
    /// as one sequence, as a page cursor counts them) its `LineRowKey` where it has one: rows by
    /// line, counted with every record known.
    ///
    /// `planned`, when given, is `plannedPass(query)` made earlier for a query with the same
    /// `plannedKey` (the daemon keeps a few): the planned figures are not walked again.
    public func statusWithLineKeys(_ query: StatusQuery, planned: PlannedPass? = nil) throws(TrackerError) -> (report: StatusReport, lineKeys: [LineRowKey?]) {
        let pass: PlannedPass
        if let planned { pass = planned } else { pass = try plannedPass(query) }
        var builder = StatusBuilder(ledger: self, query: query, planned: pass)
        try builder.addLines()
        return try builder.finish()
    }

    /// The planned figures of a status: its planned total and, in groupings that have them, the
    /// planned rows (in plan and document order), before any allocation line is added.
    public func plannedPass(_ query: StatusQuery) throws(TrackerError) -> PlannedPass {
        if let agency = query.agency, agencies[agency] == nil { throw TrackerError(.notFound, "agency \(agency) is not registered") }
        if let plan = query.plan, plans[plan] == nil { throw TrackerError(.notFound, "plan \(plan) is not recorded") }
        var pass = PlannedPass()
        try StatusBuilder.addPlanned(ledger: self, query: query, planned: &pass.planned, own: &pass.rows)
        return pass
    }

    /// What the planned pass of `query` depends on, when the query knows every record that could
    /// change it (`plansSeq`): equal keys give equal passes. Nil for a query known at an earlier
    /// record, whose pass is made afresh.
    public func plannedKey(_ query: StatusQuery) -> PlannedKey? {
        guard query.scope.throughSeq >= plansSeq else { return nil }
        return PlannedKey(plansSeq: plansSeq, asOf: query.scope.asOf, agency: query.agency, plan: query.plan, year: query.year,
                          grouping: query.grouping.groupsPlanned ? query.grouping : nil, province: defaultProvince)
    }
}

/// A status's planned figures, made once for every query with the same `PlannedKey`.
public struct PlannedPass: Sendable {
    /// Every planned amount in scope, whatever the grouping (views by line and decision have no
    /// planned rows, but the same planned total).
    fileprivate var planned = StatusRow.empty(key: "planned", label: "planned", agency: nil)
    /// The planned rows, in groupings that have them.
    fileprivate var rows = Groups()
}

/// What a status's planned figures depend on (`Ledger.plannedKey`).
public struct PlannedKey: Sendable, Hashable {
    /// `Ledger.plansSeq` when the pass was made.
    public let plansSeq: UInt64
    public let asOf: BusinessDate
    public let agency: AgencyID?
    public let plan: PlanID?
    public let year: Int?
    /// The grouping, where it has planned rows; nil for views by line and decision.
    public let grouping: StatusGrouping?
    /// The store's province, which agencies recorded without one belong to.
    public let province: String
}

extension StatusGrouping {
    /// Whether the grouping has rows for planned money (views by line and decision have none).
    var groupsPlanned: Bool { self != .line && self != .decision }
}

/// Builds one status report: planned amounts first (so rows come in plan and document order),
/// then allocation lines and their movements, own money and carried-over money apart.
private struct StatusBuilder {
    let ledger: Ledger
    let query: StatusQuery
    var own: Groups
    var carried = Groups()
    /// Every planned amount in scope, whatever the grouping.
    var planned: StatusRow

    /// A builder that starts from the planned pass: its rows, then allocation lines.
    init(ledger: Ledger, query: StatusQuery, planned pass: PlannedPass) {
        self.ledger = ledger
        self.query = query
        planned = pass.planned
        own = pass.rows
    }

    // The walks below are static and take the ledger as an argument: a parameter is borrowed,
    // while the ledger read through `self` beside a change to `self`'s rows, or a line or task
    // copied out of its collection, costs a retain of each of their texts and arrays, for every
    // line and task (a status by line of a thousand lines spent most of its time there).

    static func addPlanned(ledger: Ledger, query: StatusQuery, planned: inout StatusRow, own: inout Groups) throws(TrackerError) {
        for agencyID in ledger.agencyOrder where ledger.lineage.isEmpty ? query.agency == nil || query.agency == agencyID : true {
            guard let agency = ledger.agencies.index(forKey: agencyID) else { continue }
            for planID in ledger.agencies.values[agency].plans where query.plan == nil || query.plan == planID {
                guard let plan = ledger.plans.index(forKey: planID) else { continue }
                for taskID in ledger.plans.values[plan].tasks {
                    guard let position = ledger.tasks.index(forKey: taskID) else { continue }
                    try addPlanned(ledger.tasks.values[position], ledger: ledger, query: query, planned: &planned, own: &own)
                }
            }
        }
    }

    /// A stored task's planned amounts in scope, if the task is in scope.
    private static func addPlanned(_ stored: Ledger.Task, ledger: Ledger, query: StatusQuery,
                                   planned: inout StatusRow, own: inout Groups) throws(TrackerError) {
        guard ledger.includes(stored, in: query.scope) else { return }
        if let agency = query.agency, ledger.holder(of: stored, in: query.scope) != agency { return }
        // Most tasks were never revised: their event is read in place.
        if stored.revisions.isEmpty {
            return try addPlanned(stored.event, task: stored, ledger: ledger, query: query, planned: &planned, own: &own)
        }
        let task = ledger.task(stored, in: query.scope)
        try addPlanned(task.event, task: task, ledger: ledger, query: query, planned: &planned, own: &own)
    }

    /// A task's planned amounts in scope (`event`: the task as it stood then), each in its group.
    ///
    /// Without a year, a task counts what its plan asks (its yearly amounts, or its total); a view
    /// by year puts each yearly amount in its year, a one-year total in that year, and a multi-year
    /// total without a split in the "not split by year" row. With a year, a task counts that year's
    /// amount, or, for a multi-year total without a split whose period covers the year, the total,
    /// marked as not split.
    private static func addPlanned(_ event: TaskAdded, task: Ledger.Task, ledger: Ledger, query: StatusQuery,
                                   planned: inout StatusRow, own: inout Groups) throws(TrackerError) {
        func add(_ key: @autoclosure () -> GroupKey, _ amount: Money, notSplit: Bool) throws(TrackerError) {
            try planned.addPlanned(amount, notSplit: notSplit)
            guard query.grouping.groupsPlanned else { return }
            let key = key()
            let row = own.existing(key) ?? own.append(key, fields(key, task: event.id, in: ledger, query: query))
            try own.rows[row].addPlanned(amount, notSplit: notSplit)
        }
        if let year = query.year {
            if let amount = event.planned(inYear: year) { return try add(groupKey(task: task, year: year, ledger: ledger, query: query), amount, notSplit: false) }
            guard event.period.contains(year), let total = event.total else { return }
            return try add(query.grouping == .year ? .notSplit : groupKey(task: task, year: year, ledger: ledger, query: query), total, notSplit: true)
        }
        guard query.grouping == .year else {
            if let amount = event.planned { try add(groupKey(task: task, year: nil, ledger: ledger, query: query), amount, notSplit: false) }
            return
        }
        if !event.yearly.isEmpty {
            for part in event.yearly { try add(.year(part.year), part.amount, notSplit: false) }
            return
        }
        guard let total = event.total else { return }
        if event.period.first == event.period.last { return try add(.year(event.period.first), total, notSplit: false) }
        try add(.notSplit, total, notSplit: true)
    }

    /// The group of a task's planned amount (not for views by line or decision, which have none).
    private static func groupKey(task: Ledger.Task, year: Int?, ledger: Ledger, query: StatusQuery) -> GroupKey {
        switch query.grouping {
        case .line, .decision: .plan(task.event.id.plan)  // not a row: only the total counts it
        case .task: .task(task.event.id)
        case .plan: .plan(task.event.id.plan)
        case .agency: .agency(ledger.holder(of: task, in: query.scope))
        case .source: .source(task.event.source)
        case .year: .year(year ?? 0)
        case .province: .province(ledger.province(of: ledger.holder(of: task, in: query.scope), in: query.scope))
        }
    }

    /// The group of `line` (from the line's own fields: no task to fetch). Not asked in views by
    /// line, where each line is a row of its own.
    private static func groupKey(_ line: UnsafePointer<Ledger.Line>, ledger: Ledger, query: StatusQuery) -> GroupKey {
        switch query.grouping {
        case .line, .decision: return .decision(line.pointee.decision)
        case .task: return .task(line.pointee.task)
        case .plan: return .plan(line.pointee.plan)
        case .agency: return .agency(ledger.holder(ofLineAt: line, in: query.scope))
        case .source: return .source(line.pointee.source)
        case .year: return .year(line.pointee.fiscalYear)
        case .province: return .province(ledger.province(of: ledger.holder(ofLineAt: line, in: query.scope), in: query.scope))
        }
    }

    /// A new row's key, label and agency (the task is fetched only here).
    private static func fields(_ key: GroupKey, task taskID: TaskID, in ledger: Ledger, query: StatusQuery) -> (key: String, label: String, agency: String?) {
        switch key {
        case .decision(let decision):
            let line = ledger.lines.first { $0.decision == decision }
            return (decision.text, line?.carriedFrom.map { "chuyển nguồn từ \($0)" } ?? "QĐ \(decision)", line?.agency.text)
        case .task:
            let task = ledger.tasks[taskID].map { ledger.task($0, in: query.scope) }
            return (taskID.description, task?.event.name ?? taskID.description, task?.agency.text)
        case .plan(let id):
            let plan = ledger.plans[id]!
            return (plan.event.id.text, plan.event.title, plan.event.agency.text)
        case .agency(let id):
            let name = ledger.agencies[id]?.event.name ?? id.text
            let formerly = ledger.lineage.predecessors(of: id, on: query.scope.asOf, throughSeq: query.scope.throughSeq)
            return (id.text, formerly.isEmpty ? name : name + " (formerly " + formerly.map(\.text).joined(separator: ", ") + ")", id.text)
        case .source(let source): return (source.rawValue, source.vietnameseName, nil)
        case .year(let year): return (String(year), "Năm \(year)", nil)
        case .province(let code):
            let merged = ledger.lineage.provincePredecessors(of: code, on: query.scope.asOf, throughSeq: query.scope.throughSeq)
            return (code, "Tỉnh \(code)" + (merged.isEmpty ? "" : " (formerly " + merged.joined(separator: ", ") + ")"), nil)
        case .notSplit: return ("not-split", "Không chia theo năm (multi-year amounts not split by year)", nil)
        }
    }

    /// Whether `line` is in the query's scope.
    private static func inScope(_ line: UnsafePointer<Ledger.Line>, ledger: Ledger, query: StatusQuery) -> Bool {
        guard query.scope.includes(date: line.pointee.signed, seq: line.pointee.seq) else { return false }
        if let agency = query.agency, ledger.holder(ofLineAt: line, in: query.scope) != agency { return false }
        if let plan = query.plan, line.pointee.plan != plan { return false }
        if let year = query.year, line.pointee.fiscalYear != year { return false }
        return true
    }

    /// Allocation lines and their movements: own money, and carried-over money apart.
    mutating func addLines() throws(TrackerError) {
        try Self.addLines(ledger: ledger, query: query, own: &own, carried: &carried)
    }

    private static func addLines(ledger: Ledger, query: StatusQuery, own: inout Groups, carried: inout Groups) throws(TrackerError) {
        // Each line is read in place, field by field, through a pointer: a copy of a line (even one
        // a walk) retains its movements and names, two cold objects of their own, which at
        // 10M events was more than half of a status by agency.
        try ledger.lines.withUnsafeBufferPointer { (lines) throws(TrackerError) in
            guard let first = lines.baseAddress else { return }
            for index in lines.indices {
                let line = first + index
                guard inScope(line, ledger: ledger, query: query) else { continue }
                let figures = try ledger.figures(ofLineAt: line, in: query.scope)
                if line.pointee.carriedFrom == nil {
                    try add(line, index: index, figures, into: &own, ledger: ledger, query: query)
                } else {
                    try add(line, index: index, figures, into: &carried, ledger: ledger, query: query)
                }
            }
        }
    }

    private static func add(_ line: UnsafePointer<Ledger.Line>, index: Int, _ figures: Ledger.LineFigures, into groups: inout Groups,
                            ledger: Ledger, query: StatusQuery) throws(TrackerError) {
        guard query.grouping == .line else {
            let key = groupKey(line, ledger: ledger, query: query)
            let row = groups.existing(key) ?? groups.append(key, fields(key, task: line.pointee.task, in: ledger, query: query))
            try groups.rows[row].add(figures)
            guard query.grouping == .decision else { return }
            groups.rows[row].decision = line.pointee.names.decision
            groups.rows[row].fiscalYear = line.pointee.fiscalYear
            // The decision's own signing date (a line an amendment added is signed on the amendment's).
            groups.rows[row].signed = ledger.decisions[line.pointee.decision]?.signed ?? line.pointee.signed
            groups.rows[row].carriedFrom = line.pointee.names.carriedFrom
            return
        }
        // Every line is a row of its own: made whole here, then appended. Its task's name as the
        // plan stood on the date (revisions followed) and the agency holding it then (successions).
        let names = line.pointee.names
        var label = names.label
        if ledger.revisions > 0, let task = ledger.tasks[line.pointee.task], !task.revisions.isEmpty {
            label = ledger.task(task, in: query.scope).event.name
        }
        let agency = ledger.lineage.isEmpty ? names.agency : ledger.holder(ofLineAt: line, in: query.scope).text
        var row = StatusRow.empty(key: names.key, label: label, agency: agency)
        try row.add(figures)
        row.decision = names.decision
        row.fiscalYear = line.pointee.fiscalYear
        row.signed = line.pointee.signed
        row.carriedFrom = names.carriedFrom
        row.task = names.task
        let yearEnd = BusinessDate.endOfYear(line.pointee.fiscalYear)
        row.daysLeft = yearEnd.map { query.scope.asOf.days(until: $0) }
        row.expected = YearEnd.straightLine(signed: line.pointee.signed, yearEnd: yearEnd, on: query.scope.asOf)
        groups.append(row, lineKey: query.scope.throughSeq >= ledger.lastSeq
                      ? LineRowKey(line: index, movements: line.pointee.entries.count, plansSeq: ledger.plansSeq) : nil)
    }

    /// The report: rows in their order (agencies ranked, years in order), the totals.
    func finish() throws(TrackerError) -> (report: StatusReport, lineKeys: [LineRowKey?]) {
        var rows = own.rows
        var total = try own.total(key: "total", label: "Tổng cộng", planned: planned.planned == nil ? nil : planned)
        switch query.grouping {
        // Agencies, and provinces (a national mirror's ranking), against the weighted average.
        case .agency, .province: Self.rank(&rows, average: total.rateOfAllocation)
        case .year: rows.sort { ($0.key == "not-split" ? 1 : 0, $0.key) < ($1.key == "not-split" ? 1 : 0, $1.key) }
        default: break
        }
        total.expected = nil
        let report = StatusReport(asOf: query.scope.asOf, throughSeq: min(query.scope.throughSeq, ledger.lastSeq), grouping: query.grouping,
                                  agency: query.agency.map { ledger.agencies[$0]!.event.id.text },
                                  plan: query.plan.map { ledger.plans[$0]!.event.id.text },
                                  year: query.year, rows: rows, total: total,
                                  carriedRows: carried.rows, carriedTotal: try carried.total(key: "carried", label: "Chuyển nguồn", planned: nil))
        // Only rows by line have keys, and those rows keep the order they were made in.
        return (report, query.grouping == .line ? own.lineKeys + carried.lineKeys : [])
    }

    /// Agencies ranked by rate of allocation, highest first, those without allocations last; each
    /// marked when below the average (the rate of all of them together).
    private static func rank(_ rows: inout [StatusRow], average: Rate?) {
        rows.sort { a, b in
            switch (a.rateOfAllocation, b.rateOfAllocation) {
            case let (x?, y?): return x != y ? x > y : a.key < b.key
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a.key < b.key
            }
        }
        guard let average else { return }
        for index in rows.indices where rows[index].rateOfAllocation != nil {
            rows[index].belowAverage = rows[index].rateOfAllocation! < average
        }
    }
}
