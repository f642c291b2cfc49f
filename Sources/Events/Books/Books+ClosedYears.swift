/// Closed budget years: once a year's settlement (quyết toán) is approved and the year is closed,
/// nothing that would change its figures is recorded until a recorded reopening.
extension Books {
    func decideClosing(_ e: YearClosed, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        if e.date > context.today {
            throw TrackerError(.invalidArgument, "the decision is dated \(e.date.vietnamese), after today (\(context.today.vietnamese))")
        }
        let current = closedYears[e.year]
        if let current, current.event == e { return .unchanged(seq: current.seq, what: "budget year \(e.year) is already \(e.reopened ? "reopened" : "closed") by \(e.decision)") }
        let closed = current.map { !$0.event.reopened } ?? false
        if e.reopened {
            guard closed else { throw TrackerError(.invalidArgument, "budget year \(e.year) is not closed; there is nothing to reopen") }
        } else {
            if closed { throw TrackerError(.conflict, "budget year \(e.year) is already closed (\(current!.event.decision), seq \(current!.seq))") }
            if let lapse = context.rules.lapseDate(of: e.year), e.date <= lapse {
                throw TrackerError(.invalidArgument, "budget year \(e.year) can be disbursed until \(lapse.vietnamese) (the adjustment period); its settlement is approved, and the year closed, after that")
            }
        }
        return .record([.yearClosed(e)])
    }

    /// Whether budget year `year` is closed (its last closing not followed by a reopening).
    public func isClosed(_ year: Int) -> Bool { closedYears[year].map { !$0.event.reopened } ?? false }

    /// Refuses events that would change the figures of a closed budget year, naming the year and
    /// the decision that closed it.
    func checkYearsOpen(for events: [Event]) throws(TrackerError) {
        guard !closedYears.isEmpty else { return }
        for event in events {
            for year in yearsChanged(by: event) where isClosed(year) {
                let closing = closedYears[year]!.event
                throw TrackerError(.invalidArgument, "budget year \(year) was closed by \(closing.decision) on \(closing.date.vietnamese) (its settlement approved); this would change its figures. Record the decision reopening it first (year close \(year) --reopen)")
            }
        }
    }

    /// The budget years whose figures `event` changes.
    private func yearsChanged(by event: Event) -> [Int] {
        switch event {
        case .fundsAllocated(let e): [e.fiscalYear]
        case .fundsAmended(let e): [e.fiscalYear]
        case .fundsCarriedOver(let e): [e.fiscalYear] + (decisions[e.from].map { [$0.fiscalYear] } ?? [])
        case .fundsLapsed(let e): decisions[e.decision].map { [$0.fiscalYear] } ?? []
        case .disbursementRecorded(let e): decisions[e.decision].map { [$0.fiscalYear] } ?? []
        case .disbursementReversed(let e): decisions[e.decision].map { [$0.fiscalYear] } ?? []
        case .disbursementRefunded(let e): decisions[e.decision].map { [$0.fiscalYear] } ?? []
        default: []
        }
    }
}
