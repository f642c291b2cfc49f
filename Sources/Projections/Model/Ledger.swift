import Events

/// The read model: every plan, task, allocation line and disbursement, kept so that any query can
/// be answered as of any business date and as known at any record.
///
/// A pure fold: `apply(record)` for each record in log order; no I/O. Queries (in `Queries/`)
/// read it. Per-line sums for the present are kept up to date on every event, so the common
/// query (today, everything known) never walks the events.
public struct Ledger: Sendable {
    /// An agency.
    public struct Agency: Sendable {
        public var event: AgencyRegistered
        public var seq: UInt64
        public var plans: [PlanID]
    }

    /// A plan and its tasks in order.
    public struct Plan: Sendable {
        public var event: PlanCreated
        public var seq: UInt64
        public var tasks: [TaskID]
    }

    /// A status a task entered, when, and at which record.
    public struct StatusEntry: Sendable {
        public var status: TaskStatus
        public var date: BusinessDate
        public var seq: UInt64
        public var reason: String
    }

    /// A task with its status history and allocation lines.
    public struct Task: Sendable {
        public var event: TaskAdded
        public var seq: UInt64
        public var agency: AgencyID
        /// Starts with `planned` on the plan's date.
        public var history: [StatusEntry]
        /// Indexes into `lines`.
        public var lines: [Int32]
        /// Plan revisions, oldest first: the task as revised, from `date`, recorded at `seq`.
        public var revisions: [Revision] = []
    }

    /// A task as a plan revision left it.
    public struct Revision: Sendable {
        public var event: TaskRevised
        public var seq: UInt64
        public init(event: TaskRevised, seq: UInt64) {
            self.event = event
            self.seq = seq
        }
    }

    /// A money movement on a line: a disbursement (positive) or a reversal or refund (negative),
    /// money carried over to the next year, money lapsed, money returned to the budget (a refund
    /// after the adjustment period), or a change of the allocation by an amending decision.
    public struct Entry: Sendable {
        public enum Kind: UInt8, Sendable {
            case disbursement, carriedOut, lapsed, returned, amended
        }
        public var date: BusinessDate
        public var kind: Kind
        public var amount: Int64
        public var seq: UInt64
    }

    /// One allocation line and its movements.
    public struct Line: Sendable {
        public var decision: DecisionRef
        public var task: TaskID
        public var agency: AgencyID
        public var plan: PlanID
        public var source: FundingSource
        public var fiscalYear: Int
        public var signed: BusinessDate
        /// The allocation in force with every record known (after every amendment).
        public var allocated: Money
        /// The allocation on its signing date, before any amendment.
        public var initial: Money
        /// The seq of the allocation.
        public var seq: UInt64
        /// For a carried-over line, the decision the money came from.
        public var carriedFrom: DecisionRef?
        /// Movements in log order.
        public var entries: [Entry]
        /// Sums of all movements (the present, everything known).
        public var disbursed: Money
        public var carriedOut: Money
        public var lapsed: Money
        public var returned: Money
        /// The latest movement date (the fast path applies from this date on).
        public var latestDate: BusinessDate?
        /// How the line is named in reports, made once (a status by line names every line).
        public var names: LineNames
    }

    /// A line's names in reports.
    ///
    /// A class, made once and never changed: a status by line reads every line, and a line is
    /// copied where it is read (across an opaque call the optimiser cannot keep a borrow), which
    /// then costs one retain for its names instead of one for each text.
    public final class LineNames: Sendable {
        /// `569/QĐ-UBND 860/KH-BDT#1`.
        public let key: String
        /// The task's name.
        public let label: String
        public let agency: String
        public let decision: String
        public let task: String
        public let carriedFrom: String?

        init(decision: DecisionRef, task: TaskID, taskName: String?, agency: AgencyID, carriedFrom: DecisionRef?) {
            let decision = decision.text
            let task = task.description
            self.decision = decision
            self.task = task
            key = decision + " " + task
            label = taskName ?? task
            self.agency = agency.text
            self.carriedFrom = carriedFrom?.text
        }
    }

    /// A raised alert with its place in the log.
    public struct RaisedAlert: Sendable {
        public var alert: AlertRaised
        public var seq: UInt64
        public var time: Timestamp
        public init(alert: AlertRaised, seq: UInt64, time: Timestamp) {
            self.alert = alert
            self.seq = seq
            self.time = time
        }
    }

    public internal(set) var agencies: [AgencyID: Agency] = [:]
    public internal(set) var agencyOrder: [AgencyID] = []
    public internal(set) var plans: [PlanID: Plan] = [:]
    public internal(set) var tasks: [TaskID: Task] = [:]
    /// Allocation and carry-over decisions, by their full key (`DocumentKey`).
    public internal(set) var decisions: [DecisionRef: (signed: BusinessDate, fiscalYear: Int, agency: AgencyID, seq: UInt64)] = [:]
    /// The decisions' numbers: what a number alone (in a query, or in a record written before
    /// decisions had full keys) resolves to.
    public internal(set) var decisionNumbers = DecisionNumbers()
    /// The plans' numbers: what a plan's number or long form in a query resolves to (`PlanNumbers`).
    public internal(set) var planNumbers = PlanNumbers()
    public internal(set) var lines: [Line] = []
    var lineIndex: [Books.LineKey: Int32] = [:]
    /// Successions of agencies and mergers of provinces: who holds a plan, task or line on a date.
    public internal(set) var lineage = Lineage()
    /// The store's province (`[store] province`), which agencies recorded without one belong to.
    /// Configuration, not history: set by the daemon at each start, not kept in snapshots.
    public var defaultProvince = ProvinceCode.defaultCode
    /// Alerts raised, in log order, and their keys.
    public internal(set) var alerts: [RaisedAlert] = []
    public internal(set) var alertKeys: Set<AlertRaised.Key> = []
    /// Contracts, expected disbursements, reports issued and record counts (`LedgerReporting`).
    public internal(set) var reporting = LedgerReporting()
    /// Record times for "known at" queries, as runs: each entry is the first seq recorded at a
    /// time and that time (a batch shares one time, so there are far fewer runs than records).
    public internal(set) var recordTimes: [(seq: UInt64, time: Int64)] = []
    /// The last seq applied.
    public internal(set) var lastSeq: UInt64 = 0
    /// The seq of the last record that may have changed what is planned or how it is named:
    /// anything but money movements on lines, alerts and the reporting records (see
    /// `Event.leavesPlansAlone`). A status's planned figures known through this seq or later are
    /// the same until it moves (`plannedKey(_:)`).
    public internal(set) var plansSeq: UInt64 = 0
    /// How many plan revisions of tasks are recorded: while none is, a task's name is as added and
    /// a status by line names each line without looking its task up.
    public internal(set) var revisions = 0
    /// The hash of the last record applied.
    public internal(set) var lastHash: SHA256Digest = .zero

    /// An empty ledger.
    public init() {}

    /// Folds one record in. Records must come in log order.
    public mutating func apply(_ record: Record) {
        apply(record.event, seq: record.seq, time: record.time)
        lastHash = record.hash
    }

    /// Folds one event in, recorded at `seq` and `time`.
    public mutating func apply(_ event: Event, seq: UInt64, time: Timestamp) {
        // Records written before decisions had full keys name them by number alone (as the books read them).
        let event = decisionNumbers.canonical(event) { lineage.province(agencies[$0]?.event.province ?? defaultProvince, on: $1) }
        if seq > lastSeq {
            if recordTimes.last?.time != time.microseconds { recordTimes.append((seq, time.microseconds)) }
            lastSeq = seq
        }
        if !event.leavesPlansAlone { plansSeq = max(plansSeq, seq) }
        reporting.apply(event, seq: seq, time: time)
        switch event {
        case .agencyRegistered(let e):
            if agencies[e.id] == nil { agencyOrder.append(e.id) }
            agencies[e.id] = Agency(event: e, seq: seq, plans: agencies[e.id]?.plans ?? [])
        case .planCreated(let e):
            plans[e.id] = Plan(event: e, seq: seq, tasks: [])
            planNumbers.add(e.id)
            agencies[e.agency]?.plans.append(e.id)
        case .taskAdded(let e):
            guard let plan = plans[e.id.plan] else { return }
            tasks[e.id] = Task(event: e, seq: seq, agency: plan.event.agency,
                               history: [StatusEntry(status: .planned, date: plan.event.issued, seq: seq, reason: "in plan \(plan.event.id)")],
                               lines: [])
            plans[e.id.plan]!.tasks.append(e.id)
        case .fundsAllocated(let e):
            addLines(decision: e.decision, signed: e.signed, fiscalYear: e.fiscalYear, agency: e.agency, lines: e.lines, seq: seq, carriedFrom: nil)
        case .fundsCarriedOver(let e):
            for line in e.lines {
                addEntry(decision: e.from, task: line.task, Entry(date: e.signed, kind: .carriedOut, amount: line.amount.dong, seq: seq))
            }
            addLines(decision: e.decision, signed: e.signed, fiscalYear: e.fiscalYear, agency: e.agency, lines: e.lines, seq: seq, carriedFrom: e.from)
        case .fundsLapsed(let e):
            for line in e.lines {
                addEntry(decision: e.decision, task: line.task, Entry(date: e.date, kind: .lapsed, amount: line.amount.dong, seq: seq))
            }
        case .disbursementRecorded(let e):
            addEntry(decision: e.decision, task: e.task, Entry(date: e.date, kind: .disbursement, amount: e.amount.dong, seq: seq))
        case .disbursementReversed(let e):
            addEntry(decision: e.decision, task: e.task, Entry(date: e.date, kind: .disbursement, amount: -e.amount.dong, seq: seq))
        case .disbursementRefunded(let e):
            addEntry(decision: e.decision, task: e.task, Entry(date: e.date, kind: .disbursement, amount: -e.amount.dong, seq: seq))
            if e.returnedToBudget {
                addEntry(decision: e.decision, task: e.task, Entry(date: e.date, kind: .returned, amount: e.amount.dong, seq: seq))
            }
        case .fundsAmended(let e):
            applyAmendment(e, seq: seq)
        case .agencySucceeded(let e):
            lineage.add(e, seq: seq)
        case .provinceSucceeded(let e):
            lineage.add(e, seq: seq)
        case .yearClosed:
            break  // the books refuse what would change a closed year; the figures need nothing
        case .taskRevised(let e):
            guard tasks[e.task.id] != nil else { return }
            tasks[e.task.id]!.revisions.append(Revision(event: e, seq: seq))
            revisions += 1
        case .taskStatusChanged(let e):
            tasks[e.task]?.history.append(StatusEntry(status: e.to, date: e.date, seq: seq, reason: e.reason))
        case .alertRaised(let e):
            alerts.append(RaisedAlert(alert: e, seq: seq, time: time))
            alertKeys.insert(e.key)
        case .contractSigned, .disbursementExpected, .reportIssued:
            break
        }
    }

    /// Changes each amended line from the amendment's date on; a line it adds is a line of the
    /// decision amended, allocated on the amendment's date.
    private mutating func applyAmendment(_ e: FundsAmended, seq: UInt64) {
        guard let amended = decisions[e.amends] else { return }
        var added: [AllocationLine] = []
        for line in e.lines {
            if let index = lineIndex[Books.LineKey(decision: e.amends, task: line.task)] {
                lines[Int(index)].allocated = line.after
                addEntry(decision: e.amends, task: line.task,
                         Entry(date: e.signed, kind: .amended, amount: line.after.dong &- line.before.dong, seq: seq))
            } else {
                added.append(AllocationLine(task: line.task, amount: line.after))
            }
        }
        addLines(decision: e.amends, signed: e.signed, fiscalYear: amended.fiscalYear, agency: amended.agency, lines: added, seq: seq,
                 carriedFrom: nil, registering: false)
    }

    private mutating func addLines(decision: DecisionRef, signed: BusinessDate, fiscalYear: Int, agency: AgencyID, lines allocation: [AllocationLine],
                                   seq: UInt64, carriedFrom: DecisionRef?, registering: Bool = true) {
        if registering {
            decisions[decision] = (signed, fiscalYear, agency, seq)
            decisionNumbers.add(decision)
        }
        for line in allocation {
            guard let task = tasks[line.task] else { continue }
            let index = Int32(lines.count)
            lines.append(Line(decision: decision, task: line.task, agency: agency, plan: line.task.plan, source: task.event.source,
                              fiscalYear: fiscalYear, signed: signed, allocated: line.amount, initial: line.amount, seq: seq, carriedFrom: carriedFrom,
                              entries: [], disbursed: .zero, carriedOut: .zero, lapsed: .zero, returned: .zero, latestDate: nil,
                              names: LineNames(decision: decision, task: line.task, taskName: task.event.name, agency: agency, carriedFrom: carriedFrom)))
            lineIndex[Books.LineKey(decision: decision, task: line.task)] = index
            tasks[line.task]!.lines.append(index)
        }
    }

    private mutating func addEntry(decision: DecisionRef, task: TaskID, _ entry: Entry) {
        guard let index = lineIndex[Books.LineKey(decision: decision, task: task)] else { return }
        let i = Int(index)
        lines[i].entries.append(entry)
        // The present sums of a line stay within its allocation (the books refuse more), so they
        // fit; a log that says otherwise saturates here rather than trapping the replay.
        switch entry.kind {
        case .disbursement: lines[i].disbursed = Money(dong: lines[i].disbursed.dong.addingClamped(entry.amount))
        case .carriedOut: lines[i].carriedOut = Money(dong: lines[i].carriedOut.dong.addingClamped(entry.amount))
        case .lapsed: lines[i].lapsed = Money(dong: lines[i].lapsed.dong.addingClamped(entry.amount))
        case .returned: lines[i].returned = Money(dong: lines[i].returned.dong.addingClamped(entry.amount))
        case .amended: break  // `allocated` is set by the amendment itself
        }
        if lines[i].latestDate.map({ entry.date > $0 }) ?? true { lines[i].latestDate = entry.date }
    }

    /// The line for `task` under `decision`.
    public func lineIndex(decision: DecisionRef, task: TaskID) -> Int? {
        lineIndex[Books.LineKey(decision: decisionNumbers.reference(decision), task: task)].map(Int.init)
    }
}

// MARK: - Reading in scope

extension Ledger {
    /// The last record at or before `time` (for "known at"); 0 when none.
    public func lastSeq(recordedBy time: Timestamp) -> UInt64 {
        // The first run recorded after `time`; everything before its first seq was known by then.
        var low = 0
        var high = recordTimes.count
        while low < high {
            let mid = (low + high) / 2
            if recordTimes[mid].time <= time.microseconds { low = mid + 1 } else { high = mid }
        }
        return low == recordTimes.count ? lastSeq : recordTimes[low].seq - 1
    }

    /// Whether a line's allocation is in scope.
    public func includes(_ line: Line, in scope: QueryScope) -> Bool {
        scope.includes(date: line.signed, seq: line.seq)
    }

    /// A line's figures in scope.
    public struct LineFigures: Sendable, Equatable {
        public let allocated: Money
        /// Net of reversals.
        public let disbursed: Money
        public let carriedOut: Money
        public let lapsed: Money
        /// Refunded after the adjustment period: returned to the budget, not to the line.
        public let returned: Money
        /// What can still be disbursed.
        public let remaining: Money

        /// Figures whose sums (made wide) fit in money; throws instead of trapping when one does not.
        ///
        /// `line` names the line in the error (its `key`, read only then).
        init(allocated: Int128, disbursed: Int128, carriedOut: Int128, lapsed: Int128, returned: Int128, line: LineNames) throws(TrackerError) {
            func what(_ figure: String) -> String { "the \(figure) of \(line.key)" }
            self.allocated = try Money.fitting(allocated, what("allocated money"))
            self.disbursed = try Money.fitting(disbursed, what("disbursed money"))
            self.carriedOut = try Money.fitting(carriedOut, what("carried-over money"))
            self.lapsed = try Money.fitting(lapsed, what("lapsed money"))
            self.returned = try Money.fitting(returned, what("money returned to the budget"))
            remaining = try Money.fitting(allocated - disbursed - carriedOut - lapsed - returned, what("remaining money"))
        }
    }

    /// A line's figures in scope: movements dated on or before `asOf` and known by `throughSeq`.
    ///
    /// Sums are made wide: movements before an as-of date can add up to more than an Int64 even
    /// where the present cannot (a payment, its reversal dated later, a second payment dated
    /// earlier); that is an error naming the figure, not a trap.
    public func figures(of line: Line, in scope: QueryScope) throws(TrackerError) -> LineFigures {
        try withUnsafePointer(to: line) { (line) throws(TrackerError) in try figures(ofLineAt: line, in: scope) }
    }

    /// A line's figures in scope, the line read in place (a walk over every line reads each
    /// through a pointer: see `StatusBuilder.addLines`).
    public func figures(ofLineAt line: UnsafePointer<Line>, in scope: QueryScope) throws(TrackerError) -> LineFigures {
        if scope.throughSeq >= lastSeq && (line.pointee.latestDate.map { $0 <= scope.asOf } ?? true) {
            return try LineFigures(allocated: Int128(line.pointee.allocated.dong), disbursed: Int128(line.pointee.disbursed.dong),
                                   carriedOut: Int128(line.pointee.carriedOut.dong), lapsed: Int128(line.pointee.lapsed.dong),
                                   returned: Int128(line.pointee.returned.dong), line: line.pointee.names)
        }
        // The allocation in force on the as-of date: as signed, with the amendments signed by then.
        var allocated = Int128(line.pointee.initial.dong)
        var sums: (Int128, Int128, Int128, Int128) = (0, 0, 0, 0)
        for entry in line.pointee.entries where scope.includes(date: entry.date, seq: entry.seq) {
            switch entry.kind {
            case .disbursement: sums.0 += Int128(entry.amount)
            case .carriedOut: sums.1 += Int128(entry.amount)
            case .lapsed: sums.2 += Int128(entry.amount)
            case .returned: sums.3 += Int128(entry.amount)
            case .amended: allocated += Int128(entry.amount)
            }
        }
        return try LineFigures(allocated: allocated, disbursed: sums.0, carriedOut: sums.1, lapsed: sums.2, returned: sums.3, line: line.pointee.names)
    }

    /// What was disbursed (net of reversals) on a line, in scope.
    public func disbursed(on line: Line, in scope: QueryScope) throws(TrackerError) -> Money { try figures(of: line, in: scope).disbursed }

    /// Whether a task (and its plan) is in scope.
    public func includes(_ task: Task, in scope: QueryScope) -> Bool {
        guard let plan = plans[task.event.id.plan] else { return false }
        return task.seq <= scope.throughSeq && plan.event.issued <= scope.asOf
    }

    /// The task as it stood in scope: as added, or as the last revision dated by `asOf` (and known)
    /// left it.
    public func task(_ task: Task, in scope: QueryScope) -> Task {
        guard let revision = task.revisions.last(where: { scope.includes(date: $0.event.date, seq: $0.seq) }) else { return task }
        var revised = task
        revised.event = revision.event.task
        return revised
    }

    /// The agency holding a task (and its lines) on the scope's date, successions followed.
    public func holder(of task: Task, in scope: QueryScope) -> AgencyID {
        lineage.holder(of: task.event.id, recordedUnder: task.agency, on: scope.asOf, throughSeq: scope.throughSeq)
    }

    /// The province an agency belongs to on the scope's date (mergers of provinces followed).
    public func province(of agency: AgencyID, in scope: QueryScope) -> String {
        let recorded = agencies[agency]?.event.province ?? defaultProvince
        return lineage.province(recorded, on: scope.asOf, throughSeq: scope.throughSeq)
    }

    /// The agency holding an allocation line on the scope's date.
    public func holder(of line: Line, in scope: QueryScope) -> AgencyID {
        withUnsafePointer(to: line) { holder(ofLineAt: $0, in: scope) }
    }

    /// The same, the line read in place.
    public func holder(ofLineAt line: UnsafePointer<Line>, in scope: QueryScope) -> AgencyID {
        lineage.isEmpty ? line.pointee.agency
            : lineage.holder(of: line.pointee.task, recordedUnder: line.pointee.agency, on: scope.asOf, throughSeq: scope.throughSeq)
    }

    /// A task's status in scope: the last change dated on or before `asOf` and known by `throughSeq`.
    public func status(of task: Task, in scope: QueryScope) -> StatusEntry {
        var current = task.history[0]
        for entry in task.history.dropFirst() where scope.includes(date: entry.date, seq: entry.seq) { current = entry }
        return current
    }
}

extension Int64 {
    /// `self + other`, held at `Int64.min` or `Int64.max` instead of overflowing.
    func addingClamped(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}

extension Event {
    /// Whether the event leaves alone everything a status's planned figures and row names are
    /// made of (agencies, plans, tasks, successions): money moving on lines, alerts, closing a
    /// year and the reporting records. Exhaustive, so that a new event decides.
    var leavesPlansAlone: Bool {
        switch self {
        case .disbursementRecorded, .disbursementReversed, .disbursementRefunded, .fundsAllocated, .fundsCarriedOver, .fundsLapsed, .fundsAmended,
             .alertRaised, .yearClosed, .contractSigned, .disbursementExpected, .reportIssued:
            true
        case .agencyRegistered, .planCreated, .taskAdded, .taskStatusChanged, .taskRevised, .agencySucceeded, .provinceSucceeded:
            false
        }
    }
}
