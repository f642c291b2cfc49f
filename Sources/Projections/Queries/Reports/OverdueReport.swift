import Events

/// How many of an agency's tasks fall in each of the four outcome classes (and cancelled).
public struct OutcomeCounts: Sendable, Equatable, Codable {
    public var completedOnTime = 0
    public var completedLate = 0
    public var withinDeadline = 0
    public var overdue = 0
    public var cancelled = 0

    public init() {}

    mutating func count(_ outcome: TaskOutcome) {
        switch outcome {
        case .completedOnTime: completedOnTime += 1
        case .completedLate: completedLate += 1
        case .withinDeadline: withinDeadline += 1
        case .overdue: overdue += 1
        case .cancelled: cancelled += 1
        }
    }

    mutating func add(_ other: OutcomeCounts) {
        completedOnTime += other.completedOnTime
        completedLate += other.completedLate
        withinDeadline += other.withinDeadline
        overdue += other.overdue
        cancelled += other.cancelled
    }

    /// Every task counted.
    public var tasks: Int { completedOnTime + completedLate + withinDeadline + overdue + cancelled }
}

/// One overdue task.
public struct OverdueTask: Sendable, Equatable, Codable {
    public var task: String
    public var name: String
    public var plan: String
    public var status: String
    public var statusDate: String
    public var deadline: String
    public var daysOverdue: Int
    public var allocated: Money
    public var disbursed: Money
    public var unit: String?
}

/// One agency's overdue tasks and its outcome counts.
public struct OverdueAgency: Sendable, Equatable, Codable {
    public var agency: String
    public var name: String
    public var counts: OutcomeCounts
    public var tasks: [OverdueTask]
}

/// Tasks not completed past their deadline, by agency, with the four outcome classes per agency.
public struct OverdueReport: Sendable, Equatable, Codable {
    public var asOf: String
    public var throughSeq: UInt64
    public var agency: String?
    public var agencies: [OverdueAgency]
    public var counts: OutcomeCounts
}

extension Ledger {
    /// The overdue report in scope, for one agency or all (agencies in registration order; each
    /// agency's tasks most overdue first).
    public func overdueReport(agency filter: AgencyID?, scope: QueryScope) throws(TrackerError) -> OverdueReport {
        let report = try tasks(TaskQuery(scope: scope, agency: filter))
        var blocks: [OverdueAgency] = []
        var total = OutcomeCounts()
        for agencyID in agencyOrder where filter == nil || filter == agencyID {
            let standings = report.tasks.filter { $0.agency == agencyID.text }
            guard !standings.isEmpty else { continue }
            var counts = OutcomeCounts()
            for standing in standings { counts.count(standing.outcome) }
            let overdue = standings.filter { $0.outcome == .overdue }
                .sorted { ($0.daysLate ?? 0, $1.task) > ($1.daysLate ?? 0, $0.task) }
                .map { OverdueTask(task: $0.task, name: $0.name, plan: $0.plan, status: $0.status.rawValue, statusDate: $0.statusDate.description,
                                   deadline: $0.deadline.description, daysOverdue: $0.daysLate ?? 0, allocated: $0.allocated,
                                   disbursed: $0.disbursed, unit: $0.unit) }
            total.add(counts)
            blocks.append(OverdueAgency(agency: agencyID.text, name: agencies[agencyID]?.event.name ?? agencyID.text, counts: counts, tasks: overdue))
        }
        return OverdueReport(asOf: scope.asOf.description, throughSeq: report.throughSeq, agency: filter.flatMap { agencies[$0]?.event.id.text },
                             agencies: blocks, counts: total)
    }
}
