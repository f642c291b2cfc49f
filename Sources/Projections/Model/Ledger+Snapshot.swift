import Events

/// The ledger in a snapshot: written by `encode`, read back by `init(snapshot:)`.
extension Ledger {
    /// Appends the ledger to a snapshot.
    public func encode(to w: inout BinaryWriter) {
        w.u64(lastSeq)
        w.string(lastHash.hex)
        w.count(agencyOrder.count)
        for id in agencyOrder {
            let agency = agencies[id]!
            w.event(.agencyRegistered(agency.event))
            w.u64(agency.seq)
            w.count(agency.plans.count)
            for plan in agency.plans { w.string(plan.text) }
        }
        w.count(plans.count)
        for plan in plans.values {
            w.event(.planCreated(plan.event))
            w.u64(plan.seq)
            w.count(plan.tasks.count)
            for task in plan.tasks { w.string(task.description) }
        }
        w.count(tasks.count)
        for task in tasks.values {
            w.event(.taskAdded(task.event))
            w.u64(task.seq)
            w.string(task.agency.text)
            w.count(task.history.count)
            for entry in task.history {
                w.string(entry.status.rawValue)
                w.date(entry.date)
                w.u64(entry.seq)
                w.string(entry.reason)
            }
            w.count(task.lines.count)
            for line in task.lines { w.i32(line) }
            w.count(task.revisions.count)
            for revision in task.revisions {
                w.event(.taskRevised(revision.event))
                w.u64(revision.seq)
            }
        }
        w.count(decisions.count)
        for (decision, entry) in decisions {
            w.string(decision.text)
            w.date(entry.signed)
            w.int(entry.fiscalYear)
            w.string(entry.agency.text)
            w.u64(entry.seq)
        }
        w.count(lines.count)
        for line in lines {
            w.string(line.decision.text)
            w.string(line.task.description)
            w.string(line.agency.text)
            w.string(line.source.rawValue)
            w.int(line.fiscalYear)
            w.date(line.signed)
            w.money(line.allocated)
            w.money(line.initial)
            w.u64(line.seq)
            w.optionalString(line.carriedFrom?.text)
            w.money(line.disbursed)
            w.money(line.carriedOut)
            w.money(line.lapsed)
            w.money(line.returned)
            w.optionalDate(line.latestDate)
            w.count(line.entries.count)
            for entry in line.entries {
                w.date(entry.date)
                w.u8(entry.kind.rawValue)
                w.i64(entry.amount)
                w.u64(entry.seq)
            }
        }
        w.count(alerts.count)
        for raised in alerts {
            w.event(.alertRaised(raised.alert))
            w.u64(raised.seq)
            w.i64(raised.time.microseconds)
        }
        w.count(recordTimes.count)
        for run in recordTimes {
            w.u64(run.seq)
            w.i64(run.time)
        }
        reporting.encode(to: &w)
        lineage.encode(to: &w)
    }

    /// Reads a ledger written by `encode`; throws `corrupt` on anything malformed.
    public init(snapshot r: inout BinaryReader) throws(TrackerError) {
        self.init()
        func malformed(_ what: String) -> TrackerError { TrackerError(.corrupt, "the snapshot has a malformed \(what)") }
        lastSeq = try r.u64()
        // Not kept in snapshots: as if everything planned changed at the last record.
        plansSeq = lastSeq
        guard let hash = SHA256Digest(hex: try r.string()) else { throw malformed("head hash") }
        lastHash = hash
        for _ in 0..<(try r.count()) {
            guard case .agencyRegistered(let e) = try r.event() else { throw malformed("agency") }
            var agency = Agency(event: e, seq: try r.u64(), plans: [])
            for _ in 0..<(try r.count()) { agency.plans.append(try r.plan()) }
            agencies[e.id] = agency
            agencyOrder.append(e.id)
        }
        for _ in 0..<(try r.count()) {
            guard case .planCreated(let e) = try r.event() else { throw malformed("plan") }
            var plan = Plan(event: e, seq: try r.u64(), tasks: [])
            for _ in 0..<(try r.count()) { plan.tasks.append(try r.task()) }
            plans[e.id] = plan
        }
        for _ in 0..<(try r.count()) {
            guard case .taskAdded(let e) = try r.event() else { throw malformed("task") }
            var task = Task(event: e, seq: try r.u64(), agency: try r.agency(), history: [], lines: [])
            for _ in 0..<(try r.count()) {
                guard let status = TaskStatus(rawValue: try r.string()) else { throw malformed("task status") }
                task.history.append(StatusEntry(status: status, date: try r.date(), seq: try r.u64(), reason: try r.string()))
            }
            guard !task.history.isEmpty else { throw malformed("task history") }
            for _ in 0..<(try r.count()) { task.lines.append(try r.i32()) }
            for _ in 0..<(try r.count()) {
                guard case .taskRevised(let revision) = try r.event() else { throw malformed("task revision") }
                task.revisions.append(Revision(event: revision, seq: try r.u64()))
                revisions += 1
            }
            tasks[e.id] = task
        }
        for _ in 0..<(try r.count()) {
            decisions[try r.decision()] = (try r.date(), try r.int(), try r.agency(), try r.u64())
        }
        let lineCount = try r.count()
        guard lineCount <= Int(Int32.max) else { throw malformed("line count") }
        // A line takes at least 63 bytes (four counted strings, amounts, a seq, dates, flags, a count).
        lines.reserveCapacity(r.capacity(lineCount, bytesEach: 63))
        for index in 0..<lineCount {
            let decision = try r.decision()
            let task = try r.task()
            let agency = try r.agency()
            guard let source = FundingSource(rawValue: try r.string()) else { throw malformed("funding source") }
            let fiscalYear = try r.int()
            let signed = try r.date()
            let allocated = try r.money()
            let initial = try r.money()
            let seq = try r.u64()
            let carriedFrom = try r.optionalString().map { DecisionRef(trusted: $0) }
            var line = Line(decision: decision, task: task, agency: agency, plan: task.plan, source: source, fiscalYear: fiscalYear,
                            signed: signed, allocated: allocated, initial: initial, seq: seq, carriedFrom: carriedFrom, entries: [],
                            disbursed: try r.money(), carriedOut: try r.money(), lapsed: try r.money(), returned: try r.money(),
                            latestDate: try r.optionalDate(),
                            names: LineNames(decision: decision, task: task, taskName: tasks[task]?.event.name, agency: agency,
                                             carriedFrom: carriedFrom))
            let entryCount = try r.count()
            // An entry takes 21 bytes: a date, a kind, an amount, a seq.
            line.entries.reserveCapacity(r.capacity(entryCount, bytesEach: 21))
            for _ in 0..<entryCount {
                let date = try r.date()
                guard let kind = Entry.Kind(rawValue: try r.u8()) else { throw malformed("line entry") }
                line.entries.append(Entry(date: date, kind: kind, amount: try r.i64(), seq: try r.u64()))
            }
            lines.append(line)
            lineIndex[Books.LineKey(decision: decision, task: task)] = Int32(index)
        }
        for _ in 0..<(try r.count()) {
            guard case .alertRaised(let alert) = try r.event() else { throw malformed("alert") }
            alerts.append(RaisedAlert(alert: alert, seq: try r.u64(), time: Timestamp(microseconds: try r.i64())))
            alertKeys.insert(alert.key)
        }
        let runs = try r.count()
        recordTimes.reserveCapacity(r.capacity(runs, bytesEach: 16))
        for _ in 0..<runs { recordTimes.append((try r.u64(), try r.i64())) }
        reporting = try LedgerReporting(snapshot: &r)
        lineage = try Lineage(snapshot: &r)
        for (decision, _) in decisions.sorted(by: { $0.value.seq < $1.value.seq }) { decisionNumbers.add(decision) }
        for (plan, _) in plans.sorted(by: { $0.value.seq < $1.value.seq }) { planNumbers.add(plan) }
        // Every index into `lines` must name a line: a malformed one would trap on first use.
        let valid = 0..<Int32(lines.count)
        for task in tasks.values where !task.lines.allSatisfy(valid.contains) { throw malformed("task's line index") }
    }
}
