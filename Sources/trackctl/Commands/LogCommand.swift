import Events
import Projections

/// `trackctl log`: the records, oldest first, newest last, as the auditor reads them.
enum LogCommand {
    static let spec = CommandSpec(["log"], summary: "Print the log's records, newest last: who recorded what, when, and the hash chain.",
        options: [.value("from", "SEQ", "Start at this sequence number (default: 1)."),
                  .value("tail", "N", "Only the last N records."),
                  .flag("json", "Print the records exactly as stored: one JSON object per line (NDJSON), ready for jq.")] + connectionOptions)

    static func run(_ args: ParsedArguments) throws(Failure) {
        let client = try connect(args)
        var from = try parseOption(args, "from") { (text) throws(TrackerError) -> Int64 in
            guard let value = Int64(text), value >= 1 else { throw TrackerError(.invalidArgument, "must be a sequence number from 1") }
            return value
        } ?? 1
        let tail = try parseOption(args, "tail") { (text) throws(TrackerError) -> Int64 in
            guard let value = Int64(text), value >= 1 else { throw TrackerError(.invalidArgument, "must be a count from 1") }
            return value
        }
        // Page after page: the daemon bounds each answer and says where the next one starts.
        let page: Int64 = 10_000
        var remaining = tail
        var first = true
        while true {
            let limit = min(page, remaining ?? page)
            let result = try request(client, .log) { w in
                if first, let tail { w.key("tail"); w.int(tail) } else { w.key("from"); w.int(from) }
                w.key("limit"); w.int(limit)
            }
            first = false
            guard case .array(let records)? = result["records"] else { throw Failure.failed("the daemon's answer has no records") }
            var last: Int64? = nil
            for case .object(let record) in records {
                if args.has("json") {
                    printJSON(record)
                } else {
                    Terminal.say(describe(record))
                }
                if case .int(let seq)? = record["seq"] { last = seq }
            }
            if let left = remaining { remaining = left - Int64(records.count) }
            guard (remaining ?? 1) > 0 else { break }
            // No `next`: the page reached the head it was read through (protocol 2 pages every answer).
            guard case .int(let next)? = result["next"] else { break }
            guard next > from || (last ?? 0) >= from else { throw Failure.failed("the daemon's log pages do not advance (next \(next) after \(from))") }
            from = next
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
