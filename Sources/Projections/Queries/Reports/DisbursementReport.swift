import Events

/// Sums of money over lines, in đồng, with the rates they make.
public struct ReportTotals: Sendable, Equatable, Codable {
    public var lines: Int = 0
    public var allocated: Money = .zero
    public var disbursed: Money = .zero
    public var remaining: Money = .zero
    /// What the plans ask for the year, over the lines whose task gives a plan amount.
    public var planned: Money?
    /// Expected by the end of the budget year, over the lines with a recorded expectation.
    public var expected: Money?

    public init() {}

    /// Disbursed against allocated.
    public var rate: Rate? { Rate(disbursed, of: allocated) }
    /// Disbursed against planned.
    public var ratePlanned: Rate? { planned.flatMap { Rate(disbursed, of: $0) } }

    mutating func add(_ other: ReportTotals) throws(TrackerError) {
        lines += other.lines
        allocated = try allocated.plus(other.allocated, "the allocated money of this report")
        disbursed = try disbursed.plus(other.disbursed, "the disbursed money of this report")
        remaining = try remaining.plus(other.remaining, "the remaining money of this report")
        if let planned = other.planned { self.planned = try (self.planned ?? .zero).plus(planned, "the planned money of this report") }
        if let expected = other.expected { self.expected = try (self.expected ?? .zero).plus(expected, "the expected money of this report") }
    }
}

/// A task's contract as reports show it.
public struct ReportContract: Sendable, Equatable, Codable {
    public var contractor: String?
    public var date: String
    public var value: Money?
    public var number: String?
    public var procurement: String?
    public var seq: UInt64
}

/// What an agency expects on a line, as reports show it.
public struct ReportExpectation: Sendable, Equatable, Codable {
    /// The date by which it is expected (ISO).
    public var by: String
    /// The amount expected (a stated rate converted to đồng of the allocation).
    public var amount: Money
    /// The rate as stated, where it was stated as a rate (thousandths of a percent).
    public var statedRateMilli: Int64?
    /// When it was stated (ISO).
    public var stated: String
    public var seq: UInt64
}

/// The records behind one line's figures, for an auditor to find in `trackctl log`.
public struct LineRecords: Sendable, Equatable, Codable {
    /// The allocation (or carry-over) decision.
    public var allocation: UInt64
    /// Each disbursement and reversal counted.
    public var disbursements: [UInt64]
    /// The status shown.
    public var status: UInt64
    public var contract: UInt64?
    public var expectation: UInt64?
}

/// One allocation line of the disbursement report (seed 003's section I.9, one task).
public struct DisbursementLine: Sendable, Equatable, Codable {
    public var task: String
    public var name: String
    public var plan: String
    public var allocated: Money
    /// Lũy kế: net of reversals, to the as-of date.
    public var disbursed: Money
    public var remaining: Money
    public var carriedOut: Money
    public var lapsed: Money
    /// What the plan asks for the task in the budget year, where it says.
    public var planned: Money?
    /// The task's status on the as-of date, since when, and why.
    public var status: String
    public var statusDate: String
    public var statusReason: String
    public var contract: ReportContract?
    public var expectation: ReportExpectation?
    /// The straight line from the allocation date to 31/12: the rate it expects on the as-of date.
    public var straightLineMilli: Int64
    /// Days from the as-of date to 31/12 of the budget year (negative when past).
    public var daysLeft: Int
    /// Below the straight line with money left.
    public var behind: Bool
    /// The budget year is over and money is left: it lapses unless carried over.
    public var lapsing: Bool
    /// The agency expects less than the allocation by the end of the year.
    public var shortOfAllocation: Bool
    public var records: LineRecords

    public var rate: Rate? { Rate(disbursed, of: allocated) }
    public var ratePlanned: Rate? { planned.flatMap { Rate(disbursed, of: $0) } }
}

/// One decision's lines.
public struct DisbursementDecision: Sendable, Equatable, Codable {
    public var decision: String
    public var signed: String
    public var fiscalYear: Int
    /// For money carried over, the decision it came from.
    public var carriedFrom: String?
    /// Signed after 30/9 of its budget year (other carry-over rules apply).
    public var allocatedAfterSeptember: Bool
    public var lines: [DisbursementLine]
    public var subtotal: ReportTotals
}

/// One agency's decisions.
public struct DisbursementAgency: Sendable, Equatable, Codable {
    public var agency: String
    public var name: String
    public var decisions: [DisbursementDecision]
    public var subtotal: ReportTotals
}

/// The report on funds assigned: per agency and decision, each line with what was disbursed, the
/// procurement step and contract, the expectation, the straight line and the remarks.
public struct DisbursementReport: Sendable, Equatable, Codable {
    public var asOf: String
    public var throughSeq: UInt64
    public var year: Int
    public var agency: String?
    public var decision: String?
    public var agencies: [DisbursementAgency]
    public var total: ReportTotals
}

extension Ledger {
    /// The disbursement report of budget `year` (own and carried-over lines of that year), for
    /// one agency or decision or all, with figures as of the scope's date.
    public func disbursementReport(year: Int, agency agencyFilter: AgencyID?, decision decisionFilter: DecisionRef?,
                                   scope: QueryScope) throws(TrackerError) -> DisbursementReport {
        if let agencyFilter, agencies[agencyFilter] == nil { throw TrackerError(.notFound, "agency \(agencyFilter) is not registered") }
        if let decisionFilter, decisions[decisionFilter] == nil { throw TrackerError(.notFound, "decision \(decisionFilter) is not recorded") }
        var byAgency: [AgencyID: [DecisionRef: DisbursementDecision]] = [:]
        var decisionOrder: [AgencyID: [DecisionRef]] = [:]
        var agencyOrderSeen: [AgencyID] = []
        for line in lines where line.fiscalYear == year && includes(line, in: scope) {
            if let agencyFilter, line.agency != agencyFilter { continue }
            if let decisionFilter, line.decision != decisionFilter { continue }
            guard let task = tasks[line.task] else { continue }
            let row = try disbursementLine(line, task: task, scope: scope)
            if byAgency[line.agency] == nil { agencyOrderSeen.append(line.agency) }
            if byAgency[line.agency, default: [:]][line.decision] == nil {
                decisionOrder[line.agency, default: []].append(line.decision)
                let september = BusinessDate(year: line.fiscalYear, month: 9, day: 30)
                byAgency[line.agency, default: [:]][line.decision] = DisbursementDecision(
                    decision: line.decision.text, signed: line.signed.description, fiscalYear: line.fiscalYear,
                    carriedFrom: line.carriedFrom?.text, allocatedAfterSeptember: september.map { line.signed > $0 } ?? false,
                    lines: [], subtotal: ReportTotals())
            }
            byAgency[line.agency]![line.decision]!.lines.append(row)
            try byAgency[line.agency]![line.decision]!.subtotal.add(row.totals)
        }
        var result: [DisbursementAgency] = []
        var total = ReportTotals()
        // Agencies in registration order, as every listing shows them.
        for agencyID in agencyOrder where byAgency[agencyID] != nil {
            var block = DisbursementAgency(agency: agencyID.text, name: agencies[agencyID]?.event.name ?? agencyID.text, decisions: [],
                                           subtotal: ReportTotals())
            for decision in decisionOrder[agencyID] ?? [] {
                let group = byAgency[agencyID]![decision]!
                block.decisions.append(group)
                try block.subtotal.add(group.subtotal)
            }
            try total.add(block.subtotal)
            result.append(block)
        }
        return DisbursementReport(asOf: scope.asOf.description, throughSeq: min(scope.throughSeq, lastSeq), year: year,
                                  agency: agencyFilter.flatMap { agencies[$0]?.event.id.text }, decision: decisionFilter?.text,
                                  agencies: result, total: total)
    }

    /// One line's row of the disbursement report.
    func disbursementLine(_ line: Line, task: Task, scope: QueryScope) throws(TrackerError) -> DisbursementLine {
        let figures = try self.figures(of: line, in: scope)
        var status = task.history[0]
        for entry in task.history.dropFirst() where scope.includes(date: entry.date, seq: entry.seq) { status = entry }
        let contract = reporting.contracts(of: line.task, in: scope).last.map {
            ReportContract(contractor: $0.fact.contractor, date: $0.fact.date.description, value: $0.fact.value, number: $0.fact.number,
                           procurement: $0.fact.procurement, seq: $0.seq)
        }
        let yearEnd = BusinessDate.endOfYear(line.fiscalYear) ?? .last
        let expectation = reporting.expectation(decision: line.decision, task: line.task, by: yearEnd, in: scope).map {
            ReportExpectation(by: $0.fact.by.description, amount: $0.fact.expectedAmount(of: line.allocated), statedRateMilli: $0.fact.rateMilli,
                              stated: $0.fact.stated.description, seq: $0.seq)
        }
        let straight = YearEnd.straightLine(signed: line.signed, fiscalYear: line.fiscalYear, on: scope.asOf)
        let rate = Rate(figures.disbursed, of: figures.allocated) ?? Rate(milliPercent: 0)
        let daysLeft = scope.asOf.days(until: yearEnd)
        let disbursements = line.entries.filter { $0.kind == .disbursement && scope.includes(date: $0.date, seq: $0.seq) }.map(\.seq)
        return DisbursementLine(
            task: line.task.description, name: task.event.name, plan: line.plan.text, allocated: figures.allocated,
            disbursed: figures.disbursed, remaining: figures.remaining, carriedOut: figures.carriedOut, lapsed: figures.lapsed,
            planned: task.event.planned(inYear: line.fiscalYear), status: status.status.rawValue, statusDate: status.date.description,
            statusReason: status.reason, contract: contract, expectation: expectation, straightLineMilli: straight.milliPercent,
            daysLeft: daysLeft, behind: daysLeft >= 0 && rate < straight && figures.remaining.dong > 0,
            lapsing: daysLeft < 0 && figures.remaining.dong > 0,
            shortOfAllocation: expectation.map { $0.amount < figures.allocated } ?? false,
            records: LineRecords(allocation: line.seq, disbursements: disbursements, status: status.seq, contract: contract?.seq,
                                 expectation: expectation?.seq))
    }
}

extension DisbursementLine {
    /// The line as totals of one line.
    var totals: ReportTotals {
        var totals = ReportTotals()
        totals.lines = 1
        totals.allocated = allocated
        totals.disbursed = disbursed
        totals.remaining = remaining
        totals.planned = planned
        totals.expected = expectation?.amount
        return totals
    }
}
