/// The write model: what commands are checked against before anything is appended.
///
/// A pure fold of the log (`apply`) plus the rules (`decide`). It holds only what the invariants
/// need: the entities, each allocation line's allocated and disbursed sums, and every payment
/// reference. Reports live in Projections, not here.
public struct Books: Sendable {
    /// A registered agency.
    public struct AgencyEntry: Sendable {
        public var event: AgencyRegistered
        public var seq: UInt64
    }

    /// A plan and how many tasks it has.
    public struct PlanEntry: Sendable {
        public var event: PlanCreated
        public var seq: UInt64
        public var taskCount: Int
    }

    /// A task, its status changes and its allocation lines.
    public struct TaskEntry: Sendable {
        public var event: TaskAdded
        public var seq: UInt64
        public var agency: AgencyID
        /// The plan's date: when the task entered `planned`.
        public var planned: BusinessDate
        /// Every status change, oldest first, with its seq.
        public var changes: [(event: TaskStatusChanged, seq: UInt64)]
        /// Indexes into `lines`.
        public var lines: [Int32]
        /// Plan revisions, oldest first: each with its seq and the task as it stood before it.
        public var revisions: [(event: TaskRevised, seq: UInt64, before: TaskAdded)] = []

        /// The current status.
        public var status: TaskStatus { changes.last?.event.to ?? .planned }
        /// The date of the last status change (the plan's date before any).
        public var statusDate: BusinessDate { changes.last?.event.date ?? planned }
    }

    /// An allocation or carry-over decision.
    public struct DecisionEntry: Sendable {
        /// The `fundsAllocated` or `fundsCarriedOver` event.
        public var event: Event
        public var decision: DecisionRef
        public var seq: UInt64
        public var fiscalYear: Int
        public var agency: AgencyID
        public var signed: BusinessDate
        /// Indexes into `lines`.
        public var lines: [Int32]
        /// The seq of the last lapse recorded on it, 0 when none.
        public var lapsedSeq: UInt64 = 0
    }

    /// One allocation line: a decision's amount for one task, and what has been paid from it.
    public struct LineEntry: Sendable {
        public var decision: DecisionRef
        public var task: TaskID
        public var agency: AgencyID
        public var fiscalYear: Int
        public var signed: BusinessDate
        public var allocated: Money
        public var disbursed: Money
        /// Moved to the next budget year by carry-over decisions.
        public var carriedOut: Money = .zero
        /// Cancelled after the deadline (hủy dự toán).
        public var lapsed: Money = .zero
        /// For a carried-over line, the decision the money came from.
        public var carriedFrom: DecisionRef?
        /// Refunded after the adjustment period: returned to the budget (nộp trả ngân sách), not to the line.
        public var returned: Money = .zero
        /// What can still be disbursed.
        public var remaining: Money { allocated - disbursed - carriedOut - lapsed - returned }
        /// What the line has used: disbursed, carried over, lapsed or returned. An amendment
        /// cannot bring the allocation below it.
        public var used: Money { disbursed + carriedOut + lapsed + returned }
    }

    /// A recorded payment reference.
    public struct PaymentEntry: Sendable {
        public var line: Int32
        public var date: BusinessDate
        public var amount: Money
        public var seq: UInt64
        /// The seq of the reversal, 0 while not reversed.
        public var reversedSeq: UInt64
    }

    /// A refund of (part of) a payment.
    public struct RefundEntry: Sendable, Equatable {
        public var date: BusinessDate
        public var amount: Money
        public var returnedToBudget: Bool
        public var seq: UInt64
    }

    /// An amending decision, by its own number.
    public struct AmendmentEntry: Sendable {
        public var event: FundsAmended
        public var seq: UInt64
    }

    /// The key of an allocation line.
    public struct LineKey: Hashable, Sendable {
        public var decision: DecisionRef
        public var task: TaskID
        public init(decision: DecisionRef, task: TaskID) {
            self.decision = decision
            self.task = task
        }
    }

    public internal(set) var agencies: [AgencyID: AgencyEntry] = [:]
    public internal(set) var plans: [PlanID: PlanEntry] = [:]
    public internal(set) var tasks: [TaskID: TaskEntry] = [:]
    /// Allocation and carry-over decisions, by their full key (`DocumentKey`: issuer, number, year).
    public internal(set) var decisions: [DecisionRef: DecisionEntry] = [:]
    /// The decisions' numbers: what a number alone resolves to.
    public internal(set) var decisionNumbers = DecisionNumbers()
    /// The plans' numbers: what a plan's number or long form resolves to (`PlanNumbers`).
    public internal(set) var planNumbers = PlanNumbers()
    /// The store's province (`[store] province`): the province of agencies recorded without one, and
    /// so the issuer of their decisions recorded by number alone. Configuration, not history: set at
    /// each start, not kept in snapshots.
    public var defaultProvince = ProvinceCode.defaultCode
    public internal(set) var lines: [LineEntry] = []
    public internal(set) var lineIndex: [LineKey: Int32] = [:]
    /// Every payment reference, by its exact text (`PaymentRef.key`; a million of them must fit
    /// in memory: most are short enough for Swift to keep inline, no heap string).
    public internal(set) var payments = PaymentIndex()
    /// A fingerprint of the note of each payment recorded with one (`Books.noteFingerprint`), so a
    /// retry with another note is told apart without keeping the notes (they are in the log).
    /// Only payments with notes have an entry: nothing is paid for the common payment without one.
    public internal(set) var paymentNotes: [String: UInt64] = [:]
    /// Refunds, by the exact key of the payment they came back from, oldest first.
    public internal(set) var refunds: [String: [RefundEntry]] = [:]
    /// Budget years closed (or reopened), each with its last closing or reopening and seq.
    public internal(set) var closedYears: [Int: (event: YearClosed, seq: UInt64)] = [:]
    /// Successions of agencies (the 2025 reorganisation).
    public internal(set) var lineage = Lineage()
    /// Amending decisions (điều chỉnh dự toán), by their own full key.
    public internal(set) var amendments: [DecisionRef: AmendmentEntry] = [:]
    /// Alerts raised, by line and checkpoint, with their seq.
    public internal(set) var alerts: [AlertRaised.Key: UInt64] = [:]
    /// The last sequence number applied.
    public internal(set) var lastSeq: UInt64 = 0
    /// Every amount the plans ask for, added up (each task's total or yearly sum, the larger);
    /// kept so no sum a report makes can overflow.
    public internal(set) var plannedSum = Money.zero
    /// Every allocation line, own and carried over, added up: no report's sum of allocated,
    /// carried-out, lapsed or remaining money can be larger (see `Books.reportLimit`).
    public internal(set) var allocatedSum = Money.zero
    /// Every disbursement ever recorded, added up, reversals not subtracted: no report's sum of
    /// disbursed money can be larger, whatever its as-of date (a report dated between a payment
    /// and its reversal counts the payment, and one paid again meanwhile too).
    public internal(set) var disbursedGross = Money.zero
    /// Contracts, expected disbursements and reports issued (`ReportingFacts`).
    public internal(set) var reporting = ReportingFacts()

    /// The largest total a report can show: 9.223.372.036.854.775.807 đ, what an Int64 holds.
    /// Commands that would let a report's total pass it are refused (`decide`), so that no sum a
    /// query makes can overflow: allocated, carried-out, lapsed and remaining money of any lines
    /// stay within `allocatedSum`, disbursed money within `disbursedGross`, planned money within
    /// `plannedSum`, each kept within this limit.
    public static let reportLimit = Money(dong: .max)

    /// Empty books.
    public init() {}

    /// What a task adds to `plannedSum`: the larger of its total and the sum of its yearly amounts
    /// (checked when the task is decided, so it does not overflow).
    static func plannedWeight(of task: TaskAdded) -> Money {
        var yearly = Money.zero
        for entry in task.yearly { yearly = yearly.adding(entry.amount) ?? Money(dong: .max) }
        return max(task.total ?? .zero, yearly)
    }

    /// Recomputes `allocatedSum` and `disbursedGross` from the lines and payments (books read back
    /// from a snapshot), saturating at `reportLimit` like `apply`.
    public mutating func restoreSums() {
        var allocated = Money.zero
        for line in lines { allocated = allocated.adding(line.allocated) ?? Self.reportLimit }
        // Lines lowered by amendments were once higher: a report as of an earlier day counts that.
        for amendment in amendments.values {
            for line in amendment.event.lines where line.before > line.after {
                allocated = allocated.adding(line.before - line.after) ?? Self.reportLimit
            }
        }
        var disbursed = Money.zero
        for payment in payments.values { disbursed = disbursed.adding(payment.amount) ?? Self.reportLimit }
        allocatedSum = allocated
        disbursedGross = disbursed
    }

    /// The payment recorded under `ref`, if any.
    public func payment(_ ref: PaymentRef) -> PaymentEntry? { payments[ref.key] }

    /// 64 bits of the SHA-256 of a note's UTF-8 (NFC, as recorded); nil for no note.
    public static func noteFingerprint(_ note: String?) -> UInt64? {
        guard let note else { return nil }
        let digest = Array(note.utf8).withUnsafeBytes { SHA256.hash($0) }
        return digest.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    /// The key of the payment a reversal read from the log reverses.
    ///
    /// Reversals record the reference as the clerk typed it. Until payment references were
    /// compared exactly they were matched ignoring case and diacritics, so a log may hold
    /// `reverse unc-1` for the payment `UNC-1`; then no payment has the reversal's exact key, and
    /// the one payment of its line and amount whose folded key matches is it (at most one can
    /// match: folded keys were unique among payments then). Only such old reversals take the slow
    /// path, and only when read back.
    func reversedPaymentKey(_ e: DisbursementReversed) -> String? {
        if payments[e.ref.key] != nil { return e.ref.key }
        guard let line = lineIndex[LineKey(decision: e.decision, task: e.task)] else { return nil }
        let folded = Text.foldKey(e.ref.text)
        return payments.first { key, payment in
            payment.line == line && payment.amount == e.amount && payment.reversedSeq == 0 && Text.foldKey(key) == folded
        }?.key
    }

    /// The line for `task` under `decision` (its full key, or a number that names one decision), if any.
    public func line(decision: DecisionRef, task: TaskID) -> LineEntry? {
        lineIndex[LineKey(decision: decisionNumbers.reference(decision), task: task)].map { lines[Int($0)] }
    }
}

// MARK: - Applying events

extension Books {
    /// How to take back one applied event (used when a batch fails to reach the disk).
    public enum Undo: Sendable {
        case agency(AgencyID)
        case plan(PlanID)
        case task(TaskID)
        case allocation(DecisionRef, lineCount: Int)
        case carryOver(DecisionRef, lineCount: Int, origins: [(line: Int32, amount: Money)])
        case lapse(DecisionRef, previousSeq: UInt64, amounts: [(line: Int32, amount: Money)])
        case alert(AlertRaised.Key)
        case disbursement(PaymentRef, line: Int32, amount: Money)
        case reversal(PaymentRef, line: Int32, amount: Money)
        case refund(key: String, line: Int32, amount: Money, returned: Bool)
        case succession(AgencyID)
        case provinceSuccession(String)
        case closing(Int, previous: (event: YearClosed, seq: UInt64)?)
        case revision(TaskID, weightAdded: Money)
        case amendment(DecisionRef, amends: DecisionRef, changed: [(line: Int32, before: Money)], added: Int, growth: Money)
        case status(TaskID)
        case reporting(ReportingFacts.Key)
        case none
    }

    /// Folds one event in (a replay: nothing to take back).
    public mutating func apply(_ event: Event, seq: UInt64) {
        _ = apply(event, seq: seq, keepingUndo: false)
    }

    /// Folds one event in and returns how to take it back (the writer, whose batch may fail).
    public mutating func applyUndoable(_ event: Event, seq: UInt64) -> Undo {
        apply(event, seq: seq, keepingUndo: true)
    }

    /// Room for `count` more payment references (a replay knows roughly how many are coming).
    public mutating func reservePayments(_ count: Int) {
        payments.reserveCapacity(payments.count + count)
    }

    /// Folds one event in. Events come from the log or from `decide`, so they are valid; an event
    /// that names something unknown is ignored rather than trapping.
    private mutating func apply(_ event: Event, seq: UInt64, keepingUndo: Bool) -> Undo {
        // Records written before decisions had full keys name them by number alone.
        let event = decisionNumbers.canonical(event) { province(of: $0, on: $1) }
        let previousSeq = lastSeq
        lastSeq = max(lastSeq, seq)
        switch event {
        case .agencyRegistered(let e):
            agencies[e.id] = AgencyEntry(event: e, seq: seq)
            return .agency(e.id)
        case .planCreated(let e):
            plans[e.id] = PlanEntry(event: e, seq: seq, taskCount: 0)
            planNumbers.add(e.id)
            return .plan(e.id)
        case .taskAdded(let e):
            guard let plan = plans[e.id.plan] else { lastSeq = previousSeq; return .none }
            tasks[e.id] = TaskEntry(event: e, seq: seq, agency: plan.event.agency, planned: plan.event.issued, changes: [], lines: [])
            plans[e.id.plan]!.taskCount = max(plan.taskCount, e.id.number)
            plannedSum = plannedSum.adding(Books.plannedWeight(of: e)) ?? plannedSum
            return .task(e.id)
        case .fundsAllocated(let e):
            addDecision(event, decision: e.decision, seq: seq, fiscalYear: e.fiscalYear, agency: e.agency, signed: e.signed,
                        lines: e.lines, carriedFrom: nil)
            return .allocation(e.decision, lineCount: e.lines.count)
        case .fundsCarriedOver(let e):
            var origins: [(line: Int32, amount: Money)] = []
            for line in e.lines {
                guard let origin = lineIndex[LineKey(decision: e.from, task: line.task)] else { continue }
                lines[Int(origin)].carriedOut = lines[Int(origin)].carriedOut + line.amount
                origins.append((origin, line.amount))
            }
            addDecision(event, decision: e.decision, seq: seq, fiscalYear: e.fiscalYear, agency: e.agency, signed: e.signed,
                        lines: e.lines, carriedFrom: e.from)
            return .carryOver(e.decision, lineCount: e.lines.count, origins: origins)
        case .fundsLapsed(let e):
            guard let decision = decisions[e.decision] else { return .none }
            var amounts: [(line: Int32, amount: Money)] = []
            for line in e.lines {
                guard let index = lineIndex[LineKey(decision: e.decision, task: line.task)] else { continue }
                lines[Int(index)].lapsed = lines[Int(index)].lapsed + line.amount
                amounts.append((index, line.amount))
            }
            decisions[e.decision]!.lapsedSeq = seq
            return .lapse(e.decision, previousSeq: decision.lapsedSeq, amounts: amounts)
        case .alertRaised(let e):
            alerts[e.key] = seq
            return keepingUndo ? .alert(e.key) : .none
        case .disbursementRecorded(let e):
            guard let index = lineIndex[LineKey(decision: e.decision, task: e.task)] else { return .none }
            lines[Int(index)].disbursed = lines[Int(index)].disbursed + e.amount
            disbursedGross = disbursedGross.adding(e.amount) ?? Self.reportLimit
            payments[e.ref.key] = PaymentEntry(line: index, date: e.date, amount: e.amount, seq: seq, reversedSeq: 0)
            if let fingerprint = Self.noteFingerprint(e.note) { paymentNotes[e.ref.key] = fingerprint }
            return keepingUndo ? .disbursement(e.ref, line: index, amount: e.amount) : .none
        case .disbursementReversed(let e):
            guard let key = reversedPaymentKey(e), let payment = payments[key], payment.reversedSeq == 0 else { return .none }
            lines[Int(payment.line)].disbursed = lines[Int(payment.line)].disbursed - payment.amount
            payments[key]!.reversedSeq = seq
            return .reversal(PaymentRef(trusted: key), line: payment.line, amount: payment.amount)
        case .disbursementRefunded(let e):
            guard let key = payments[e.ref.key] != nil ? e.ref.key : nil, let payment = payments[key] else { return .none }
            let line = Int(payment.line)
            lines[line].disbursed = lines[line].disbursed - e.amount
            if e.returnedToBudget { lines[line].returned = lines[line].returned + e.amount }
            refunds[key, default: []].append(RefundEntry(date: e.date, amount: e.amount, returnedToBudget: e.returnedToBudget, seq: seq))
            return .refund(key: key, line: payment.line, amount: e.amount, returned: e.returnedToBudget)
        case .fundsAmended(let e):
            return applyAmendment(e, seq: seq)
        case .agencySucceeded(let e):
            lineage.add(e, seq: seq)
            return .succession(e.from)
        case .provinceSucceeded(let e):
            lineage.add(e, seq: seq)
            return .provinceSuccession(e.from)
        case .yearClosed(let e):
            let previous = closedYears[e.year]
            closedYears[e.year] = (e, seq)
            return .closing(e.year, previous: previous)
        case .taskRevised(let e):
            guard let task = tasks[e.task.id] else { return .none }
            tasks[e.task.id]!.revisions.append((e, seq, task.event))
            tasks[e.task.id]!.event = e.task
            // What a report can total grows with a larger plan, and never shrinks (as of an earlier
            // day the older amounts count).
            let before = plannedSum
            let growth = Books.plannedWeight(of: e.task) - Books.plannedWeight(of: task.event)
            if growth.dong > 0 { plannedSum = plannedSum.adding(growth) ?? Self.reportLimit }
            return .revision(e.task.id, weightAdded: plannedSum - before)
        case .taskStatusChanged(let e):
            guard tasks[e.task] != nil else { return .none }
            tasks[e.task]!.changes.append((e, seq))
            return keepingUndo ? .status(e.task) : .none
        case .contractSigned, .disbursementExpected, .reportIssued:
            return reporting.apply(event, seq: seq).map(Undo.reporting) ?? .none
        }
    }

    private mutating func addDecision(_ event: Event, decision: DecisionRef, seq: UInt64, fiscalYear: Int, agency: AgencyID,
                                      signed: BusinessDate, lines allocationLines: [AllocationLine], carriedFrom: DecisionRef?) {
        var indexes: [Int32] = []
        for line in allocationLines {
            let index = Int32(lines.count)
            lines.append(LineEntry(decision: decision, task: line.task, agency: agency, fiscalYear: fiscalYear,
                                   signed: signed, allocated: line.amount, disbursed: .zero, carriedFrom: carriedFrom))
            lineIndex[LineKey(decision: decision, task: line.task)] = index
            tasks[line.task]?.lines.append(index)
            indexes.append(index)
            // Saturates: a log of an older build may hold more (then nothing more is allocated).
            allocatedSum = allocatedSum.adding(line.amount) ?? Self.reportLimit
        }
        decisions[decision] = DecisionEntry(event: event, decision: decision, seq: seq, fiscalYear: fiscalYear, agency: agency, signed: signed, lines: indexes)
        decisionNumbers.add(decision)
    }

    /// Takes back an applied event; undos must be applied newest first.
    public mutating func undo(_ undo: Undo, restoringSeq seq: UInt64) {
        switch undo {
        case .agency(let id): agencies[id] = nil
        case .plan(let id):
            plans[id] = nil
            planNumbers.remove(id)
        case .task(let id):
            if let task = tasks[id] { plannedSum = plannedSum - Books.plannedWeight(of: task.event) }
            tasks[id] = nil
            if plans[id.plan] != nil { plans[id.plan]!.taskCount = id.number - 1 }
        case .allocation(let decision, let count):
            removeLastLines(count)
            decisions[decision] = nil
            decisionNumbers.remove(decision)
        case .carryOver(let decision, let count, let origins):
            removeLastLines(count)
            decisions[decision] = nil
            decisionNumbers.remove(decision)
            for origin in origins { lines[Int(origin.line)].carriedOut = lines[Int(origin.line)].carriedOut - origin.amount }
        case .lapse(let decision, let previousSeq, let amounts):
            for entry in amounts { lines[Int(entry.line)].lapsed = lines[Int(entry.line)].lapsed - entry.amount }
            decisions[decision]?.lapsedSeq = previousSeq
        case .alert(let key):
            alerts[key] = nil
        case .disbursement(let ref, let line, let amount):
            lines[Int(line)].disbursed = lines[Int(line)].disbursed - amount
            disbursedGross = disbursedGross - amount
            payments[ref.key] = nil
            paymentNotes[ref.key] = nil
        case .reversal(let ref, let line, let amount):
            lines[Int(line)].disbursed = lines[Int(line)].disbursed + amount
            payments[ref.key]?.reversedSeq = 0
        case .refund(let key, let line, let amount, let returned):
            lines[Int(line)].disbursed = lines[Int(line)].disbursed + amount
            if returned { lines[Int(line)].returned = lines[Int(line)].returned - amount }
            refunds[key]?.removeLast()
            if refunds[key]?.isEmpty == true { refunds[key] = nil }
        case .succession(let from):
            lineage.remove(from)
        case .provinceSuccession(let from):
            lineage.removeProvince(from)
        case .closing(let year, let previous):
            closedYears[year] = previous
        case .revision(let id, let added):
            if let last = tasks[id]?.revisions.popLast() { tasks[id]!.event = last.before }
            plannedSum = plannedSum - added
        case .amendment(let decision, let amends, let changed, let added, let growth):
            for change in changed.reversed() { lines[Int(change.line)].allocated = change.before }
            for _ in 0..<added {
                let line = lines.removeLast()
                lineIndex[LineKey(decision: line.decision, task: line.task)] = nil
                tasks[line.task]?.lines.removeLast()
                decisions[amends]?.lines.removeLast()
            }
            allocatedSum = allocatedSum - growth
            amendments[decision] = nil
        case .status(let id):
            tasks[id]?.changes.removeLast()
        case .reporting(let key):
            reporting.remove(key)
        case .none:
            break
        }
        lastSeq = seq
    }

    /// Sets each amended line to its new allocation, adding the lines the amendment adds (under the
    /// decision amended, signed on the amendment's date).
    private mutating func applyAmendment(_ e: FundsAmended, seq: UInt64) -> Undo {
        guard let amended = decisions[e.amends] else { return .none }
        var changed: [(line: Int32, before: Money)] = []
        var added = 0
        var growth = Money.zero
        for line in e.lines {
            if let index = lineIndex[LineKey(decision: e.amends, task: line.task)] {
                changed.append((index, lines[Int(index)].allocated))
                lines[Int(index)].allocated = line.after
                if line.after > line.before, let next = growth.adding(line.after - line.before) { growth = next }
            } else {
                let index = Int32(lines.count)
                lines.append(LineEntry(decision: amended.decision, task: line.task, agency: amended.agency, fiscalYear: amended.fiscalYear,
                                       signed: e.signed, allocated: line.after, disbursed: .zero, carriedFrom: nil))
                lineIndex[LineKey(decision: amended.decision, task: line.task)] = index
                tasks[line.task]?.lines.append(index)
                decisions[e.amends]!.lines.append(index)
                added += 1
                if let next = growth.adding(line.after) { growth = next }
            }
        }
        // Saturates like an allocation: what a report can total grows with every raise.
        let before = allocatedSum
        allocatedSum = allocatedSum.adding(growth) ?? Self.reportLimit
        growth = allocatedSum - before
        amendments[e.decision] = AmendmentEntry(event: e, seq: seq)
        return .amendment(e.decision, amends: amended.decision, changed: changed, added: added, growth: growth)
    }

    private mutating func removeLastLines(_ count: Int) {
        for _ in 0..<count {
            let line = lines.removeLast()
            allocatedSum = allocatedSum - line.allocated
            lineIndex[LineKey(decision: line.decision, task: line.task)] = nil
            tasks[line.task]?.lines.removeLast()
        }
    }
}
