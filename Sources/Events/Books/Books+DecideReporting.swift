/// The rules for the facts reports show: contracts, expected disbursements, reports issued.
extension Books {
    /// A new fact, or `unchanged` when the same one is recorded, or a conflict naming both.
    private func recordOnce(_ event: Event, what: String) throws(TrackerError) -> CommandOutcome {
        if let existing = reporting.recorded(like: event) {
            guard Self.withoutNote(existing.event) == Self.withoutNote(event) else {
                throw TrackerError(.conflict, "\(what) is already recorded differently (seq \(existing.seq)); record a correction as a new fact with another date")
            }
            if existing.event != event {
                return .unchanged(seq: existing.seq, what: "\(what) is already recorded; the note of this request differs from the recorded one and was not recorded")
            }
            return .unchanged(seq: existing.seq, what: "\(what) is already recorded")
        }
        return .record([event])
    }

    /// The fact without its free remarks: a retry that differs only in its note is the same fact.
    private static func withoutNote(_ event: Event) -> Event {
        switch event {
        case .contractSigned(var e): e.note = nil; return .contractSigned(e)
        case .disbursementExpected(var e): e.note = nil; return .disbursementExpected(e)
        default: return event
        }
    }

    func decideContract(_ c: RecordContract, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        var contract = c.contract
        guard let task = tasks[contract.task] else { throw TrackerError(.notFound, "task \(contract.task) is not recorded") }
        contract.task = task.event.id
        if contract.date > context.today {
            throw TrackerError(.invalidArgument, "the contract date \(contract.date.vietnamese) is after today (\(context.today.vietnamese))")
        }
        if let value = contract.value, value.dong <= 0 {
            throw TrackerError(.invalidArgument, "a contract's value must be more than 0 đ")
        }
        for (name, text) in [("contractor", contract.contractor), ("number", contract.number), ("procurement", contract.procurement)] {
            if let text, text.count > 500 { throw TrackerError(.invalidArgument, "the contract's \(name) is longer than 500 characters") }
        }
        return try recordOnce(.contractSigned(contract), what: "the contract of \(task.event.id) dated \(contract.date.vietnamese)"
                              + (contract.contractor.map { " with \($0)" } ?? ""))
    }

    func decideExpectation(_ c: RecordExpectation, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        guard let task = tasks[c.task] else { throw TrackerError(.notFound, "task \(c.task) is not recorded") }
        let line: LineEntry
        if let decision = c.decision {
            guard let index = lineIndex[LineKey(decision: decision, task: c.task)] else {
                throw TrackerError(.notFound, "task \(task.event.id) has no allocation under \(decision)")
            }
            line = lines[Int(index)]
        } else {
            switch task.lines.count {
            case 0: throw TrackerError(.notFound, "task \(task.event.id) has no allocation yet; an expected disbursement belongs to an allocation line")
            case 1: line = lines[Int(task.lines[0])]
            default:
                let funded = task.lines.map { lines[Int($0)].decision.text }
                throw TrackerError(.invalidArgument, "task \(task.event.id) is funded by \(funded.count) decisions (\(funded.joined(separator: ", "))); say which with --decision")
            }
        }
        guard (c.amount == nil) != (c.rateMilli == nil) else {
            throw TrackerError(.invalidArgument, "give the expected disbursement as an amount or as a rate, not both")
        }
        if let amount = c.amount {
            guard amount.dong > 0 else { throw TrackerError(.invalidArgument, "an expected disbursement must be more than 0 đ") }
            guard amount <= line.allocated else {
                throw TrackerError(.invalidArgument, "the expected disbursement \(amount) is more than the \(line.allocated) allocated to \(line.task) under \(line.decision)")
            }
        }
        if let rate = c.rateMilli, !(1...100_000).contains(rate) {
            throw TrackerError(.invalidArgument, "an expected rate is more than 0% and at most 100%")
        }
        if c.stated > context.today {
            throw TrackerError(.invalidArgument, "the statement date \(c.stated.vietnamese) is after today (\(context.today.vietnamese))")
        }
        if c.by < c.stated {
            throw TrackerError(.invalidArgument, "an expectation stated on \(c.stated.vietnamese) is for a later date, not \(c.by.vietnamese)")
        }
        let event = DisbursementExpected(task: line.task, decision: line.decision, by: c.by, amount: c.amount, rateMilli: c.rateMilli,
                                         stated: c.stated, note: c.note)
        return try recordOnce(.disbursementExpected(event),
                              what: "the expectation for \(line.task) under \(line.decision) by \(c.by.vietnamese) stated \(c.stated.vietnamese)")
    }

    func decideIssueReport(_ c: IssueReport, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        guard c.report.throughSeq <= lastSeq else {
            throw TrackerError(.invalidArgument, "the report counts records through seq \(c.report.throughSeq), but the log holds \(lastSeq)")
        }
        if c.report.asOf > context.today.adding(days: 366) ?? .last {
            throw TrackerError(.invalidArgument, "a report as of \(c.report.asOf.vietnamese) is more than a year after today")
        }
        return try recordOnce(.reportIssued(c.report), what: "report \(c.report.kind) with \(c.report.letter) (SHA-256 \(c.report.sha256.prefix(16))…)")
    }
}
