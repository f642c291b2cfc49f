import Events
import Projections

/// Turns one request line into one response line: looks the operation up in `WireOperation`'s
/// table, checks the caller's role against it, and sends the request where the table says it is
/// answered. Shared by every connection; thread-safe.
///
/// Cheap requests are answered at once on the event loop. Commands go to the writer and are
/// answered when durable (through `respond`); queries are handed back to the loop as jobs for
/// a lane, which runs them when their turn comes and their connection has room for the answer.
final class RequestHandler: Sendable {
    private let log: DaemonLog
    /// Replaced when the configuration is reloaded (`reconfigure`).
    private let limitsBox: LockedBox<Limits>
    private var limits: Limits { limitsBox.withLockedValue { $0 } }
    private let context: QueryContext
    private let now: LoopAnswers
    private let status: StatusAnswer
    private let ledger: LedgerAnswers
    private let logPages: LogPageAnswer
    private let storeFiles: StoreFileAnswers
    /// Nil on a daemon that only reads (`--read-only`): every operation that writes is refused.
    private let commands: CommandResponder?
    private let reports: ReportAnswers

    /// A handler for the daemon's store; `writer` and `scheduler` are nil on a daemon that only
    /// reads it (`trackerd --read-only`), which refuses every operation that writes with `read_only`.
    init(live: LiveLedger, writer: Writer?, clock: Clock, log: DaemonLog, layout: StoreLayout, limits: Limits,
         hub: AlertHub, scheduler: AlertScheduler?, reports reportSettings: ReportSettings = ReportSettings(),
         storeID: StoreID?, province: ProvinceCode, streamStatus: @escaping @Sendable () -> StreamStatus? = { nil }) {
        let context = QueryContext(live: live, clock: clock, log: log, layout: layout, limits: limits, readOnly: writer == nil,
                                   storeID: storeID, province: province, streamStatus: streamStatus, reports: reportSettings)
        self.log = log
        limitsBox = context.limits
        self.context = context
        now = LoopAnswers(context: context, writer: writer, scheduler: scheduler)
        status = StatusAnswer(context: context)
        ledger = LedgerAnswers(context: context)
        logPages = LogPageAnswer(context: context)
        storeFiles = StoreFileAnswers(context: context)
        commands = writer.map { CommandResponder(writer: $0, live: live, layout: layout, log: log) }
        reports = ReportAnswers(context: context, settings: reportSettings)
    }

    /// What to do with a connection after answering.
    enum Reply {
        /// Send this line and read the next request.
        case line([UInt8])
        /// The answer comes later, through `respond`.
        case pending
        /// Run `job` on `lane` when the loop gives it a turn: it returns the answer, or nil when
        /// the answer comes later through `respond`.
        case job(QueryLane, @Sendable () -> [UInt8]?)
        /// Send this line, then stream alerts until the client leaves.
        case follow([UInt8], id: JSONValue, filter: AlertFilter)
        /// Send this line, then the log's records from where the follower stands, and every new
        /// one once durable, until the client leaves (`EventLoop` asks for each chunk).
        case followLog([UInt8], LogStreamer)
    }

    /// Answers one request line, now or later through `respond` (which may be called on any thread).
    /// `inline`: a command may be made durable on this thread when the writer is idle
    /// (`Writer.submit(…, inline:)`); `respond` is then called before this returns.
    func handle(_ bytes: UnsafeRawBufferPointer, caller: Caller, inline: Bool = false, respond: @escaping @Sendable ([UInt8]) -> Void) -> Reply {
        var parsed: Wire.Request
        do throws(TrackerError) { parsed = try Wire.Request.parse(bytes, maxDepth: limits.maxJSONDepth) } catch {
            return .line(Wire.failure(id: .null, error))
        }
        do throws(TrackerError) {
            if let scope = caller.scope, let operation = WireOperation(rawValue: parsed.op), (caller.role ?? .viewer) >= operation.role {
                try limit(&parsed, operation, to: scope, caller: caller)
            }
        } catch {
            return .line(Wire.failure(id: parsed.id, error))
        }
        let request = parsed
        do throws(TrackerError) {
            let operation = try WireOperation.named(request.op)
            if commands == nil && operation.writes { throw readOnlyRefusal(operation) }
            try authorize(operation, request, caller: caller)
            if operation == .log, case .bool(true)? = request.fields["follow"] {
                // A follow is answered on the loop, then streams (the table's `log` row: a page
                // is a job of the heavy lane; a follow reads its chunks on the follow threads).
                let (follower, query) = try logPages.follower(request, store: context.storeID)
                let head = LogHead(context.live.head)
                let answer = Wire.success(id: request.id) { w in
                    w.key("following"); w.bool(true)
                    if let id = context.storeID { w.key("store_id"); w.string(id.text) }
                    w.key("province"); w.string(context.province.text)
                    w.key("from"); w.int(Int64(follower.next))
                    head.encode(to: &w)
                }
                log.info("\(caller.actor) follows the log from seq \(follower.next)\(query.filter.isEmpty ? "" : " (filtered)")")
                return .followLog(answer, follower)
            }
            switch operation.queue {
            case .loop:
                guard let line = try answer(operation, request, caller: caller, respond: respond) else { return .pending }
                return .line(line)
            case .writer:
                guard let command = try Command(operation: operation, request: request.fields) else {
                    throw TrackerError(.internal, "operation \(operation.name) is answered by the writer but is not a command")
                }
                commands?.submit(command, request, caller: caller, inline: inline, respond: respond)
                return .pending
            case .lightLane, .heavyLane:
                return .job(QueryLane(operation.queue)!) { [self] in
                    do throws(TrackerError) { return try answer(operation, request, caller: caller, respond: respond) } catch {
                        return Wire.failure(id: request.id, error)
                    }
                }
            case .follow:
                let filter = try AlertFilter(request: request.fields)
                let clock = context.clockReading
                return .follow(Wire.success(id: request.id) { w in
                    w.key("following"); w.bool(true)
                    clock.encode(to: &w)
                }, id: request.id, filter: filter)
            }
        } catch {
            return .line(Wire.failure(id: request.id, error))
        }
    }

    /// The refusal of an operation that writes, by a daemon that only reads its store.
    private func readOnlyRefusal(_ operation: WireOperation) -> TrackerError {
        TrackerError(.readOnly, "\(operation.name) is refused: this trackerd only reads the store \(context.layout.directory) (started with --read-only) and records nothing; send it to the daemon that writes the store")
    }

    /// Refuses a caller whose role is below what the operation needs (an import: the highest
    /// role of its commands), and logs the refusal.
    private func authorize(_ operation: WireOperation, _ request: Wire.Request, caller: Caller) throws(TrackerError) {
        var needed = operation.role
        if operation == .importCommands, case .array(let commands)? = request.fields["commands"] {
            needed = WireOperation.role(ofImport: commands.compactMap { command in
                guard case .object(let object) = command, case .string(let op)? = object["op"] else { return nil }
                return WireOperation(rawValue: op)
            })
        }
        guard let role = caller.role, role >= needed else {
            log.warning("refused \(request.op) from \(caller.actor) (pid \(caller.pid)): needs role \(needed.name), has \(caller.role?.name ?? "none")")
            throw TrackerError(.forbidden, "\(request.op) needs the \(needed.name) role; \(caller.actor.name) (uid \(caller.actor.uid)) has \(caller.role.map { "the \($0.name) role" } ?? "no role") in this daemon's configuration")
        }
    }

    /// Limits a query of a caller whose role is for some agencies to those agencies: a query names
    /// one of them as its `agency` (the only one, when the caller has one, is filled in); the raw
    /// records (`log`, `verify`, `backup`) carry every agency's data and are refused. Commands are
    /// checked by the writer, against what each names (`Books.outsideScope`).
    private func limit(_ request: inout Wire.Request, _ operation: WireOperation, to scope: AgencyScope, caller: Caller) throws(TrackerError) {
        let who = "\(caller.actor.name) (uid \(caller.actor.uid)) has the \(caller.role?.name ?? "no") role for \(scope) only"
        switch operation {
        case .log, .verify, .backup, .auditReport, .issuedReports, .taskHistory:
            log.warning("refused \(request.op) from \(caller.actor) (pid \(caller.pid)): its role is for \(scope) only")
            throw TrackerError(.forbidden, "\(request.op) reads the raw records, which carry every agency's data, and needs a role for every agency; \(who)")
        case .issueReport:
            let parameters = try request.fields.optionalObject("parameters") ?? JSONObject()
            guard let text = try parameters.optionalString("agency"), scope.contains(try AgencyID(text)) else {
                throw TrackerError(.forbidden, "report.issue of a report that is not one of its agencies' is refused: \(who)")
            }
        case .status, .tasks, .overdue, .plans, .alerts, .followAlerts, .report:
            if let text = try request.fields.optionalString("agency") {
                let agency = try AgencyID(text)
                guard scope.contains(agency) else {
                    log.warning("refused \(request.op) of agency \(agency) from \(caller.actor) (pid \(caller.pid)): its role is for \(scope) only")
                    throw TrackerError(.forbidden, "\(request.op) of agency \(agency) is refused: \(who)")
                }
            } else if scope.agencies.count == 1 {
                request.fields["agency"] = .string(scope.agencies[0].description)
            } else {
                throw TrackerError(.forbidden, "\(who): name one of them as the agency (--agency \(scope.agencies[0]))")
            }
        case .hello, .head, .agencies, .setClock, .registerAgency, .createPlan, .addTask, .allocate, .disburse, .reverse, .changeStatus,
             .carryOver, .lapse, .importCommands, .recordContract, .recordExpectation, .refund, .amend, .succeedAgency,
             .succeedProvince, .reviseTask, .closeYear:
            break
        }
    }

    /// The answer to an operation answered on the loop or a lane; nil when it comes later
    /// through `respond` (an import).
    private func answer(_ operation: WireOperation, _ request: Wire.Request, caller: Caller,
                        respond: @escaping @Sendable ([UInt8]) -> Void) throws(TrackerError) -> [UInt8]? {
        switch operation {
        case .hello: return now.hello(request)
        case .head: return now.head(request)
        case .setClock: return try now.setClock(request, caller: caller)
        case .status: return try status.answer(request)
        case .tasks: return try ledger.tasks(request, overdue: false)
        case .overdue: return try ledger.tasks(request, overdue: true)
        case .plans: return try ledger.plans(request)
        case .agencies: return try ledger.agencies(request)
        case .taskHistory: return try ledger.history(request)
        case .alerts: return try ledger.alerts(request)
        case .log: return try logPages.answer(request)
        case .verify: return try storeFiles.verify(request)
        case .backup: return try storeFiles.backup(request, caller: caller)
        case .report: return try reports.answer(request, audit: false)
        case .auditReport: return try reports.answer(request, audit: true)
        case .issuedReports: return try reports.issued(request)
        case .importCommands:
            guard let commands else { throw readOnlyRefusal(operation) }
            commands.importBatch(request, caller: caller, respond: respond)
            return nil
        case .registerAgency, .succeedAgency, .succeedProvince, .createPlan, .addTask, .reviseTask, .allocate, .disburse, .reverse, .refund,
             .changeStatus, .carryOver, .lapse, .closeYear, .amend, .followAlerts, .recordContract, .recordExpectation, .issueReport:
            throw TrackerError(.internal, "operation \(operation.name) is answered by the \(operation.queue.rawValue), not here")
        }
    }

    /// Takes reloaded limits (SIGHUP) for the requests that come next.
    func reconfigure(limits: Limits) { limitsBox.withLockedValue { $0 = limits } }

    /// Forgets what a closed connection left unfinished (an import sent in pieces).
    func connectionClosed(_ connection: UInt64) { commands?.connectionClosed(connection) }

    /// A line streamed to a follower.
    func streamLine(id: JSONValue, _ alert: Ledger.RaisedAlert) -> [UInt8] {
        Wire.stream(id: id, "alert") { w in alert.encode(to: &w) }
    }
}
