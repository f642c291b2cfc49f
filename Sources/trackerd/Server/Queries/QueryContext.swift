import Events
import Projections

/// What every answer of a query reads: the live ledger, the daemon's clock, the store, the limits.
struct QueryContext: Sendable {
    let live: LiveLedger
    let clock: Clock
    let log: DaemonLog
    let layout: StoreLayout
    let limits: Limits
    /// The letterheads of reports (`[report …]` in trackerd.conf).
    var reports = ReportSettings()

    /// The daemon's clock, as answers carry it.
    var clockReading: ClockReading { ClockReading(today: clock.today(), simulated: clock.isSimulated) }

    /// Resolves the scope of a query: `as_of` (default today) and `known_at`.
    func scope(_ parameters: QueryParameters, _ ledger: borrowing Ledger) -> QueryScope {
        let throughSeq = parameters.knownAt.map { ledger.lastSeq(recordedBy: $0) } ?? ledger.lastSeq
        return QueryScope(asOf: parameters.asOf ?? clock.today(), throughSeq: throughSeq)
    }

    /// The room an answer may take before its last record or row: `max_answer_bytes` less what
    /// follows the records or rows (head, clock, a cursor: under 1 KB).
    var answerBound: Int { limits.maxAnswerBytes - 1024 }
}
