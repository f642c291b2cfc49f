import Events
import Glibc
import Projections

/// `trackctl log`: the records, oldest first, newest last, as the auditor reads them; cut by
/// filters, and followed as they are recorded (`--follow`), for people and for other systems.
enum LogCommand {
    static let spec = CommandSpec(["log"], summary: "Print the log's records, newest last: who recorded what, when, and the hash chain; --follow streams new ones.",
        options: [.value("from", "SEQ", "Start at this sequence number (default: 1)."),
                  .value("tail", "N", "Only the last N records (with --follow: then every new one)."),
                  .value("task", "TASK", "Only records about this task (PLAN#N): added, allocated, paid, reversed, moved, alerted."),
                  .value("plan", "PLAN", "Only the plan's creation and records about its tasks."),
                  .value("agency", "AGENCY", "Only records of this agency: its registration, plans, tasks, decisions, payments, alerts."),
                  .value("decision", "QĐ", "Only records of this decision (allocation, payments under it, carry-over, lapse, alerts)."),
                  .value("ref", "REF", "Only the payment with this reference and its reversal (compared exactly)."),
                  .value("type", "TYPES", "Only these event types, separated by commas (disbursement.recorded, task.status_changed, …)."),
                  .value("actor", "USER", "Only records made by this user (a name, or a uid)."),
                  .value("since", "TIME", "Only records recorded at or after this time: 2026-12-01 (from the start of that day, Vietnam time), 2026-12-01T08:00, or UTC with Z."),
                  .value("until", "TIME", "Only records recorded at or before this time: 2026-12-01 (through the end of that day, Vietnam time), or a time."),
                  .flag("follow", "After the records, wait and print every new record as soon as it is durable, until interrupted; reconnects from the last record printed if the daemon drops or restarts."),
                  .flag("json", "Print the records exactly as stored: one JSON object per line (NDJSON), ready for jq."),
                  .flag("envelope", "Print each record in an envelope naming its store: {\"store\":…,\"seq\":…,\"record\":<the record as stored>}."),
                  .flag("keyed", "Print STORE<TAB>RECORD per line (the record as stored): the framing of kcat -P -K$'\\t', keyed by the store id.")]
            + connectionOptions)

    /// How a record is printed.
    enum Output {
        case text, json, envelope, keyed
    }

    static func run(_ args: ParsedArguments) throws(Failure) {
        var query = LogRequest()
        query.from = try parseOption(args, "from") { (text) throws(TrackerError) -> UInt64 in
            guard let value = UInt64(text), value >= 1, value <= UInt64(Int64.max) else { throw TrackerError(.invalidArgument, "must be a sequence number from 1") }
            return value
        } ?? 1
        query.tail = try parseOption(args, "tail") { (text) throws(TrackerError) -> UInt64 in
            guard let value = UInt64(text), value >= 1, value <= UInt64(Int64.max) else { throw TrackerError(.invalidArgument, "must be a count from 1") }
            return value
        }
        if query.tail != nil && args.value("from") != nil { throw Failure.usage("give --from or --tail, not both") }
        query.filter = try filter(args)
        let outputs = [("json", Output.json), ("envelope", .envelope), ("keyed", .keyed)].filter { args.has($0.0) }
        guard outputs.count <= 1 else { throw Failure.usage("give one of --json, --envelope and --keyed") }
        let output = outputs.first?.1 ?? .text
        let client = try connect(args)
        if args.has("follow") {
            try follow(client, query: query, output: output, args: args)
        } else {
            try printPages(client, query: query, output: output)
        }
    }

    /// The filters from the options, checked as the daemon checks them.
    static func filter(_ args: ParsedArguments) throws(Failure) -> LogFilter {
        var fields: [(key: String, value: JSONValue)] = []
        for name in LogFilter.fieldNames {
            if let text = args.value(name) { fields.append((name, .string(text))) }
        }
        do throws(TrackerError) { return try LogFilter(request: JSONObject(fields)) } catch {
            throw Failure.usage(error.message)
        }
    }

    /// Page after page: the daemon bounds each answer and says where the next one starts.
    private static func printPages(_ client: Client, query: LogRequest, output: Output) throws(Failure) {
        var query = query
        let page = 10_000
        var remaining = query.tail
        var storeID = client.hello?.storeID ?? ""
        if output == .envelope || output == .keyed, storeID.isEmpty {
            storeID = try storeIDFromHead(client)
        }
        while true {
            query.limit = remaining.map { Int(min(UInt64(page), $0)) } ?? page
            let answer: LogPage
            do throws(TrackerError) {
                answer = try client.call(.log, { w in query.encode(to: &w) }, result: LogPage.read)
            } catch {
                throw Failure(error)
            }
            for record in answer.records {
                try emit(record, store: storeID, output: output)
            }
            if let left = remaining {
                remaining = left - min(left, UInt64(answer.records.count))
                if remaining == 0 { break }
            }
            // No `next`: the page reached the head it was read through (protocol 2 pages every answer).
            guard let next = answer.next else { break }
            let from = query.tail == nil ? query.from : 0
            guard next > from else { throw Failure.failed("the daemon's log pages do not advance (next \(next) after \(from))") }
            query.tail = nil
            query.from = next
        }
    }

    /// `--follow`: the records from where the query starts, then every new one, until
    /// interrupted. When the connection ends (the daemon dropped a follower that read too
    /// slowly, or restarted), it connects again and asks from the seq after the last record it
    /// printed, so nothing is lost and nothing printed twice.
    private static func follow(_ client: Client, query: LogRequest, output: Output, args: ParsedArguments) throws(Failure) {
        var query = query
        query.follow = true
        var client: Client? = client
        var attempt = 0
        while true {
            if client == nil {
                do throws(Failure) { client = try connect(args) } catch {
                    attempt += 1
                    if attempt == 1 || attempt % 30 == 0 { Terminal.complain("trackctl: log --follow: \(message(error)); trying again") }
                    usleep(useconds_t(min(5_000_000, 200_000 * attempt)))
                    continue
                }
                Terminal.complain("trackctl: log --follow: connected again; continuing from seq \(query.from)")
            }
            guard let connected = client else { continue }
            do throws(TrackerError) {
                try stream(connected, query: &query, output: output)
            } catch where [.unavailable, .ioError].contains(error.code) {
                Terminal.complain("trackctl: log --follow: \(error.message); connecting again to continue from seq \(query.from)")
                client = nil
                attempt = 0
                usleep(200_000)
            } catch {
                throw Failure(error)
            }
        }
    }

    /// Reads one follow stream until the connection ends; `query` is moved past every record
    /// printed (and every record the filters passed over), so a new stream goes on from there.
    private static func stream(_ client: Client, query: inout LogRequest, output: Output) throws(TrackerError) {
        let response = try client.call(.log) { w in query.encode(to: &w) }
        if let error = response.error { throw error }
        guard let result = response.result else { throw TrackerError(.internal, "the daemon sent no result") }
        let store = (try? result.string("store_id")) ?? ""
        // From here the connection goes on from where the stream stands, not from a tail.
        query.tail = nil
        if case .int(let from)? = result["from"], from >= 1 { query.from = UInt64(from) }
        while true {
            let line = try client.readLine()
            let item: LogEnvelope.Item
            do throws(TrackerError) { item = try LogEnvelope.read(line) } catch {
                let answer = try Wire.Response.parse(line)
                if let error = answer.error { throw error }
                throw error
            }
            switch item {
            case .record(let envelope):
                guard envelope.seq == query.from || query.filter.isEmpty == false && envelope.seq > query.from else {
                    throw TrackerError(.corrupt, "the daemon sent record \(envelope.seq) where record \(query.from) was due")
                }
                do throws(Failure) { try emit(envelope.record, store: envelope.store.isEmpty ? store : envelope.store, output: output) } catch {
                    throw TrackerError(.ioError, message(error))
                }
                query.from = envelope.seq + 1
            case .next(let next):
                if next > query.from { query.from = next }
            }
        }
    }

    /// Prints one record (its bytes as stored) in the chosen form.
    private static func emit(_ record: [UInt8], store: String, output: Output) throws(Failure) {
        switch output {
        case .json:
            try writeLine(record)
        case .envelope:
            let seq = record.withUnsafeBytes { RecordCodec.leadingSeq($0) } ?? 0
            try writeLine(record.withUnsafeBytes { LogEnvelope.encoded(store: store, seq: seq, record: $0) })
        case .keyed:
            try writeLine(Array(store.utf8) + [0x09] + record)
        case .text:
            guard case .object(let object)? = try? JSONParser(maxDepth: 32).parse(record) else {
                throw Failure.failed("the daemon sent a record that is not a JSON object")
            }
            try writeLine(Array(describe(object).text.utf8))
        }
    }

    /// Writes a line to standard output at once (unbuffered), so a pipe gets each record as it
    /// comes; a closed pipe (the reader of `--follow` went away) ends trackctl.
    private static func writeLine(_ bytes: [UInt8]) throws(Failure) {
        var line = bytes
        line.append(0x0A)
        do throws(Errno) { try line.withBytes { (raw) throws(Errno) in try FileDescriptor(rawValue: 1).writeAll(raw) } } catch {
            throw Failure.failed("cannot write to standard output: \(error)")
        }
    }

    /// The store id from `head`, for a daemon whose hello did not carry it.
    private static func storeIDFromHead(_ client: Client) throws(Failure) -> String {
        let result = try request(client, .head)
        guard let id = try? result.string("store_id") else {
            throw Failure.failed("this trackerd does not name its store (no store_id in head): --envelope and --keyed need a trackerd with store ids")
        }
        return id
    }

    private static func message(_ failure: Failure) -> String {
        switch failure {
        case .usage(let text), .failed(let text): return text
        }
    }

    /// One page of a `log` answer: the records' bytes as sent (exactly as stored) and `next`.
    struct LogPage {
        var records: [[UInt8]] = []
        var next: UInt64?

        static func read(_ reader: inout JSONReader) throws(JSONParseError) -> LogPage {
            var page = LogPage()
            try reader.beginObject()
            while let key = try reader.nextKey() {
                if key.is("records") {
                    try reader.beginArray()
                    while try reader.nextElement() { page.records.append(Array(try reader.skip())) }
                } else if key.is("next") {
                    let next = try reader.int()
                    page.next = next >= 1 ? UInt64(next) : nil
                } else {
                    try reader.skip()
                }
            }
            return page
        }
    }

    /// One record in plain words, with its hash chain; every value from the record escaped.
    static func describe(_ record: JSONObject) -> TerminalText {
        let seq = (try? record.int("seq")) ?? 0
        let timeText = (try? record.string("time")) ?? "?"
        let time = Array(timeText.utf8).withUnsafeBytes { Timestamp.parseRecordTime($0) }
        let local = time.map { t -> String in
            let seconds = (t.microseconds / 1_000_000 + Int64(BusinessDate.vietnamOffset(at: t))) % 86400
            return "\(BusinessDate.vietnameseText(at: t)) \(String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60))"
        } ?? timeText
        let actor = (try? record.object("actor")).map { "\((try? $0.string("name")) ?? "?") (uid \((try? $0.int("uid")) ?? -1))" } ?? "?"
        let type = (try? record.string("type")) ?? "?"
        var summary: TerminalText = ""
        if let body = try? record.object("body"), let version = try? record.int("v"), let event = try? Event(type: type, version: Int(version), body: body) {
            summary = describe(event)
        }
        let hash = ((try? record.string("hash")) ?? "").prefix(16)
        let prev = ((try? record.string("prev")) ?? "").prefix(16)
        return "#\(seq)  \(local)  \(actor)  \(type)\n      \(summary)\n      hash \(hash)…  prev \(prev)…"
    }

    static func describe(_ event: Event) -> TerminalText {
        switch event {
        case .agencyRegistered(let e): return "agency \(e.id): \(e.name)\(e.province.map { " (province \($0))" } ?? "")"
        case .planCreated(let e): return "plan \(e.id) of \(e.agency), dated \(e.issued.vietnamese), \(e.period): \(e.title)" + note(e.note)
        case .taskAdded(let e):
            var text: TerminalText = "task \(e.id): \(e.name); \(e.period); source \(e.source.rawValue)"
            if let total = e.total { text += "; total \(total)" }
            if !e.yearly.isEmpty { text += "; \(e.yearly.map { "\($0.year): \($0.amount)" }.joined(separator: ", "))" }
            return text + note(e.note)
        case .fundsAllocated(let e):
            return "decision \(e.decision) signed \(e.signed.vietnamese), budget year \(e.fiscalYear), to \(e.agency): \(lines(e.lines))" + note(e.note)
        case .disbursementRecorded(let e):
            return "giải ngân \(e.amount) for \(e.task) under \(e.decision) on \(e.date.vietnamese), ref \(e.ref)" + note(e.note)
        case .disbursementReversed(let e):
            return "reversed \(e.ref): \(e.amount) back to \(e.task) under \(e.decision) on \(e.date.vietnamese); reason: \(e.reason)"
        case .taskStatusChanged(let e):
            return "task \(e.task): \(e.from.rawValue) → \(e.to.rawValue) on \(e.date.vietnamese)\(e.correction ? " (correction)" : ""); reason: \(e.reason)"
        case .fundsCarriedOver(let e):
            return "chuyển nguồn \(e.decision) signed \(e.signed.vietnamese): from \(e.from) into budget year \(e.fiscalYear): \(lines(e.lines))"
                + (e.ground.map { "; ground: \($0.rawValue) (\(e.law ?? "law not recorded"))" } ?? "")
                + (e.override.map { "; override by \($0.by) (uid \($0.uid)): \($0.text)" } ?? "") + note(e.note)
        case .fundsLapsed(let e):
            return "hủy dự toán under \(e.decision) on \(e.date.vietnamese): \(lines(e.lines)); reason: \(e.reason)"
        case .alertRaised(let e):
            return "alert \(e.sentence)"
        case .yearClosed(let e):
            return "budget year \(e.year) \(e.reopened ? "reopened" : "closed") by \(e.decision) on \(e.date.vietnamese)\(e.reason.map { "; reason: \($0)" } ?? "")"
        case .provinceSucceeded(let e):
            return "province \(e.from) merges into \(e.to) from \(e.effective.vietnamese) (\(e.decision))" + note(e.note)
        case .taskRevised(let e):
            let revised: TaskAdded = e.task
            let head: TerminalText = "revision \(e.reference) of \(revised.id) from \(e.date.vietnamese)\(e.cancelled ? " (cancels it)" : ""): "
            return head + describe(.taskAdded(revised)) + "; reason: \(e.reason)"
        case .agencySucceeded(let e):
            let parts: String = e.parts.map { "\($0.task.map(\.description) ?? $0.plan.text) → \($0.to)" }.joined(separator: ", ")
            let text: TerminalText = "succession: \(e.from) → \(e.to.map(\.text).joined(separator: ", ")) from \(e.effective.vietnamese) (\(e.decision))\(parts.isEmpty ? "" : "; " + parts)"
            return text + note(e.note)
        case .disbursementRefunded(let e):
            return "hoàn trả \(e.amount) from \(e.ref) (\(e.task) under \(e.decision)) on \(e.date.vietnamese)"
                + (e.returnedToBudget ? ", returned to the budget (nộp trả ngân sách)" : ", back to the line (giảm chi)") + "; reason: \(e.reason)"
        case .fundsAmended(let e):
            let changes: String = e.lines.map { "\($0.task) \($0.before) → \($0.after)" }.joined(separator: ", ")
            let late: String = e.late.map { "; after the deadline \($0.deadline.vietnamese), override: \($0.override)" } ?? ""
            let text: TerminalText = "điều chỉnh \(e.decision) signed \(e.signed.vietnamese), amending \(e.amends): \(changes); reason: \(e.reason)\(late)"
            return text + note(e.note)
        case .contractSigned(let e):
            var text: TerminalText = "contract for \(e.task) dated \(e.date.vietnamese)"
            if let contractor = e.contractor { text += " with \(contractor)" }
            if let value = e.value { text += ", value \(value)" }
            if let number = e.number { text += ", số \(number)" }
            if let procurement = e.procurement { text += " (\(procurement))" }
            return text + note(e.note)
        case .disbursementExpected(let e):
            let expected = e.amount.map(\.description) ?? Rate(milliPercent: e.rateMilli ?? 0).description
            return "dự kiến giải ngân \(expected) for \(e.task) under \(e.decision) by \(e.by.vietnamese), stated \(e.stated.vietnamese)" + note(e.note)
        case .reportIssued(let e):
            return "report \(e.kind) as of \(e.asOf.vietnamese) (records through seq \(e.throughSeq)) sent with \(e.letter): \(e.bytes) bytes, SHA-256 \(e.sha256)"
        }
    }

    private static func note(_ note: String?) -> TerminalText { note.map { "; note: \($0)" } ?? "" }

    private static func lines(_ lines: [AllocationLine]) -> String { lines.map { "\($0.task) \($0.amount)" }.joined(separator: ", ") }
}
