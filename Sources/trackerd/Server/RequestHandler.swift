import Dispatch
import Events
import Projections

/// Who is asking: from the socket's peer credentials.
struct Caller: Sendable {
    var actor: Actor
    var gid: UInt32
    var pid: Int32
    var role: Role?
}

/// Which threads answer a query: the event loop runs each lane's jobs in turn between
/// connections, a fixed number at once (`EventLoop.schedule`).
enum QueryLane: Int, CaseIterable {
    /// Queries over the live ledger (`status`, `tasks`, `overdue`, `plans`, `alerts`) and the
    /// decoding of an import: they never wait behind a heavy one.
    case light
    /// Queries that read the log's files (`verify`, `log`, `backup`): seconds on a large store.
    case heavy

    static func of(_ op: String) -> QueryLane {
        switch op {
        case "verify", "log", "backup": .heavy
        default: .light
        }
    }
}

/// Turns one request line into one response line. Shared by every connection; thread-safe.
///
/// Cheap requests are answered at once on the event loop. Commands go to the writer and are
/// answered when durable (through `respond`); queries are handed back to the loop as jobs for
/// a lane, which runs them when their turn comes and their connection has room for the answer.
final class RequestHandler: @unchecked Sendable {
    /// Where the recorded note of a retried payment is read from the log, off the writer's thread
    /// (rare: only a retry whose note differs).
    private let noteReader = DispatchQueue(label: "trackerd.retried-notes")
    /// Encoded line rows of earlier status answers (see `status`).
    private let lineRows = LockedBox<[Int: LineRow]>([:])
    private struct LineRow {
        var version: Int
        var asOf: BusinessDate
        var bytes: [UInt8]
    }
    /// Lines whose rows are kept (about 400 bytes each); past this the cache starts over.
    private static let lineRowLimit = 200_000
    let live: LiveLedger
    let writer: Writer
    let clock: Clock
    let log: DaemonLog
    let layout: StoreLayout
    let limits: Limits
    let hub: AlertHub
    let scheduler: AlertScheduler

    init(live: LiveLedger, writer: Writer, clock: Clock, log: DaemonLog, layout: StoreLayout, limits: Limits,
         hub: AlertHub, scheduler: AlertScheduler) {
        self.live = live
        self.writer = writer
        self.clock = clock
        self.log = log
        self.layout = layout
        self.limits = limits
        self.hub = hub
        self.scheduler = scheduler
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
    }

    /// Answers one request line, now or later through `respond` (which may be called on any thread).
    func handle(_ bytes: UnsafeRawBufferPointer, caller: Caller, respond: @escaping @Sendable ([UInt8]) -> Void) -> Reply {
        let request: Wire.Request
        do throws(TrackerError) { request = try Wire.Request.parse(bytes, maxDepth: limits.maxJSONDepth) } catch {
            return .line(Wire.failure(id: .null, error))
        }
        do throws(TrackerError) {
            guard Wire.operations.contains(request.op) else {
                throw TrackerError(.unknownOperation, "unknown operation '\(request.op)'; operations are: \(Wire.operations.sorted().joined(separator: ", "))")
            }
            let needed = requiredRole(request)
            guard let role = caller.role, role >= needed else {
                log.warning("refused \(request.op) from \(caller.actor) (pid \(caller.pid)): needs role \(needed.name), has \(caller.role?.name ?? "none")")
                throw TrackerError(.forbidden, "\(request.op) needs the \(needed.name) role; \(caller.actor.name) (uid \(caller.actor.uid)) has \(caller.role.map { "the \($0.name) role" } ?? "no role") in this daemon's configuration")
            }
            if request.op == "alerts.follow" {
                let filter = try AlertFilter(request: request.fields)
                return .follow(Wire.success(id: request.id) { w in
                    w.key("following"); w.bool(true)
                    writeClock(&w)
                }, id: request.id, filter: filter)
            }
            switch request.op {
            case "hello", "head", "clock.set":
                return .line(try answer(request, caller: caller))
            case "import":
                return .job(.light) { [self] in
                    importBatch(request, caller: caller, respond: respond)
                    return nil
                }
            case let op where Command.operations.contains(op):
                let command = try Command(request: request.fields)
                writer.submit([command], actor: caller.actor) { result in
                    switch result {
                    case .failure(let error, _): respond(Wire.failure(id: request.id, error))
                    case .success(let results):
                        guard results[0].noteNotRecorded != nil else {
                            return respond(Wire.success(id: request.id) { w in self.encode(results[0], to: &w) })
                        }
                        // The recorded note is in the log: read it off the writer's thread.
                        self.noteReader.async {
                            let notes = self.recordedNotes(of: results)
                            respond(Wire.success(id: request.id) { w in self.encode(results[0], recordedNote: notes[0], to: &w) })
                        }
                    }
                }
                return .pending
            default:
                return .job(QueryLane.of(request.op)) { [self] in
                    do throws(TrackerError) { return try answer(request, caller: caller) } catch {
                        return Wire.failure(id: request.id, error)
                    }
                }
            }
        } catch {
            return .line(Wire.failure(id: request.id, error))
        }
    }

    private func requiredRole(_ request: Wire.Request) -> Role {
        guard request.op == "import", case .array(let commands)? = request.fields["commands"] else { return Role.required(for: request.op) }
        // An import needs the highest role any of its commands needs.
        var role = Role.viewer
        for case .object(let command) in commands {
            if case .string(let op)? = command["op"] { role = max(role, Role.required(for: op)) }
        }
        return role
    }

    private func answer(_ request: Wire.Request, caller: Caller) throws(TrackerError) -> [UInt8] {
        switch request.op {
        case "hello": return hello(request)
        case "head": return head(request)
        case "status": return try status(request)
        case "tasks", "overdue": return try tasks(request)
        case "plans": return try plans(request)
        case "log": return try logRecords(request)
        case "verify": return try verify(request)
        case "alerts": return try alertList(request)
        case "backup": return try backup(request, caller: caller)
        case "clock.set": return try setClock(request, caller: caller)
        default: throw TrackerError(.internal, "operation \(request.op) reached the wrong handler")
        }
    }

    // MARK: Queries

    private func writeClock(_ w: inout JSONWriter) {
        w.key("today"); w.string(clock.today().description)
        w.key("simulated"); w.bool(clock.isSimulated)
    }

    private func writeHead(_ w: inout JSONWriter, _ position: LogPosition) {
        w.key("head")
        w.beginObject()
        w.key("seq"); w.int(Int64(position.seq))
        w.key("hash"); w.string(position.hash.hex)
        w.endObject()
    }

    private func hello(_ request: Wire.Request) -> [UInt8] {
        let head = live.head
        return Wire.success(id: request.id) { w in
            w.key("server"); w.string("trackerd")
            w.key("protocol"); w.int(Wire.protocolVersion)
            w.key("store"); w.string(layout.directory)
            writeHead(&w, head)
            writeClock(&w)
            if let reason = writer.suspendedReason { w.key("writes_suspended"); w.string(reason) }
        }
    }

    private func head(_ request: Wire.Request) -> [UInt8] {
        let head = live.head
        return Wire.success(id: request.id) { w in
            writeHead(&w, head)
            writeClock(&w)
        }
    }

    /// Resolves the scope of a query: `as_of` (default today) and `known_at`.
    private func scope(_ parameters: QueryParameters, _ ledger: borrowing Ledger) -> QueryScope {
        let throughSeq = parameters.knownAt.map { ledger.lastSeq(recordedBy: $0) } ?? ledger.lastSeq
        return QueryScope(asOf: parameters.asOf ?? clock.today(), throughSeq: throughSeq)
    }

    private func status(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        let parameters = try QueryParameters(request: request.fields, allowed: ["as_of", "known_at", "agency", "plan", "year", "by", "page"], op: "status")
        let page = try request.fields.optionalObject("page").map { (object) throws(TrackerError) in try StatusPage(object: object) }
        if let page, let asOf = parameters.asOf, asOf != page.asOf {
            throw TrackerError(.invalidArgument, "this page continues a status as of \(page.asOf), not \(asOf); send the first page's as_of or none")
        }
        // The report is taken under the read lock; it is encoded after, so the writer is not kept
        // waiting while a large answer is written. A later page counts what the first one did.
        let (report, query, position) = try live.read { (ledger, position) throws(TrackerError) -> (StatusReport, StatusQuery, LogPosition) in
            var scope = scope(parameters, ledger)
            if let page {
                scope.asOf = page.asOf
                scope.throughSeq = min(scope.throughSeq, page.throughSeq)
            }
            scope.throughSeq = min(scope.throughSeq, ledger.lastSeq)
            let query = StatusQuery(scope: scope, agency: parameters.agency, plan: parameters.plan,
                                    year: parameters.year, grouping: parameters.grouping ?? .line)
            // A later page is a slice of the report its first page was cut from, when that is
            // the last one paged: the same query, pinned to the same records, gives the same rows.
            if page != nil, let kept = pagedReport.withLockedValue({ $0 }), kept.query == query { return (kept.report, query, position) }
            return (try ledger.status(query), query, position)
        }
        // A line row is fixed by the line, its movement count and the query date: rows of lines
        // that did not move since an earlier answer are copied from it.
        let known = lineRows.withLockedValue { $0 }
        var fresh: [Int: LineRow] = [:]
        defer {
            if !fresh.isEmpty {
                lineRows.withLockedValue { rows in
                    if rows.count > Self.lineRowLimit { rows.removeAll() }
                    rows.merge(fresh) { _, new in new }
                }
            }
        }
        // A page stops before the row that would take it past the answer bound; the rest of the
        // answer (head, clock, the cursor) is under 1 KB.
        let bound = limits.maxAnswerBytes - 1024
        return Wire.success(id: request.id, capacity: min(bound, 1024 + 480 * (report.rows.count + report.carriedRows.count)) + 1024) { w in
            let next = report.encode(to: &w, from: page?.row ?? 0, maxBytes: bound) { row in
                guard let index = row.lineIndex, let version = row.lineVersion else { return nil }
                if let cached = known[index], cached.version == version, cached.asOf == report.asOf { return cached.bytes }
                let bytes = row.encoded
                fresh[index] = LineRow(version: version, asOf: report.asOf, bytes: bytes)
                return bytes
            }
            writeHead(&w, position)
            writeClock(&w)
            if let next {
                w.key("next")
                StatusPage(row: next, throughSeq: report.throughSeq, asOf: report.asOf).encode(to: &w)
            }
            keepPaged(next == nil ? nil : report, query: query)
        }
    }

    /// The last status report that needed more than one page, with the query (pinned to its
    /// records) it answers: one report, replaced by the next paged one and dropped when its last
    /// page is served.
    private let pagedReport = LockedBox<(query: StatusQuery, report: StatusReport)?>(nil)

    private func keepPaged(_ report: StatusReport?, query: StatusQuery) {
        pagedReport.withLockedValue { kept in
            if let report { kept = (query, report) } else if kept?.query == query { kept = nil }
        }
    }

    private func tasks(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        let parameters = try QueryParameters(request: request.fields, allowed: ["as_of", "known_at", "agency", "plan", "search"], op: request.op)
        return try live.read { (ledger, position) throws(TrackerError) -> [UInt8] in
            let query = TaskQuery(scope: scope(parameters, ledger), agency: parameters.agency, plan: parameters.plan, search: parameters.search)
            let report = request.op == "overdue" ? try ledger.overdue(query) : try ledger.tasks(query)
            return Wire.success(id: request.id) { w in
                report.encode(to: &w)
                writeHead(&w, position)
                writeClock(&w)
            }
        }
    }

    private func plans(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        let parameters = try QueryParameters(request: request.fields, allowed: ["as_of", "known_at", "agency", "search"], op: "plans")
        return try live.read { (ledger, position) throws(TrackerError) -> [UInt8] in
            let list = try ledger.plans(scope: scope(parameters, ledger), agency: parameters.agency, search: parameters.search)
            return Wire.success(id: request.id) { w in
                w.key("plans")
                w.beginArray()
                for plan in list { plan.encode(to: &w) }
                w.endArray()
                writeHead(&w, position)
                writeClock(&w)
            }
        }
    }

    /// A page of the log: records from `from` (or the last `tail`), at most `limit` of them and at
    /// most `max_answer_bytes` of answer (at least one record); `next` says where the next page
    /// starts when records are left before the head the page was read through.
    private func logRecords(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        try request.fields.rejectUnknownKeys(["from", "limit", "tail"], envelope: true, in: "log request")
        let head = live.head
        let limit = Int(try request.fields.optionalInt("limit") ?? 1000)
        guard (1...100_000).contains(limit) else { throw TrackerError(.invalidArgument, "'limit' must be 1–100000, got \(limit)") }
        var from = UInt64(max(1, try request.fields.optionalInt("from") ?? 1))
        if let tail = try request.fields.optionalInt("tail") {
            guard tail >= 1 else { throw TrackerError(.invalidArgument, "'tail' must be at least 1") }
            from = head.seq >= UInt64(tail) ? head.seq - UInt64(tail) + 1 : 1
        }
        // The records are written straight into the answer, which stops before the record that
        // would take it past the bound (what follows `records` is under 1 KB).
        let bound = limits.maxAnswerBytes - 1024
        var count = 0
        var last: UInt64 = 0
        return try Wire.success(id: request.id, capacity: min(bound, 1024 + limit * 400) + 1024) { (w) throws(TrackerError) in
            w.key("records")
            w.beginArray()
            if head.seq >= from {
                var start = logResumePoints.withLockedValue { $0[from] }
                var end: (segment: UInt64, offset: Int64)? = nil
                while true {
                    var misplaced = false
                    try LogReader(directory: layout.directory).forEachLine(from: from, through: head, startingAt: start) { (line) throws(TrackerError) -> Bool in
                        // A resume point is the daemon's own note of where a page ended; the
                        // first line must be the record it names, or the page is read by a scan.
                        if count == 0 && start != nil && line.seq != from {
                            misplaced = true
                            return false
                        }
                        if count > 0 && w.bytes.count + line.bytes.count > bound { return false }
                        w.raw(UnsafeRawBufferPointer(line.bytes))
                        count += 1
                        last = line.seq
                        end = (line.segment.firstSeq, line.offset + Int64(line.bytes.count) + 1)
                        return count < limit
                    }
                    guard misplaced else { break }
                    start = nil
                }
                if let end, last < head.seq {
                    rememberResumePoint(LogPosition(seq: last + 1, hash: .zero, segment: end.segment, offset: end.offset))
                }
            }
            w.endArray()
            w.key("count"); w.int(count)
            writeHead(&w, head)
            if count > 0 && last < head.seq { w.key("next"); w.int(Int64(last + 1)) }
        }
    }

    /// Where recent log pages ended: the next record's seq → the segment and offset just past the
    /// page's last record, so the next page starts there instead of scanning its segment from the
    /// top. A small cache (the bytes below a committed head never change), started over when full.
    private let logResumePoints = LockedBox<[UInt64: LogPosition]>([:])
    private static let logResumePointLimit = 256

    private func rememberResumePoint(_ point: LogPosition) {
        logResumePoints.withLockedValue { points in
            if points.count >= Self.logResumePointLimit { points.removeAll() }
            points[point.seq] = point
        }
    }

    private func verify(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        try request.fields.rejectUnknownKeys(["against"], envelope: true, in: "verify request")
        var anchor: ChainAnchor? = nil
        if let against = try request.fields.optionalObject("against") {
            guard let hash = SHA256Digest(hex: try against.string("hash")) else {
                throw TrackerError(.invalidArgument, "'against.hash' must be 64 hex characters")
            }
            let seq = try against.optionalInt("seq")
            if let seq, seq < 0 { throw TrackerError(.invalidArgument, "'against.seq' must not be negative") }
            anchor = ChainAnchor(seq: seq.map { UInt64($0) }, hash: hash)
        }
        let head = live.head
        let started = Timestamp.systemNow()
        let report = LogVerifier.verify(directory: layout.directory, through: head, against: anchor)
        let seconds = Double(Timestamp.systemNow().microseconds - started.microseconds) / 1e6
        if let problem = report.problem { log.error("verify: \(problem.message)") }
        return Wire.success(id: request.id) { w in
            report.encode(seconds: seconds, to: &w)
        }
    }

    private func backup(_ request: Wire.Request, caller: Caller) throws(TrackerError) -> [UInt8] {
        try request.fields.rejectUnknownKeys(["directory"], envelope: true, in: "backup request")
        let directory = try request.fields.string("directory")
        guard directory.hasPrefix("/") else { throw TrackerError(.invalidArgument, "the backup directory must be an absolute path") }
        let head = live.head
        let started = Timestamp.systemNow()
        let report = try LogBackup.copy(from: layout, through: head, to: directory, recordedAt: started)
        let seconds = Double(Timestamp.systemNow().microseconds - started.microseconds) / 1e6
        log.info("backup by \(caller.actor) to \(directory): \(report.segments) segment(s), \(report.bytes) bytes, through \(head)")
        return Wire.success(id: request.id) { w in
            w.key("directory"); w.string(directory)
            w.key("segments"); w.int(report.segments)
            w.key("bytes"); w.int(report.bytes)
            writeHead(&w, head)
            w.key("seconds"); w.number(String(format: "%.3f", seconds))
        }
    }

    private func alertList(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        let parameters = try QueryParameters(request: request.fields, allowed: ["as_of", "known_at", "year", "agency"], op: "alerts")
        return live.read { (ledger, position) in
            let alerts = ledger.alerts(scope: scope(parameters, ledger), year: parameters.year, agency: parameters.agency)
            return Wire.success(id: request.id) { w in
                w.key("alerts")
                w.beginArray()
                for alert in alerts { alert.encode(to: &w) }
                w.endArray()
                writeHead(&w, position)
                writeClock(&w)
            }
        }
    }

    /// A line streamed to a follower.
    func streamLine(id: JSONValue, _ alert: Ledger.RaisedAlert) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.beginObject()
        w.key("id"); w.value(id)
        w.key("stream"); w.string("alert")
        w.key("alert")
        alert.encode(to: &w)
        w.endObject()
        w.bytes.append(0x0A)
        return w.bytes
    }

    private func setClock(_ request: Wire.Request, caller: Caller) throws(TrackerError) -> [UInt8] {
        try request.fields.rejectUnknownKeys(["now"], envelope: true, in: "clock.set request")
        let text = try request.fields.string("now")
        let time = try Timestamp.parse(text)
        guard clock.isSimulated else {
            throw TrackerError(.invalidArgument, "the clock is real; only a daemon started with --now has a clock that can be set")
        }
        try Clock.check(time, what: "clock.set \(text)")
        guard clock.set(time) else {
            throw TrackerError(.invalidArgument, "the clock is real; only a daemon started with --now has a clock that can be set")
        }
        log.info("simulated clock set to \(time) (business today \(clock.today().vietnamese)) by \(caller.actor)")
        scheduler.wake()
        return Wire.success(id: request.id) { w in writeClock(&w) }
    }

    // MARK: Commands

    /// An import: decoded here (it may be large), then one all-or-nothing submission.
    private func importBatch(_ request: Wire.Request, caller: Caller, respond: @escaping @Sendable ([UInt8]) -> Void) {
        let commands: [Command]
        do throws(TrackerError) { commands = try decodeImport(request) } catch {
            respond(Wire.failure(id: request.id, error))
            return
        }
        writer.submit(commands, actor: caller.actor) { [log] result in
            switch result {
            case .failure(let error, let index):
                guard let index else { return respond(Wire.failure(id: request.id, error)) }
                var details = error.details ?? JSONObject()
                details["index"] = .int(Int64(index))
                respond(Wire.failure(id: request.id, TrackerError(error.code,
                    "command \(index + 1) (\(commands[index].operation)): \(error.message); nothing was imported", details: details)))
            case .success(let results):
                let recorded = results.filter(\.recorded)
                if !recorded.isEmpty {
                    log.info("import by \(caller.actor): \(recorded.count) of \(results.count) commands recorded (seq \(recorded.first!.seqs.lowerBound)–\(recorded.last!.seqs.upperBound))")
                }
                let notes = self.recordedNotes(of: results)
                respond(Wire.success(id: request.id) { w in
                    w.key("commands"); w.int(results.count)
                    w.key("recorded"); w.int(recorded.count)
                    w.key("unchanged"); w.int(results.count - recorded.count)
                    if let first = recorded.first, let last = recorded.last {
                        w.key("first_seq"); w.int(Int64(first.seqs.lowerBound))
                        w.key("last_seq"); w.int(Int64(last.seqs.upperBound))
                    }
                    // Retried payments whose note differs: each named, with both notes.
                    if !notes.isEmpty {
                        w.key("notes_not_recorded")
                        w.beginArray()
                        for index in notes.keys.sorted() {
                            guard let note = results[index].noteNotRecorded, case .disburse(let command) = commands[index] else { continue }
                            w.beginObject()
                            w.key("index"); w.int(index)
                            w.key("ref"); w.string(command.ref.text)
                            w.key("seq"); w.int(Int64(results[index].seqs.lowerBound))
                            self.encodeNotes(recorded: notes[index]!, given: note.given, to: &w)
                            w.endObject()
                        }
                        w.endArray()
                    }
                })
            }
        }
    }

    private func decodeImport(_ request: Wire.Request) throws(TrackerError) -> [Command] {
        try request.fields.rejectUnknownKeys(["commands"], envelope: true, in: "import request")
        var commands: [Command] = []
        for (index, value) in try request.fields.array("commands").enumerated() {
            guard case .object(let object) = value else {
                throw TrackerError(.badRequest, "command \(index + 1) is not an object", details: JSONObject([("index", .int(Int64(index)))]))
            }
            do throws(TrackerError) { commands.append(try Command(request: object)) } catch {
                throw TrackerError(error.code, "command \(index + 1): \(error.message)", details: JSONObject([("index", .int(Int64(index)))]))
            }
        }
        guard !commands.isEmpty else { throw TrackerError(.invalidArgument, "the import has no commands") }
        return commands
    }

    /// The recorded notes of the retries in `results` whose note differs, by index (nil: the
    /// payment was recorded without one), read from the log in one pass. A failed read leaves
    /// them out (the answer still says the note was not recorded) and is logged.
    private func recordedNotes(of results: [CommandResult]) -> [Int: String?] {
        let wanted = results.indices.filter { results[$0].noteNotRecorded != nil }
        guard !wanted.isEmpty else { return [:] }
        let records: [UInt64: Record]
        do throws(TrackerError) {
            records = try LogReader(directory: layout.directory).records(at: Set(wanted.map { results[$0].seqs.lowerBound }), through: live.head)
        } catch {
            log.warning("could not read the recorded notes of retried payments: \(error.message)")
            return [:]
        }
        var notes: [Int: String?] = [:]
        for index in wanted {
            if case .disbursementRecorded(let e)? = records[results[index].seqs.lowerBound]?.event { notes[index] = .some(e.note) }
        }
        return notes
    }

    /// `"note_not_recorded"`-style fields: the recorded note and the one given (null for none).
    private func encodeNotes(recorded: String?, given: String?, to w: inout JSONWriter) {
        w.key("recorded_note")
        if let recorded { w.string(recorded) } else { w.null() }
        w.key("given_note")
        if let given { w.string(given) } else { w.null() }
    }

    /// "first payment" in quotes, or "none".
    private static func quoted(_ note: String?) -> String { note.map { "\"\($0)\"" } ?? "none" }

    /// A command's result; for a retry whose note differs, the message names both notes (the
    /// recorded one when it could be read) and `note_not_recorded` has them.
    private func encode(_ result: CommandResult, recordedNote: String?? = nil, to w: inout JSONWriter) {
        w.key("recorded"); w.bool(result.recorded)
        w.key("seq"); w.int(Int64(result.seqs.lowerBound))
        w.key("last_seq"); w.int(Int64(result.seqs.upperBound))
        w.key("events")
        w.beginArray()
        for type in result.types { w.string(type) }
        w.endArray()
        guard let note = result.noteNotRecorded else {
            w.key("message"); w.string(result.message)
            return encodeLine(result, to: &w)
        }
        let named = recordedNote.map { ": recorded \(Self.quoted($0)), this request \(Self.quoted(note.given))" }
            ?? " (this request: \(Self.quoted(note.given)))"
        w.key("message"); w.string(result.message + named)
        w.key("note_not_recorded")
        w.beginObject()
        encodeNotes(recorded: recordedNote ?? nil, given: note.given, to: &w)
        w.endObject()
        encodeLine(result, to: &w)
    }

    private func encodeLine(_ result: CommandResult, to w: inout JSONWriter) {
        if let line = result.line {
            w.key("line")
            w.beginObject()
            w.key("decision"); w.string(line.decision.text)
            w.key("task"); w.string(line.task.description)
            w.key("year"); w.int(line.fiscalYear)
            w.key("allocated"); w.int(line.allocated.dong)
            w.key("disbursed"); w.int(line.disbursed.dong)
            w.key("remaining"); w.int(line.remaining.dong)
            w.key("rate_allocated")
            if let rate = Rate(line.disbursed, of: line.allocated) { w.number(rate.jsonNumber) } else { w.null() }
            w.endObject()
        }
    }
}
