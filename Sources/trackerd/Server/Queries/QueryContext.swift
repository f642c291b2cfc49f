import Events
import Projections

/// What every answer of a query reads: the live ledger, the daemon's clock, the store, the limits.
struct QueryContext: Sendable {
    let live: LiveLedger
    let clock: Clock
    let log: DaemonLog
    let layout: StoreLayout
    /// The limits, replaced when the configuration is reloaded.
    let limits: LockedBox<Limits>
    /// Whether the daemon only reads its store (`--read-only`): every answer says so.
    let readOnly: Bool
    /// The store's id (`hello`, `head`, the follow stream's envelope); nil for a store read
    /// read-only that has none (made before ids, never started since).
    let storeID: StoreID?
    /// The store's province (`[store] province`).
    let province: ProvinceCode
    /// Where publishing to JetStream stands, when `[stream]` is configured (`hello` shows it).
    let streamStatus: @Sendable () -> StreamStatus?
    /// The letterheads of reports (`[report …]` in trackerd.conf).
    var reports = ReportSettings()

    /// The daemon's clock, as answers carry it (with `read_only` on a daemon that only reads).
    var clockReading: ClockReading { ClockReading(today: clock.today(), simulated: clock.isSimulated, readOnly: readOnly) }

    init(live: LiveLedger, clock: Clock, log: DaemonLog, layout: StoreLayout, limits: Limits, readOnly: Bool,
         storeID: StoreID?, province: ProvinceCode, streamStatus: @escaping @Sendable () -> StreamStatus? = { nil },
         reports: ReportSettings = ReportSettings()) {
        self.storeID = storeID
        self.province = province
        self.streamStatus = streamStatus
        self.live = live
        self.clock = clock
        self.log = log
        self.layout = layout
        self.limits = LockedBox(limits)
        self.readOnly = readOnly
        self.reports = reports
    }

    /// Resolves the scope of a query: `as_of` (default today) and `known_at`.
    func scope(_ parameters: QueryParameters, _ ledger: borrowing Ledger) -> QueryScope {
        let throughSeq = parameters.knownAt.map { ledger.lastSeq(recordedBy: $0) } ?? ledger.lastSeq
        return QueryScope(asOf: parameters.asOf ?? clock.today(), throughSeq: throughSeq)
    }

    /// The room an answer may take before its last record or row: `max_answer_bytes` less what
    /// follows the records or rows (head, clock, a cursor: under 1 KB).
    var answerBound: Int { maxAnswerBytes - 1024 }

    /// `max_answer_bytes`, as the configuration in force sets it.
    var maxAnswerBytes: Int { limits.withLockedValue { $0.maxAnswerBytes } }
}
