/// The rules: every command is checked against the books before anything is appended.
extension Books {
    /// Decides what `command` records, or why it is refused. Pure: the books are not changed.
    ///
    /// A command whose fact is already recorded identically (a retry) returns `.unchanged` with
    /// the seq where it was recorded; the same id with different content is a `conflict`.
    public func decide(_ command: Command, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        try decideResolvingLine(try resolvingKeys(command, context: context), context: context).outcome
    }

    /// `decide`, with the allocation line a disbursement or a reversal pays from or back to (an
    /// index into `lines`), as the decision resolved it: the batch step answers with that line.
    /// Nil for other commands, and for a retried disbursement that names no decision for a task
    /// funded by several. `command` names its decisions by their full keys and its plans as recorded
    /// (`resolvingKeys`).
    func decideResolvingLine(_ command: Command, context: CommandContext) throws(TrackerError) -> (outcome: CommandOutcome, line: Int32?) {
        let decided = try decideAny(command, context: context)
        if case .record(let events) = decided.outcome { try checkYearsOpen(for: events) }
        return decided
    }

    func decideAny(_ command: Command, context: CommandContext) throws(TrackerError) -> (outcome: CommandOutcome, line: Int32?) {
        switch command {
        case .registerAgency(let c): return (try decideRegister(c, context: context), nil)
        case .createPlan(let c): return (try decideCreatePlan(c.plan, context: context), nil)
        case .addTask(let c): return (try decideAddTask(c), nil)
        case .allocate(let c): return (try decideAllocate(c.allocation, context: context), nil)
        case .disburse(let c): return try decideDisburse(c, context: context)
        case .reverse(let c): return try decideReverse(c, context: context)
        case .changeStatus(let c): return (try decideChangeStatus(c, context: context), nil)
        case .carryOver(let c): return (try decideCarryOver(c, context: context), nil)
        case .lapse(let c): return (try decideLapse(c, context: context), nil)
        case .refund(let c): return (try decideRefund(c, context: context), payment(c.ref)?.line)
        case .amend(let c): return (try decideAmend(c, context: context), nil)
        case .succeedAgency(let c): return (try decideSuccession(c.succession, context: context), nil)
        case .reviseTask(let c): return (try decideRevision(c, context: context), nil)
        case .succeedProvince(let c): return (try decideProvinceSuccession(c.succession, context: context), nil)
        case .closeYear(let c): return (try decideClosing(c.closing, context: context), nil)
        case .recordContract(let c): return (try decideContract(c, context: context), nil)
        case .recordExpectation(let c): return (try decideExpectation(c, context: context), nil)
        case .issueReport(let c): return (try decideIssueReport(c, context: context), nil)
        case .raiseAlert(let alert):
            if let seq = alerts[alert.key] {
                return (.unchanged(seq: seq, what: "the \(alert.checkpoint) alert for \(alert.task) under \(alert.decision) was raised before"), nil)
            }
            return (.record([.alertRaised(alert)]), nil)
        }
    }

    private func decideRegister(_ c: RegisterAgency, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        let event = AgencyRegistered(id: c.id, name: c.name, note: c.note, province: c.province ?? context.rules.province)
        if let existing = agencies[c.id] {
            // An agency recorded before agencies had provinces belongs to the store's: a retry that names none is the same.
            var recorded = existing.event
            if recorded.province == nil && c.province == nil { recorded.province = event.province }
            guard recorded == event else {
                throw TrackerError(.conflict, "agency \(existing.event.id) is already registered as \"\(existing.event.name)\" (seq \(existing.seq)); it cannot be registered again differently")
            }
            return .unchanged(seq: existing.seq, what: "agency \(c.id) is already registered")
        }
        return .record([.agencyRegistered(event)])
    }

    private func decideCreatePlan(_ plan: PlanCreated, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        guard agencies[plan.agency] != nil else { throw unknownAgency(plan.agency) }
        if let existing = plans[plan.id] {
            guard existing.event == plan else {
                throw TrackerError(.conflict, "plan \(existing.event.id) already exists (seq \(existing.seq), \"\(existing.event.title)\", dated \(existing.event.issued.vietnamese)); it cannot be created again differently")
            }
            return .unchanged(seq: existing.seq, what: "plan \(plan.id) is already recorded")
        }
        if plan.issued > context.today {
            throw TrackerError(.invalidArgument, "plan \(plan.id) is dated \(plan.issued.vietnamese), after today (\(context.today.vietnamese))")
        }
        return .record([.planCreated(plan)])
    }

    private func decideAddTask(_ c: AddTask) throws(TrackerError) -> CommandOutcome {
        var task = c.task
        guard let plan = plans[task.id.plan] else { throw unknownPlan(task.id.plan) }
        let next = plan.taskCount + 1
        if c.autoNumber {
            task.id = TaskID(plan: plan.event.id, number: next)
        } else if let existing = tasks[task.id] {
            var canonical = task
            canonical.id = existing.event.id
            // A retry is compared with the task as added, whatever revisions changed since.
            guard (existing.revisions.first?.before ?? existing.event) == canonical else {
                throw TrackerError(.conflict, "task \(existing.event.id) already exists (seq \(existing.seq), \"\(existing.event.name)\"); it cannot be added again differently")
            }
            return .unchanged(seq: existing.seq, what: "task \(existing.event.id) is already recorded")
        } else if task.id.number != next {
            throw TrackerError(.invalidArgument, "tasks are numbered in document order: the next task of plan \(plan.event.id) is #\(next), not #\(task.id.number)")
        }
        task.id = TaskID(plan: plan.event.id, number: task.id.number)
        try checkTask(task, of: plan)
        try checkReportLimit("task \(task.id): its planned amount", adding: Int128(Books.plannedWeight(of: task).dong), to: plannedSum,
                             "the amounts planned for every task")
        return .record([.taskAdded(task)])
    }

    /// The rules a task's figures follow, when added and when revised.
    func checkTask(_ task: TaskAdded, of plan: PlanEntry) throws(TrackerError) {
        let planPeriod = plan.event.period
        // A plan for a year may hold tasks of several years (the 2023 plan's 2022–2025 tasks), but
        // a task that shares no year with its plan is a typing error that would be overdue for ever.
        if task.period.last < planPeriod.first || task.period.first > planPeriod.last {
            throw TrackerError(.invalidArgument, "task \(task.id) runs \(task.period), outside the period of plan \(plan.event.id) (\(planPeriod)); a task shares at least one year with its plan")
        }
        for entry in task.yearly where !task.period.contains(entry.year) {
            throw TrackerError(.invalidArgument, "task \(task.id): an amount for \(entry.year) is outside its period \(task.period)")
        }
        var yearlySum = Money.zero
        for entry in task.yearly {
            guard let next = yearlySum.adding(entry.amount) else {
                throw TrackerError(.invalidArgument, "task \(task.id): the yearly amounts add up to more than 9.223.372.036.854.775.807 đ")
            }
            yearlySum = next
        }
        if let total = task.total {
            guard total.dong > 0 else { throw TrackerError(.invalidArgument, "task \(task.id): the total must be more than 0 đ") }
            if yearlySum > total {
                throw TrackerError(.invalidArgument, "task \(task.id): yearly amounts add up to \(yearlySum), more than its total \(total)")
            }
        }
    }

    private func decideAllocate(_ allocation: FundsAllocated, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        guard let agency = agencies[allocation.agency] else { throw unknownAgency(allocation.agency) }
        var canonical = allocation
        canonical.agency = agency.event.id
        if let ceased = lineage.succession(of: agency.event.id, on: allocation.signed) {
            throw TrackerError(.invalidArgument, "agency \(agency.event.id) was succeeded by \(ceased.to.map(\.text).joined(separator: ", ")) from \(ceased.effective.vietnamese) (\(ceased.decision)); a decision signed \(allocation.signed.vietnamese) allocates to its successor")
        }
        if let amendment = amendments[allocation.decision] {
            throw TrackerError(.conflict, "\(amendment.event.decision) is recorded as an amendment of \(amendment.event.amends) (seq \(amendment.seq)); an allocation has a number of its own")
        }
        if let existing = decisions[allocation.decision] {
            guard case .fundsAllocated(let recorded) = existing.event else { throw alreadyRecorded(existing) }
            canonical.decision = recorded.decision
            var lines = canonical.lines
            for index in lines.indices { lines[index].task = tasks[lines[index].task]?.event.id ?? lines[index].task }
            canonical.lines = lines
            guard recorded == canonical else { throw alreadyRecorded(existing) }
            return .unchanged(seq: existing.seq, what: "decision \(recorded.decision) is already recorded")
        }
        guard !allocation.lines.isEmpty else {
            throw TrackerError(.invalidArgument, "decision \(allocation.decision) has no lines: give at least one task and amount")
        }
        if allocation.signed > context.today {
            throw TrackerError(.invalidArgument, "decision \(allocation.decision) is signed \(allocation.signed.vietnamese), after today (\(context.today.vietnamese))")
        }
        let signedYear = allocation.signed.year
        guard signedYear == allocation.fiscalYear || signedYear == allocation.fiscalYear - 1 else {
            throw TrackerError(.invalidArgument, "decision \(allocation.decision) is signed \(allocation.signed.vietnamese) but allocates for budget year \(allocation.fiscalYear); a decision is signed in its budget year or the year before")
        }
        var seen = Set<TaskID>()
        var total: Int128 = 0
        var events: [Event] = []
        var lines: [AllocationLine] = []
        for line in allocation.lines {
            guard let task = tasks[line.task] else { throw unknownTask(line.task) }
            guard seen.insert(line.task).inserted else {
                throw TrackerError(.invalidArgument, "decision \(allocation.decision) lists task \(task.event.id) twice; give one line per task")
            }
            let holder = lineage.holder(of: task.event.id, recordedUnder: task.agency, on: allocation.signed)
            guard holder == allocation.agency else {
                let when = holder == task.agency ? "" : " on \(allocation.signed.vietnamese) (it was recorded under \(task.agency))"
                throw TrackerError(.invalidArgument, "task \(task.event.id) belongs to agency \(holder)\(when), not \(allocation.agency); a decision line must fund a task of its recipient agency")
            }
            guard line.amount.dong > 0 else {
                throw TrackerError(.invalidArgument, "decision \(allocation.decision): the amount for \(task.event.id) must be more than 0 đ")
            }
            guard task.event.period.contains(allocation.fiscalYear) else {
                throw TrackerError(.invalidArgument, "task \(task.event.id) runs \(task.event.period); budget year \(allocation.fiscalYear) is outside it")
            }
            guard task.status != .cancelled else {
                throw TrackerError(.invalidTransition, "task \(task.event.id) is cancelled; it cannot be funded")
            }
            total += Int128(line.amount.dong)
            lines.append(AllocationLine(task: task.event.id, amount: line.amount))
            if task.status == .planned || task.status == .deferred {
                events.append(.taskStatusChanged(TaskStatusChanged(task: task.event.id, from: task.status, to: .funded, date: allocation.signed,
                                                                   reason: "funded by \(allocation.decision)")))
            }
        }
        try checkReportLimit("decision \(allocation.decision): its lines", adding: total, to: allocatedSum,
                             "the money allocated on every line, own and carried over,")
        canonical.lines = lines
        return .record([.fundsAllocated(canonical)] + events)
    }

    private func decideDisburse(_ c: Disburse, context: CommandContext) throws(TrackerError) -> (outcome: CommandOutcome, line: Int32?) {
        guard let task = tasks[c.task] else { throw unknownTask(c.task) }
        // A retry first: the reference decides, whatever happened to the task's lines since.
        if let existing = payment(c.ref) {
            let old = lines[Int(existing.line)]
            if existing.reversedSeq != 0 {
                // The same request again (an import file loaded twice) records nothing; anything else
                // under a reversed reference is a new payment, which needs a new reference.
                if old.task == c.task, c.decision.map({ $0 == old.decision }) ?? true, existing.amount == c.amount, existing.date == c.date {
                    return (.unchanged(seq: existing.seq, what: "payment \(c.ref) was recorded (seq \(existing.seq)) and reversed (seq \(existing.reversedSeq)); it is not recorded again, and a new payment needs a new reference"), existing.line)
                }
                throw TrackerError(.conflict, "payment reference \(c.ref) was used for a disbursement reversed at seq \(existing.reversedSeq); a new payment needs a new reference")
            }
            guard old.task == c.task, c.decision.map({ $0 == old.decision }) ?? true, existing.amount == c.amount, existing.date == c.date else {
                throw TrackerError(.conflict, "payment reference \(c.ref) is already recorded (seq \(existing.seq): \(existing.amount) on \(existing.date.vietnamese) for \(old.task) under \(old.decision)); a different payment needs its own reference")
            }
            // The same payment; only its note may differ, and a retry does not change a record.
            // Its line is the one the request names: by its decision, or the task's only line.
            let line = c.decision != nil || task.lines.count == 1 ? existing.line : nil
            if paymentNotes[c.ref.key] != Books.noteFingerprint(c.note) {
                return (.unchanged(seq: existing.seq, what: "payment \(c.ref) is already recorded; the note of this request differs from the recorded one and was not recorded",
                                   noteNotRecorded: NoteNotRecorded(given: c.note)), line)
            }
            return (.unchanged(seq: existing.seq, what: "payment \(c.ref) is already recorded"), line)
        }
        let lineNumber: Int32
        if let decision = c.decision {
            guard let index = lineIndex[LineKey(decision: decision, task: c.task)] else {
                let funded = task.lines.map { lines[Int($0)].decision.description }
                throw TrackerError(.notFound, "task \(task.event.id) has no allocation under \(decision)"
                    + (funded.isEmpty ? "; it has not been funded yet" : "; it is funded by \(funded.joined(separator: ", "))"))
            }
            lineNumber = index
        } else {
            switch task.lines.count {
            case 0: throw TrackerError(.notFound, "task \(task.event.id) has no allocation yet; record the decision that funds it first")
            case 1: lineNumber = task.lines[0]
            default:
                let funded = task.lines.map { lines[Int($0)].decision.description }
                throw TrackerError(.invalidArgument, "task \(task.event.id) is funded by \(funded.count) decisions (\(funded.joined(separator: ", "))); say which pays with --decision")
            }
        }
        let line = lines[Int(lineNumber)]
        guard c.amount.dong > 0 else { throw TrackerError(.invalidArgument, "a disbursement must be more than 0 đ") }
        guard task.status != .cancelled else {
            throw TrackerError(.invalidTransition, "task \(task.event.id) is cancelled; nothing can be disbursed for it")
        }
        if c.date > context.today {
            throw TrackerError(.invalidArgument, "the disbursement date \(c.date.vietnamese) is after today (\(context.today.vietnamese))")
        }
        if c.date < line.signed {
            throw TrackerError(.invalidArgument, "the disbursement date \(c.date.vietnamese) is before \(line.decision) was signed (\(line.signed.vietnamese))")
        }
        if let lapse = context.rules.lapseDate(of: line.fiscalYear), c.date > lapse {
            throw TrackerError(.invalidArgument, "money of budget year \(line.fiscalYear) under \(line.decision) lapsed after \(lapse.vietnamese) (hủy dự toán); a disbursement dated \(c.date.vietnamese) needs money carried over to \(line.fiscalYear + 1)")
        }
        try checkReportLimit("the disbursement", adding: Int128(c.amount.dong), to: disbursedGross,
                             "the disbursements recorded, reversals not subtracted (a report dated before a reversal counts the payment),")
        let remaining = line.remaining
        if c.amount > remaining {
            var details = JSONObject()
            details["allocated"] = .int(line.allocated.dong)
            details["disbursed"] = .int(line.disbursed.dong)
            details["remaining"] = .int(remaining.dong)
            details["requested"] = .int(c.amount.dong)
            throw TrackerError(.exceedsAllocation,
                "disbursement of \(c.amount) exceeds what remains for \(line.task) under \(line.decision): allocated \(line.allocated), already disbursed \(line.disbursed), remaining \(remaining), requested \(c.amount)",
                details: details)
        }
        return (.record([.disbursementRecorded(DisbursementRecorded(task: line.task, decision: line.decision, amount: c.amount,
                                                                    date: c.date, ref: c.ref, note: c.note))]), lineNumber)
    }

    private func decideReverse(_ c: Reverse, context: CommandContext) throws(TrackerError) -> (outcome: CommandOutcome, line: Int32?) {
        guard let payment = payment(c.ref) else {
            throw TrackerError(.notFound, "no disbursement with payment reference \(c.ref) is recorded")
        }
        if payment.reversedSeq != 0 {
            return (.unchanged(seq: payment.reversedSeq, what: "payment \(c.ref) is already reversed"), payment.line)
        }
        // An error is corrected where it was made: the payment never happened, so by default the
        // reversal takes effect on the payment's own date.
        let date = c.date ?? payment.date
        if date < payment.date {
            throw TrackerError(.invalidArgument, "the reversal date \(date.vietnamese) is before the disbursement's date \(payment.date.vietnamese)")
        }
        if date > context.today {
            throw TrackerError(.invalidArgument, "the reversal date \(date.vietnamese) is after today (\(context.today.vietnamese))")
        }
        let line = lines[Int(payment.line)]
        return (.record([.disbursementReversed(DisbursementReversed(ref: c.ref, task: line.task, decision: line.decision,
                                                                   amount: payment.amount, date: date, reason: c.reason))]), payment.line)
    }

    private func decideChangeStatus(_ c: ChangeStatus, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        guard let task = tasks[c.task] else { throw unknownTask(c.task) }
        if let same = task.changes.last(where: { $0.event.to == c.to && $0.event.date == c.date && $0.event.reason == c.reason }) {
            return .unchanged(seq: same.seq, what: "task \(task.event.id) became \(c.to.rawValue) on \(c.date.vietnamese) for the same reason")
        }
        if let refusal = task.status.refusal(movingTo: c.to, correction: c.correction) {
            throw TrackerError(.invalidTransition, "task \(task.event.id): \(refusal)")
        }
        if c.date > context.today {
            throw TrackerError(.invalidArgument, "the status date \(c.date.vietnamese) is after today (\(context.today.vietnamese))")
        }
        if !task.changes.isEmpty && c.date < task.statusDate {
            throw TrackerError(.invalidArgument, "task \(task.event.id) became \(task.status.rawValue) on \(task.statusDate.vietnamese); a later change cannot be dated \(c.date.vietnamese)")
        }
        return .record([.taskStatusChanged(TaskStatusChanged(task: task.event.id, from: task.status, to: c.to, date: c.date,
                                                             reason: c.reason, correction: c.correction))])
    }

    private func alreadyRecorded(_ existing: DecisionEntry) -> TrackerError {
        var total = Money.zero
        for index in existing.lines { total = total + lines[Int(index)].allocated }
        return TrackerError(.conflict, "decision \(existing.decision) is already recorded (seq \(existing.seq), \(total) for \(existing.agency), budget year \(existing.fiscalYear)); it cannot be recorded again differently")
    }

    private func decideCarryOver(_ c: CarryOver, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        guard let from = decisions[c.from] else { throw TrackerError(.notFound, "decision \(c.from) is not recorded") }
        guard !c.lines.isEmpty else { throw TrackerError(.invalidArgument, "carry-over \(c.decision) has no lines: give at least one task and amount") }
        var seen = Set<TaskID>()
        var eventLines: [AllocationLine] = []
        for line in c.lines {
            guard let index = lineIndex[LineKey(decision: c.from, task: line.task)] else {
                throw TrackerError(.notFound, "task \(line.task) has no line under \(c.from) to carry over")
            }
            let origin = lines[Int(index)]
            guard seen.insert(line.task).inserted else {
                throw TrackerError(.invalidArgument, "carry-over \(c.decision) lists task \(origin.task) twice; give one line per task")
            }
            eventLines.append(AllocationLine(task: origin.task, amount: line.amount))
        }
        guard BusinessDate.validYears.contains(from.fiscalYear + 1) else {
            throw TrackerError(.invalidArgument, "carry-over \(c.decision) would move money of budget year \(from.fiscalYear) into \(from.fiscalYear + 1); the log holds budget years \(BusinessDate.validYears.lowerBound)–\(BusinessDate.validYears.upperBound) only")
        }
        let law = try checkCarryOverGround(c, from: from, context: context)
        let event = FundsCarriedOver(decision: c.decision, signed: c.signed, from: from.decision,
                                     fiscalYear: from.fiscalYear + 1, agency: from.agency, lines: eventLines, ground: c.ground, law: law,
                                     override: c.override.map { FundsCarriedOver.Override(text: $0, by: context.actor ?? Actor(uid: 0, name: "unknown")) },
                                     note: c.note)
        if let existing = decisions[c.decision] {
            var canonical = event
            if case .fundsCarriedOver(let recorded) = existing.event {
                canonical.decision = recorded.decision
                if recorded == canonical { return .unchanged(seq: existing.seq, what: "carry-over \(recorded.decision) is already recorded") }
            }
            throw alreadyRecorded(existing)
        }
        if c.signed > context.today {
            throw TrackerError(.invalidArgument, "carry-over \(c.decision) is signed \(c.signed.vietnamese), after today (\(context.today.vietnamese))")
        }
        if c.signed < from.signed {
            throw TrackerError(.invalidArgument, "carry-over \(c.decision) is signed \(c.signed.vietnamese), before \(c.from) itself (\(from.signed.vietnamese))")
        }
        var total: Int128 = 0
        for line in eventLines {
            let origin = lines[Int(lineIndex[LineKey(decision: c.from, task: line.task)]!)]
            guard line.amount.dong > 0 else { throw TrackerError(.invalidArgument, "carry-over \(c.decision): the amount for \(origin.task) must be more than 0 đ") }
            total += Int128(line.amount.dong)
            if line.amount > origin.remaining {
                var details = JSONObject()
                details["allocated"] = .int(origin.allocated.dong)
                details["disbursed"] = .int(origin.disbursed.dong)
                details["remaining"] = .int(origin.remaining.dong)
                details["requested"] = .int(line.amount.dong)
                throw TrackerError(.exceedsAllocation,
                    "carrying over \(line.amount) exceeds what remains for \(origin.task) under \(origin.decision): allocated \(origin.allocated), disbursed \(origin.disbursed), already carried over \(origin.carriedOut), lapsed \(origin.lapsed), remaining \(origin.remaining)",
                    details: details)
            }
        }
        // A carried-over line is a line of its own: reports add it to the lines it came from.
        try checkReportLimit("carry-over \(c.decision): its lines", adding: total, to: allocatedSum,
                             "the money allocated on every line, own and carried over,")
        return .record([.fundsCarriedOver(event)])
    }

    /// Checks what the books can check of a carry-over's legal ground: that the budget year's law
    /// allows the class (refused naming the classes it allows), that money "added after 30/9" was
    /// allocated after 30/9, and that it is signed by the end of the adjustment period (31/01)
    /// unless overridden. Returns the law that allowed the class, nil without one.
    private func checkCarryOverGround(_ c: CarryOver, from: DecisionEntry, context: CommandContext) throws(TrackerError) -> String? {
        let year = from.fiscalYear
        if let end = context.rules.lapseDate(of: year), c.signed > end, c.override == nil {
            throw TrackerError(.invalidArgument, "carry-over \(c.decision) is signed \(c.signed.vietnamese), after the end of budget year \(year)'s adjustment period (\(end.vietnamese)), when money not carried over is cancelled (hủy dự toán). To record it anyway, give --override with who decided and on what (it is recorded with your name)")
        }
        guard let ground = c.ground else { return nil }
        guard let rule = context.rules.carryOverRule(of: year) else {
            throw TrackerError(.invalidArgument, "no carry-over rule of the configuration reaches back to budget year \(year)")
        }
        guard rule.grounds.contains(ground) else {
            throw TrackerError(.invalidArgument, "money of budget year \(year) cannot be carried over as \(ground.rawValue) (\(ground.meaning)): \(rule.law) allows \(rule.grounds.map(\.rawValue).joined(separator: ", "))")
        }
        if ground == .addedAfterSeptember, let september = BusinessDate(year: year, month: 9, day: 30) {
            for line in c.lines {
                let origin = lines[Int(lineIndex[LineKey(decision: c.from, task: line.task)]!)]
                guard origin.signed > september else {
                    throw TrackerError(.invalidArgument, "carry-over \(c.decision) gives added-after-30-09 as its ground, but \(origin.task) under \(origin.decision) was allocated on \(origin.signed.vietnamese), not after \(september.vietnamese); give the class its money belongs to")
                }
            }
        }
        return rule.law
    }

    private func decideLapse(_ c: Lapse, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        guard let decision = decisions[c.decision] else { throw TrackerError(.notFound, "decision \(c.decision) is not recorded") }
        guard let deadline = context.rules.lapseDate(of: decision.fiscalYear) else {
            throw TrackerError(.invalidArgument, "money of budget year \(decision.fiscalYear) can be disbursed or carried over past \(BusinessDate.last.vietnamese), the last day the log holds; it cannot lapse before that")
        }
        guard c.date > deadline else {
            throw TrackerError(.invalidArgument, "money of budget year \(decision.fiscalYear) can be disbursed or carried over until \(deadline.vietnamese); it lapses only after that")
        }
        if c.date > context.today {
            throw TrackerError(.invalidArgument, "the lapse date \(c.date.vietnamese) is after today (\(context.today.vietnamese))")
        }
        var candidates = decision.lines.map { lines[Int($0)] }
        if let task = c.task {
            candidates = candidates.filter { $0.task == task }
            guard !candidates.isEmpty else { throw TrackerError(.notFound, "task \(task) has no line under \(c.decision)") }
        }
        let lapsing = candidates.filter { $0.remaining.dong > 0 }.map { AllocationLine(task: $0.task, amount: $0.remaining) }
        guard !lapsing.isEmpty else {
            if decision.lapsedSeq != 0 { return .unchanged(seq: decision.lapsedSeq, what: "what remained under \(c.decision) has already lapsed") }
            throw TrackerError(.invalidArgument, "nothing remains under \(c.decision)\(c.task.map { " for \($0)" } ?? ""): it was disbursed or carried over in full")
        }
        return .record([.fundsLapsed(FundsLapsed(decision: decision.decision, date: c.date, lines: lapsing, reason: c.reason))])
    }

    /// Refuses a command whose `amount` would bring the running `sum` past `Books.reportLimit`,
    /// so that no report's total can overflow; the message names both numbers.
    func checkReportLimit(_ what: String, adding amount: Int128, to sum: Money, _ which: String) throws(TrackerError) {
        guard Int128(sum.dong) + amount > Int128(Books.reportLimit.dong) else { return }
        var details = JSONObject()
        if let requested = Int64(exactly: amount) { details["requested"] = .int(requested) }
        details["recorded"] = .int(sum.dong)
        details["limit"] = .int(Books.reportLimit.dong)
        throw TrackerError(.invalidArgument,
            "\(what) (\(Money.describe(dong: amount))) would bring \(which) to \(Money.describe(dong: Int128(sum.dong) + amount)), more than the \(Books.reportLimit) a report can total (\(sum) so far); amounts this large cannot be right",
            details: details)
    }

    private func unknownAgency(_ id: AgencyID) -> TrackerError {
        TrackerError(.notFound, "agency \(id) is not registered")
    }

    private func unknownPlan(_ id: PlanID) -> TrackerError {
        TrackerError(.notFound, "plan \(id) is not recorded")
    }

    private func unknownTask(_ id: TaskID) -> TrackerError {
        guard let plan = plans[id.plan] else {
            return TrackerError(.notFound, "task \(id) is not recorded; plan \(id.plan) is not recorded either")
        }
        return TrackerError(.notFound, "task \(id) is not recorded; plan \(plan.event.id) has "
            + (plan.taskCount == 0 ? "no tasks yet" : plan.taskCount == 1 ? "task #1 only" : "tasks #1–#\(plan.taskCount)"))
    }
}
