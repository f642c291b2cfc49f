import Events

/// One dated fact of a task's history, as `trackctl tasks --history TASK` lists it.
public struct TaskHistoryEntry: Sendable, Equatable {
    /// The business date it took effect.
    public var date: BusinessDate
    /// The record.
    public var seq: UInt64
    /// `added`, `revised`, `status`, `allocated`, `amended`, `disbursed`, `carried-out`, `lapsed`, `returned`.
    public var kind: String
    /// What happened, in words.
    public var text: String

    public init(date: BusinessDate, seq: UInt64, kind: String, text: String) {
        self.date = date
        self.seq = seq
        self.kind = kind
        self.text = text
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("date"); w.date(date)
        w.key("seq"); w.int(Int64(seq))
        w.key("kind"); w.string(kind)
        w.key("text"); w.string(text)
        w.endObject()
    }

    public init(json: JSONObject) throws(TrackerError) {
        self.init(date: try json.date("date"), seq: UInt64(clamping: try json.int("seq")), kind: try json.string("kind"), text: try json.string("text"))
    }
}

extension Ledger {
    /// A task's history known in scope (every date: what was recorded about it, with the date it
    /// took effect), in date order: how it was added and revised, its status changes, and the money
    /// of its lines.
    public func history(of id: TaskID, in scope: QueryScope) throws(TrackerError) -> [TaskHistoryEntry] {
        guard let task = tasks[id], task.seq <= scope.throughSeq, let plan = plans[id.plan] else { throw TrackerError(.notFound, "task \(id) is not recorded") }
        var entries = [TaskHistoryEntry(date: plan.event.issued, seq: task.seq, kind: "added", text: "in plan \(plan.event.id): " + Self.summary(task.event))]
        var before = task.event
        for revision in task.revisions where revision.seq <= scope.throughSeq {
            let changes = Self.changes(from: before, to: revision.event.task)
            entries.append(TaskHistoryEntry(date: revision.event.date, seq: revision.seq, kind: "revised",
                text: "plan revision \(revision.event.reference): " + (changes.isEmpty ? "no figure changed" : changes.joined(separator: "; "))
                    + (revision.event.cancelled ? "; cancels the task" : "") + " (\(revision.event.reason))"))
            before = revision.event.task
        }
        for change in task.history.dropFirst() where change.seq <= scope.throughSeq {
            entries.append(TaskHistoryEntry(date: change.date, seq: change.seq, kind: "status", text: "\(change.status.rawValue): \(change.reason)"))
        }
        for index in task.lines {
            let line = lines[Int(index)]
            guard line.seq <= scope.throughSeq else { continue }
            entries.append(TaskHistoryEntry(date: line.signed, seq: line.seq, kind: "allocated",
                                            text: "\(line.carriedFrom.map { "carried over from \($0) by " } ?? "")\(line.decision): \(line.initial)"))
            for entry in line.entries where entry.seq <= scope.throughSeq {
                let amount = Money(dong: entry.amount)
                let (kind, text): (String, String)
                switch entry.kind {
                case .disbursement: (kind, text) = entry.amount >= 0 ? ("disbursed", "\(amount) under \(line.decision)") : ("disbursed", "\(Money(dong: -entry.amount)) taken back (reversal or refund) under \(line.decision)")
                case .carriedOut: (kind, text) = ("carried-out", "\(amount) carried over to the next year from \(line.decision)")
                case .lapsed: (kind, text) = ("lapsed", "\(amount) lapsed under \(line.decision)")
                case .returned: (kind, text) = ("returned", "\(amount) returned to the budget under \(line.decision)")
                case .amended: (kind, text) = ("amended", "allocation under \(line.decision) changed by \(entry.amount >= 0 ? "+" : "−")\(Money(dong: entry.amount.magnitude > UInt64(Int64.max) ? .max : Int64(entry.amount.magnitude)))")
                }
                entries.append(TaskHistoryEntry(date: entry.date, seq: entry.seq, kind: kind, text: text))
            }
        }
        return entries.sorted { ($0.date, $0.seq) < ($1.date, $1.seq) }
    }

    private static func summary(_ task: TaskAdded) -> String {
        var parts = ["\"\(task.name)\"", "period \(task.period)", "source \(task.source.rawValue)"]
        if let total = task.total { parts.append("total \(total)") }
        if !task.yearly.isEmpty { parts.append(task.yearly.map { "\($0.year): \($0.amount)" }.joined(separator: ", ")) }
        if let due = task.due { parts.append("due \(due.vietnamese)") }
        return parts.joined(separator: ", ")
    }

    private static func changes(from a: TaskAdded, to b: TaskAdded) -> [String] {
        var changes: [String] = []
        if a.name != b.name { changes.append("name \"\(a.name)\" → \"\(b.name)\"") }
        if a.objective != b.objective { changes.append("objective → \"\(b.objective ?? "")\"") }
        if a.period != b.period { changes.append("period \(a.period) → \(b.period)") }
        if a.total != b.total { changes.append("total \(a.total.map(\.description) ?? "none") → \(b.total.map(\.description) ?? "none")") }
        if a.yearly != b.yearly { changes.append("yearly → " + b.yearly.map { "\($0.year): \($0.amount)" }.joined(separator: ", ")) }
        if a.source != b.source { changes.append("source \(a.source.rawValue) → \(b.source.rawValue)") }
        if a.unit != b.unit { changes.append("unit → \"\(b.unit ?? "")\"") }
        if a.due != b.due { changes.append("due \(a.due?.vietnamese ?? "none") → \(b.due?.vietnamese ?? "none")") }
        return changes
    }
}
