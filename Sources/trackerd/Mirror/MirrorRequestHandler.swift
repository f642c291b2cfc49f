import Events
import Projections

/// Answers requests on a national mirror's socket: the queries of a province's daemon over the
/// national ledger (`status`, with `--by province` and the ranking of provinces against the
/// national weighted rate, `--by agency` over namespaced ids; `tasks`, `overdue`, `plans`,
/// `alerts`, `report`), `hello` and `head`. It accepts no command: each is refused with `read_only`, and
/// appends nothing anywhere. `log`, `verify` and `backup` read a province's own files and are
/// asked of its daemon.
final class MirrorRequestHandler: RequestHandling {
    private let context: QueryContext
    private let consumer: MirrorConsumer
    private let status: StatusAnswer
    private let ledger: LedgerAnswers
    private let reports: ReportAnswers
    private let log: DaemonLog

    init(context: QueryContext, consumer: MirrorConsumer) {
        self.context = context
        self.consumer = consumer
        status = StatusAnswer(context: context)
        ledger = LedgerAnswers(context: context)
        reports = ReportAnswers(context: context, settings: context.reports)
        log = context.log
    }

    func handle(_ bytes: UnsafeRawBufferPointer, caller: Caller, inline: Bool, respond: @escaping @Sendable ([UInt8]) -> Void) -> RequestHandler.Reply {
        let request: Wire.Request
        do throws(TrackerError) { request = try Wire.Request.parse(bytes, maxDepth: context.limits.withLockedValue { $0.maxJSONDepth }) } catch {
            return .line(Wire.failure(id: .null, error))
        }
        do throws(TrackerError) {
            let operation = try WireOperation.named(request.op)
            guard let role = caller.role, operation.writes || role >= operation.role else {
                throw TrackerError(.forbidden, "\(request.op) needs the \(operation.role.name) role; \(caller.actor.name) (uid \(caller.actor.uid)) has \(caller.role.map { "the \($0.name) role" } ?? "no role") in this mirror's configuration")
            }
            if operation.writes || operation == .setClock {
                log.warning("refused \(request.op) from \(caller.actor) (pid \(caller.pid)): a mirror is read-only")
                throw TrackerError(.readOnly, "\(request.op) is refused: this trackerd is a national mirror (read-only); record it at the province's own trackerd")
            }
            switch operation {
            case .hello: return .line(hello(request))
            case .head:
                let answer = HeadAnswer(head: LogHead(context.live.head), clock: context.clockReading, storeID: context.storeID?.text)
                return .line(Wire.success(id: request.id) { w in answer.encode(to: &w) })
            case .status: return job(request) { [status] () throws(TrackerError) in try status.answer(request) }
            case .tasks: return job(request) { [ledger] () throws(TrackerError) in try ledger.tasks(request, overdue: false) }
            case .overdue: return job(request) { [ledger] () throws(TrackerError) in try ledger.tasks(request, overdue: true) }
            case .plans: return job(request) { [ledger] () throws(TrackerError) in try ledger.plans(request) }
            case .alerts: return job(request) { [ledger] () throws(TrackerError) in try ledger.alerts(request) }
            case .agencies: return job(request) { [ledger] () throws(TrackerError) in try ledger.agencies(request) }
            case .taskHistory: return job(request) { [ledger] () throws(TrackerError) in try ledger.history(request) }
            case .report: return job(request) { [reports] () throws(TrackerError) in try reports.answer(request, audit: false) }
            case .log, .verify, .backup, .followAlerts, .auditReport, .issuedReports:
                throw TrackerError(.invalidArgument, "\(request.op) reads a province's own log: ask that province's trackerd; a mirror serves the national figures (status, tasks, overdue, plans, alerts, report)")
            default:
                // Every other operation writes (refused above); a new query not listed here is
                // refused rather than answered from data a mirror may not have.
                throw TrackerError(.readOnly, "\(request.op) is refused: this trackerd is a national mirror (read-only)")
            }
        } catch {
            return .line(Wire.failure(id: request.id, error))
        }
    }

    private func job(_ request: Wire.Request, _ work: @escaping @Sendable () throws(TrackerError) -> [UInt8]) -> RequestHandler.Reply {
        .job(.light) {
            do throws(TrackerError) { return try work() } catch { return Wire.failure(id: request.id, error) }
        }
    }

    /// `hello`, with `"mirror":{"stream_seq","connected","last_error"?,"stores":[{store, province, seq, stopped?}]}`.
    private func hello(_ request: Wire.Request) -> [UInt8] {
        let answer = HelloAnswer(store: context.layout.directory, head: LogHead(context.live.head), clock: context.clockReading,
                                 storeID: context.storeID?.text, province: context.province.text)
        let state = consumer.status
        return Wire.success(id: request.id) { w in
            answer.encode(to: &w)
            w.key("mirror")
            w.beginObject()
            w.key("stream_seq"); w.int(Int64(state.streamSeq))
            w.key("connected"); w.bool(state.connected)
            if let error = state.lastError { w.key("last_error"); w.string(error) }
            w.key("stores")
            w.beginArray()
            for store in state.stores {
                w.beginObject()
                w.key("store"); w.string(store.store)
                w.key("province"); w.string(store.province)
                w.key("seq"); w.int(Int64(store.seq))
                if let stopped = store.stopped { w.key("stopped"); w.string(stopped) }
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
    }

    /// Nothing is left unfinished by a mirror's connections (no imports in pieces).
    func connectionClosed(_ connection: UInt64) {}

    func streamLine(id: JSONValue, _ alert: Ledger.RaisedAlert) -> [UInt8] {
        Wire.stream(id: id, "alert") { w in alert.encode(to: &w) }
    }
}
