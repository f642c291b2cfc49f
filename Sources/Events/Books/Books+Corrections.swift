/// The rules of corrections that are facts of their own: refunds (hoàn trả) and amended
/// allocations (điều chỉnh dự toán).
extension Books {
    func decideRefund(_ c: Refund, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        guard let payment = payment(c.ref) else {
            throw TrackerError(.notFound, "no disbursement with payment reference \(c.ref) is recorded")
        }
        let line = lines[Int(payment.line)]
        let earlier = refunds[c.ref.key] ?? []
        let refunded = earlier.reduce(Money.zero) { $0 + $1.amount }
        let left = payment.amount - refunded
        // A retry: the same payment, date and amount (or, without an amount, a refund of the rest on that date).
        let retried = earlier.first { $0.date == c.date && (c.amount == nil ? left.dong == 0 : $0.amount == c.amount!) }
        if let same = retried {
            return .unchanged(seq: same.seq, what: "the refund of \(same.amount) from payment \(c.ref) on \(same.date.vietnamese) is already recorded")
        }
        if payment.reversedSeq != 0 {
            throw TrackerError(.invalidTransition, "payment \(c.ref) was reversed at seq \(payment.reversedSeq) (it never happened); nothing of it can be refunded")
        }
        guard left.dong > 0 else {
            throw TrackerError(.invalidArgument, "payment \(c.ref) (\(payment.amount)) has been refunded in full already")
        }
        let amount = c.amount ?? left
        guard amount.dong > 0 else { throw TrackerError(.invalidArgument, "a refund must be more than 0 đ") }
        if amount > left {
            var details = JSONObject()
            details["paid"] = .int(payment.amount.dong)
            details["refunded"] = .int(refunded.dong)
            details["requested"] = .int(amount.dong)
            throw TrackerError(.exceedsAllocation,
                "a refund of \(amount) from payment \(c.ref) is more than is left of it: paid \(payment.amount), already refunded \(refunded), left \(left)",
                details: details)
        }
        if c.date < payment.date {
            throw TrackerError(.invalidArgument, "the refund date \(c.date.vietnamese) is before the payment's date \(payment.date.vietnamese)")
        }
        if c.date > context.today {
            throw TrackerError(.invalidArgument, "the refund date \(c.date.vietnamese) is after today (\(context.today.vietnamese))")
        }
        let returned = context.rules.lapseDate(of: line.fiscalYear).map { c.date > $0 } ?? false
        return .record([.disbursementRefunded(DisbursementRefunded(ref: c.ref, task: line.task, decision: line.decision, amount: amount,
                                                                   date: c.date, returnedToBudget: returned, reason: c.reason))])
    }

    func decideAmend(_ c: Amend, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        guard let original = decisions[c.amends] else { throw TrackerError(.notFound, "decision \(c.amends) is not recorded") }
        if decisions[c.decision] != nil {
            throw TrackerError(.conflict, "\(c.decision) is recorded as an allocation or carry-over decision; an amendment has a number of its own")
        }
        // A retry is told by the decision's number, what it amends, its date and reason, and the
        // lines it names (a recorded amendment already changed them, so they are not compared).
        if let existing = amendments[c.decision] {
            let recorded = existing.event
            let named = Set(c.set.map(\.task) + c.withdraw + c.moves.flatMap { [$0.from, $0.to] })
            guard recorded.amends == original.decision, recorded.signed == c.signed, recorded.reason == c.reason,
                  named.isSubset(of: Set(recorded.lines.map(\.task))) || Set(recorded.lines.map(\.task)).isSubset(of: named) else {
                throw TrackerError(.conflict, "amendment \(recorded.decision) is already recorded (seq \(existing.seq), amending \(recorded.amends) on \(recorded.signed.vietnamese)); it cannot be recorded again differently")
            }
            return .unchanged(seq: existing.seq, what: "amendment \(recorded.decision) is already recorded")
        }
        let event = try amendment(c, of: original, context: context)
        var growth: Int128 = 0
        for line in event.lines where line.after > line.before { growth += Int128(line.after.dong) - Int128(line.before.dong) }
        try checkReportLimit("amendment \(c.decision): its raises", adding: growth, to: allocatedSum,
                             "the money allocated on every line, own and carried over,")
        var events: [Event] = [.fundsAmended(event)]
        for line in event.lines where line.before.dong == 0 {
            guard let task = tasks[line.task], task.status == .planned || task.status == .deferred else { continue }
            events.append(.taskStatusChanged(TaskStatusChanged(task: task.event.id, from: task.status, to: .funded, date: c.signed,
                                                               reason: "funded by \(c.decision), amending \(original.decision)")))
        }
        return .record(events)
    }

    /// The amendment `c` makes of `original`: each named line's allocation before and after, checked.
    private func amendment(_ c: Amend, of original: DecisionEntry, context: CommandContext) throws(TrackerError) -> FundsAmended {
        let year = original.fiscalYear
        if c.signed < original.signed {
            throw TrackerError(.invalidArgument, "amendment \(c.decision) is signed \(c.signed.vietnamese), before \(original.decision) itself (\(original.signed.vietnamese))")
        }
        if c.signed > context.today {
            throw TrackerError(.invalidArgument, "amendment \(c.decision) is signed \(c.signed.vietnamese), after today (\(context.today.vietnamese))")
        }
        if let lapse = context.rules.lapseDate(of: year), c.signed > lapse {
            throw TrackerError(.invalidArgument, "money of budget year \(year) under \(original.decision) lapsed after \(lapse.vietnamese); it cannot be amended on \(c.signed.vietnamese)")
        }
        var late: LateAmendment? = nil
        if let deadline = context.rules.amendmentDeadline(of: year), c.signed > deadline {
            guard let override = c.lateOverride else {
                throw TrackerError(.invalidArgument, "allocations of budget year \(year) are adjusted by \(deadline.vietnamese) ([budget] amendment_deadline; by default 15/11 under Law 83/2015/QH13, 15/12 from 2026 under Law 89/2025/QH15, Điều 55.3); amendment \(c.decision) is signed \(c.signed.vietnamese). To record it anyway, give --late-override with who decided and why (it is recorded)")
            }
            late = LateAmendment(deadline: deadline, override: override)
        }
        // Each task once, in the order given; the new allocation of each.
        var order: [TaskID] = []
        var after: [TaskID: Int128] = [:]
        func current(_ task: TaskID) throws(TrackerError) -> Int128 {
            if let value = after[task] { return value }
            guard let entry = tasks[task] else { throw unknownTaskOf(task) }
            order.append(entry.event.id)
            let value = lineIndex[LineKey(decision: original.decision, task: task)].map { Int128(lines[Int($0)].allocated.dong) } ?? 0
            after[task] = value
            return value
        }
        var named = Set<TaskID>()
        func name(_ task: TaskID, _ how: String) throws(TrackerError) {
            guard named.insert(task).inserted else {
                throw TrackerError(.invalidArgument, "amendment \(c.decision) names task \(task) more than once (\(how)); give one change per line")
            }
        }
        for line in c.set {
            try name(line.task, "--set")
            guard line.amount.dong >= 0 else { throw TrackerError(.invalidArgument, "amendment \(c.decision): an allocation cannot be negative") }
            _ = try current(line.task)
            after[line.task] = Int128(line.amount.dong)
        }
        for move in c.moves {
            try name(move.from, "--move"); try name(move.to, "--move")
            guard move.amount.dong > 0 else { throw TrackerError(.invalidArgument, "amendment \(c.decision): a move must be more than 0 đ") }
            after[move.from] = try current(move.from) - Int128(move.amount.dong)
            after[move.to] = try current(move.to) + Int128(move.amount.dong)
        }
        for task in c.withdraw {
            try name(task, "--withdraw")
            guard let index = lineIndex[LineKey(decision: original.decision, task: task)] else {
                throw TrackerError(.notFound, "task \(task) has no line under \(original.decision); there is nothing to withdraw")
            }
            _ = try current(task)
            after[task] = Int128(lines[Int(index)].used.dong)
        }
        guard !order.isEmpty else {
            throw TrackerError(.invalidArgument, "amendment \(c.decision) changes nothing: give --set, --withdraw or --move")
        }
        var changes: [AmendedLine] = []
        for taskID in order {
            let task = tasks[taskID]!
            let index = lineIndex[LineKey(decision: original.decision, task: taskID)]
            let before = index.map { lines[Int($0)].allocated } ?? .zero
            let used = index.map { lines[Int($0)].used } ?? .zero
            let new = after[taskID]!
            if new < Int128(used.dong) {
                var details = JSONObject()
                details["allocated"] = .int(before.dong)
                details["used"] = .int(used.dong)
                if let line = index.map({ lines[Int($0)] }) { details["disbursed"] = .int(line.disbursed.dong) }
                details["requested"] = .int(Int64(clamping: new))
                throw TrackerError(.exceedsAllocation,
                    "amendment \(c.decision) would bring \(taskID) under \(original.decision) to \(Money.describe(dong: new)), below what the line has used: allocated \(before), used \(used) (disbursed, carried over, lapsed or returned)",
                    details: details)
            }
            guard let newMoney = Int64(exactly: new) else {
                throw TrackerError(.invalidArgument, "amendment \(c.decision): the new allocation of \(taskID) does not fit in money")
            }
            if index == nil {
                guard task.agency == original.agency else {
                    throw TrackerError(.invalidArgument, "task \(taskID) belongs to agency \(task.agency), not \(original.agency); an amendment of \(original.decision) moves money only between lines of its agency")
                }
                guard task.event.period.contains(year) else {
                    throw TrackerError(.invalidArgument, "task \(taskID) runs \(task.event.period); budget year \(year) is outside it")
                }
                guard task.status != .cancelled else { throw TrackerError(.invalidTransition, "task \(taskID) is cancelled; it cannot be funded") }
                guard newMoney > 0 else { throw TrackerError(.invalidArgument, "amendment \(c.decision): a new line for \(taskID) must be more than 0 đ") }
            }
            if newMoney != before.dong { changes.append(AmendedLine(task: task.event.id, before: before, after: Money(dong: newMoney))) }
        }
        guard !changes.isEmpty else {
            throw TrackerError(.invalidArgument, "amendment \(c.decision) changes nothing: every line it names already has that allocation")
        }
        return FundsAmended(decision: c.decision, signed: c.signed, amends: original.decision, fiscalYear: year, agency: original.agency,
                            lines: changes, reason: c.reason, late: late, note: c.note)
    }

    private func unknownTaskOf(_ id: TaskID) -> TrackerError {
        TrackerError(.notFound, "task \(id) is not recorded")
    }

    /// What a payment is worth after its refunds: what can still come back of it.
    public func refundable(_ ref: PaymentRef) -> Money? {
        guard let payment = payment(ref), payment.reversedSeq == 0 else { return nil }
        return payment.amount - (refunds[ref.key] ?? []).reduce(Money.zero) { $0 + $1.amount }
    }
}

extension Books {
    func decideRevision(_ c: ReviseTask, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        guard let task = tasks[c.task], let plan = plans[c.task.plan] else { throw TrackerError(.notFound, "task \(c.task) is not recorded") }
        let revised = c.applied(to: task.event)
        if let last = task.revisions.last, last.event.reference == c.reference, last.event.date == c.date, last.event.task == revised,
           last.event.cancelled == c.cancel {
            return .unchanged(seq: last.seq, what: "the revision \(c.reference) of \(task.event.id) is already recorded")
        }
        guard revised != task.event || (c.cancel && task.status != .cancelled) else {
            throw TrackerError(.invalidArgument, "the revision of \(task.event.id) changes nothing: give what changes (--total, --period, …) or --cancel")
        }
        if c.date > context.today {
            throw TrackerError(.invalidArgument, "the revision is dated \(c.date.vietnamese), after today (\(context.today.vietnamese))")
        }
        if c.date < plan.event.issued {
            throw TrackerError(.invalidArgument, "the revision is dated \(c.date.vietnamese), before plan \(plan.event.id) itself (\(plan.event.issued.vietnamese))")
        }
        if let last = task.revisions.last, c.date < last.event.date {
            throw TrackerError(.invalidArgument, "task \(task.event.id) was revised on \(last.event.date.vietnamese) (\(last.event.reference)); a later revision cannot be dated \(c.date.vietnamese)")
        }
        try checkTask(revised, of: plan)
        for index in task.lines where !revised.period.contains(lines[Int(index)].fiscalYear) {
            let line = lines[Int(index)]
            throw TrackerError(.invalidArgument, "task \(task.event.id) has money of budget year \(line.fiscalYear) under \(line.decision); its period cannot become \(revised.period)")
        }
        let growth = Int128(Books.plannedWeight(of: revised).dong) - Int128(Books.plannedWeight(of: task.event).dong)
        if growth > 0 {
            try checkReportLimit("the revision of \(task.event.id)", adding: growth, to: plannedSum, "the amounts planned for every task")
        }
        var events: [Event] = [.taskRevised(TaskRevised(task: revised, reference: c.reference, date: c.date, reason: c.reason, cancelled: c.cancel))]
        if c.cancel && task.status != .cancelled {
            if !task.changes.isEmpty && c.date < task.statusDate {
                throw TrackerError(.invalidArgument, "task \(task.event.id) became \(task.status.rawValue) on \(task.statusDate.vietnamese); its cancellation cannot be dated \(c.date.vietnamese)")
            }
            if let refusal = task.status.refusal(movingTo: .cancelled, correction: false) {
                throw TrackerError(.invalidTransition, "task \(task.event.id): \(refusal)")
            }
            events.append(.taskStatusChanged(TaskStatusChanged(task: task.event.id, from: task.status, to: .cancelled, date: c.date,
                                                               reason: "cancelled by the plan revision \(c.reference): \(c.reason)")))
        }
        return .record(events)
    }
}
