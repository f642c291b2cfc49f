/// The books in a snapshot: written by `encode`, read back by `init(snapshot:)`.
extension Books {
    /// Appends the books to a snapshot.
    public func encode(to w: inout BinaryWriter) {
        w.u64(lastSeq)
        w.money(plannedSum)
        w.money(allocatedSum)
        w.count(agencies.count)
        for entry in agencies.values {
            w.event(.agencyRegistered(entry.event))
            w.u64(entry.seq)
        }
        w.count(plans.count)
        for entry in plans.values {
            w.event(.planCreated(entry.event))
            w.u64(entry.seq)
            w.int(entry.taskCount)
        }
        w.count(tasks.count)
        for entry in tasks.values {
            w.event(.taskAdded(entry.event))
            w.u64(entry.seq)
            w.string(entry.agency.text)
            w.date(entry.planned)
            w.count(entry.changes.count)
            for change in entry.changes {
                w.event(.taskStatusChanged(change.event))
                w.u64(change.seq)
            }
            w.count(entry.lines.count)
            for line in entry.lines { w.i32(line) }
            w.count(entry.revisions.count)
            for revision in entry.revisions {
                w.event(.taskRevised(revision.event))
                w.u64(revision.seq)
                w.event(.taskAdded(revision.before))
            }
        }
        w.count(decisions.count)
        for entry in decisions.values {
            w.event(entry.event)
            w.u64(entry.seq)
            w.u64(entry.lapsedSeq)
        }
        w.count(lines.count)
        for line in lines {
            w.string(line.decision.text)
            w.string(line.task.description)
            w.string(line.agency.text)
            w.int(line.fiscalYear)
            w.date(line.signed)
            w.money(line.allocated)
            w.money(line.disbursed)
            w.money(line.carriedOut)
            w.money(line.lapsed)
            w.optionalString(line.carriedFrom?.text)
            w.money(line.returned)
        }
        w.count(payments.count)
        for (key, payment) in payments {
            w.string(key)
            w.i32(payment.line)
            w.date(payment.date)
            w.money(payment.amount)
            w.u64(payment.seq)
            w.u64(payment.reversedSeq)
        }
        w.count(alerts.count)
        for (key, seq) in alerts {
            w.string(key.decision.text)
            w.string(key.task.description)
            w.date(key.checkpointDate)
            w.u64(seq)
        }
        w.count(paymentNotes.count)
        for (key, fingerprint) in paymentNotes {
            w.string(key)
            w.u64(fingerprint)
        }
        w.count(reporting.facts.count)
        for fact in reporting.facts.values.sorted(by: { $0.seq < $1.seq }) {
            w.event(fact.event)
            w.u64(fact.seq)
        }
        w.count(refunds.count)
        for (key, entries) in refunds {
            w.string(key)
            w.count(entries.count)
            for entry in entries {
                w.date(entry.date)
                w.money(entry.amount)
                w.u8(entry.returnedToBudget ? 1 : 0)
                w.u64(entry.seq)
            }
        }
        w.count(amendments.count)
        for entry in amendments.values {
            w.event(.fundsAmended(entry.event))
            w.u64(entry.seq)
        }
        lineage.encode(to: &w)
        let closings = closedYears.values.sorted { $0.seq < $1.seq }
        w.count(closings.count)
        for closing in closings {
            w.event(.yearClosed(closing.event))
            w.u64(closing.seq)
        }
    }

    /// Reads books written by `encode`; throws `corrupt` on anything malformed.
    public init(snapshot r: inout BinaryReader) throws(TrackerError) {
        self.init()
        lastSeq = try r.u64()
        plannedSum = try r.money()
        allocatedSum = try r.money()
        for _ in 0..<(try r.count()) {
            guard case .agencyRegistered(let e) = try r.event() else { throw Self.malformed("agency") }
            agencies[e.id] = AgencyEntry(event: e, seq: try r.u64())
        }
        for _ in 0..<(try r.count()) {
            guard case .planCreated(let e) = try r.event() else { throw Self.malformed("plan") }
            plans[e.id] = PlanEntry(event: e, seq: try r.u64(), taskCount: try r.int())
        }
        for _ in 0..<(try r.count()) {
            guard case .taskAdded(let e) = try r.event() else { throw Self.malformed("task") }
            var entry = TaskEntry(event: e, seq: try r.u64(), agency: try r.agency(), planned: try r.date(), changes: [], lines: [])
            for _ in 0..<(try r.count()) {
                guard case .taskStatusChanged(let change) = try r.event() else { throw Self.malformed("status change") }
                entry.changes.append((change, try r.u64()))
            }
            for _ in 0..<(try r.count()) { entry.lines.append(try r.i32()) }
            for _ in 0..<(try r.count()) {
                guard case .taskRevised(let revision) = try r.event() else { throw Self.malformed("task revision") }
                let seq = try r.u64()
                guard case .taskAdded(let before) = try r.event() else { throw Self.malformed("task revision") }
                entry.revisions.append((revision, seq, before))
            }
            tasks[e.id] = entry
        }
        for _ in 0..<(try r.count()) {
            let event = try r.event()
            let seq = try r.u64()
            let lapsedSeq = try r.u64()
            switch event {
            case .fundsAllocated(let e):
                decisions[e.decision] = DecisionEntry(event: event, decision: e.decision, seq: seq, fiscalYear: e.fiscalYear, agency: e.agency,
                                                      signed: e.signed, lines: [], lapsedSeq: lapsedSeq)
            case .fundsCarriedOver(let e):
                decisions[e.decision] = DecisionEntry(event: event, decision: e.decision, seq: seq, fiscalYear: e.fiscalYear, agency: e.agency,
                                                      signed: e.signed, lines: [], lapsedSeq: lapsedSeq)
            default:
                throw Self.malformed("decision")
            }
        }
        let lineCount = try r.count()
        guard lineCount <= Int(Int32.max) else { throw Self.malformed("line count") }
        // A line takes at least 49 bytes (three counted strings, four amounts, a year, a date, a flag).
        lines.reserveCapacity(r.capacity(lineCount, bytesEach: 49))
        for index in 0..<lineCount {
            var line = LineEntry(decision: try r.decision(), task: try r.task(), agency: try r.agency(), fiscalYear: try r.int(),
                                 signed: try r.date(), allocated: try r.money(), disbursed: try r.money(), carriedOut: try r.money(),
                                 lapsed: try r.money(), carriedFrom: try r.optionalString().map { DecisionRef(trusted: $0) })
            line.returned = try r.money()
            lines.append(line)
            lineIndex[LineKey(decision: line.decision, task: line.task)] = Int32(index)
            decisions[line.decision]?.lines.append(Int32(index))
        }
        let paymentCount = try r.count()
        // A payment takes at least 36 bytes (a counted key, a line, a date, an amount, two seqs).
        payments.reserveCapacity(r.capacity(paymentCount, bytesEach: 36))
        for _ in 0..<paymentCount {
            // The key's bytes go into the index as they are: no String is made for each.
            let key = try r.stringBytes()
            payments[utf8: key] = PaymentEntry(line: try r.i32(), date: try r.date(), amount: try r.money(), seq: try r.u64(), reversedSeq: try r.u64())
        }
        for _ in 0..<(try r.count()) {
            let key = AlertRaised.Key(decision: try r.decision(), task: try r.task(), checkpointDate: try r.date())
            alerts[key] = try r.u64()
        }
        let noteCount = try r.count()
        paymentNotes.reserveCapacity(noteCount)
        for _ in 0..<noteCount {
            let key = try r.string()
            paymentNotes[key] = try r.u64()
        }
        for _ in 0..<(try r.count()) {
            let event = try r.event()
            guard reporting.apply(event, seq: try r.u64()) != nil else { throw Self.malformed("contract, expectation or report issued") }
        }
        for _ in 0..<(try r.count()) {
            let key = try r.string()
            var entries: [RefundEntry] = []
            for _ in 0..<(try r.count()) {
                entries.append(RefundEntry(date: try r.date(), amount: try r.money(), returnedToBudget: try r.u8() != 0, seq: try r.u64()))
            }
            refunds[key] = entries
        }
        for _ in 0..<(try r.count()) {
            guard case .fundsAmended(let e) = try r.event() else { throw Self.malformed("amendment") }
            amendments[e.decision] = AmendmentEntry(event: e, seq: try r.u64())
        }
        lineage = try Lineage(snapshot: &r)
        for _ in 0..<(try r.count()) {
            guard case .yearClosed(let e) = try r.event() else { throw Self.malformed("closed year") }
            closedYears[e.year] = (e, try r.u64())
        }
        restoreSums()
        for entry in decisions.values.sorted(by: { $0.seq < $1.seq }) { decisionNumbers.add(entry.decision) }
        for entry in plans.values.sorted(by: { $0.seq < $1.seq }) { planNumbers.add(entry.event.id) }
        // Every index into `lines` must name a line: a malformed one would trap on first use.
        let valid = 0..<Int32(lines.count)
        for entry in tasks.values where !entry.lines.allSatisfy(valid.contains) { throw Self.malformed("task's line index") }
        for entry in payments.values where !valid.contains(entry.line) { throw Self.malformed("payment's line index") }
    }

    private static func malformed(_ what: String) -> TrackerError {
        TrackerError(.corrupt, "the snapshot has a malformed \(what)")
    }
}
