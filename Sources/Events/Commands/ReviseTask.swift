/// Revise a task of a plan (`task revise TASK --ref … --date … --reason … [--total …] [--cancel]`, `task.revise`).
public struct ReviseTask: CommandDefinition {
    public var task: TaskID
    /// The revision's reference (the revised plan's number, or the letter that revises it).
    public var reference: String
    public var date: BusinessDate
    public var reason: String
    /// What changes; nil keeps what the task has.
    public var name: String?
    public var objective: String?
    public var period: YearSpan?
    public var total: Money?
    /// New yearly amounts (replacing all of them) when not empty.
    public var yearly: [YearAmount]
    public var source: FundingSource?
    public var unit: String?
    public var due: BusinessDate?
    /// The revision cancels the task.
    public var cancel: Bool

    public init(task: TaskID, reference: String, date: BusinessDate, reason: String, name: String? = nil, objective: String? = nil,
                period: YearSpan? = nil, total: Money? = nil, yearly: [YearAmount] = [], source: FundingSource? = nil, unit: String? = nil,
                due: BusinessDate? = nil, cancel: Bool = false) {
        self.task = task
        self.reference = reference
        self.date = date
        self.reason = reason
        self.name = name
        self.objective = objective
        self.period = period
        self.total = total
        self.yearly = yearly
        self.source = source
        self.unit = unit
        self.due = due
        self.cancel = cancel
    }

    public static let operation = WireOperation.reviseTask
    public var command: Command { .reviseTask(self) }

    public static let spec = CommandSpec(["task", "revise"], summary: "Record a plan revision (điều chỉnh kế hoạch) of a task: its amounts, period, deadline, unit, source, name, or its cancellation.",
        positionals: [PositionalSpec("TASK", "The task, e.g. 860/KH-BDT#1")],
        options: [.value("ref", "REF", "The revision's reference: the revised plan's number, or the letter that revises it.", required: true),
                  .value("date", "DATE", "The day the revision takes effect.", required: true),
                  .value("reason", "TEXT", "Why.", required: true),
                  .value("name", "TEXT", "The new name."),
                  .value("objective", "TEXT", "The new objective."),
                  .value("period", "YEARS", "The new period: 2025 or 2025-2027."),
                  .value("total", "AMOUNT", "The new total."),
                  .value("yearly", "YEAR=AMOUNT", "New yearly amounts (they replace all the task had).", repeatable: true),
                  .value("source", "SOURCE", "The new funding source."),
                  .value("unit", "TEXT", "The new implementing unit."),
                  .value("due", "DATE", "The new due date."),
                  .flag("cancel", "The revision cancels the task (its status becomes cancelled on --date).")],
        discussion: "Queries as of a day before --date show the task as it stood; `trackctl tasks --history TASK` lists its revisions and status changes.")

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        self.init(task: try TaskID(args.positionals[0]), reference: try args.requiredText("ref"), date: try BusinessDate.parse(args.required("date")),
                  reason: try args.requiredText("reason"), name: args.text("name"), objective: args.text("objective"),
                  period: try args.optional("period") { (text) throws(TrackerError) in try YearSpan.parse(text) },
                  total: try args.optional("total") { (text) throws(TrackerError) in try ParsedArguments.money(text) },
                  yearly: try args.yearlyAmounts(example: "2025=78tr"),
                  source: try args.optional("source") { (text) throws(TrackerError) in try FundingSource.parse(text) },
                  unit: args.text("unit"), due: try args.optional("due") { (text) throws(TrackerError) in try BusinessDate.parse(text) },
                  cancel: args.has("cancel"))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["task", "reference", "date", "reason", "name", "objective", "period", "total", "yearly", "source", "unit", "due", "cancel"],
                           in: request)
        self.init(task: try TaskID(request.string("task")), reference: try request.text("reference"), date: try request.date("date"),
                  reason: try request.text("reason"), name: try request.optionalText("name"), objective: try request.optionalText("objective"),
                  period: try request.optionalString("period").map { (text) throws(TrackerError) in try YearSpan.parse(text) },
                  total: request["total"] == nil ? nil : try request.money("total"),
                  yearly: try YearAmount.list(from: request.optionalObject("yearly")),
                  source: try request.optionalString("source").map { (text) throws(TrackerError) in try FundingSource.parse(text) },
                  unit: try request.optionalText("unit"), due: try request.optionalDate("due"), cancel: try request.optionalBool("cancel"))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("task"); w.string(task.description)
        w.key("reference"); w.string(reference)
        w.key("date"); w.string(date.description)
        w.key("reason"); w.string(reason)
        w.optional("name", name)
        w.optional("objective", objective)
        w.optional("period", period.map { "\($0.first)-\($0.last)" })
        if let total { w.key("total"); w.int(total.dong) }
        if !yearly.isEmpty {
            w.key("yearly")
            w.beginObject()
            for entry in yearly { w.key(String(entry.year)); w.int(entry.amount.dong) }
            w.endObject()
        }
        w.optional("source", source?.rawValue)
        w.optional("unit", unit)
        w.optional("due", due?.description)
        if cancel { w.key("cancel"); w.bool(true) }
    }

    /// The task as this revision leaves it.
    func applied(to task: TaskAdded) -> TaskAdded {
        var revised = task
        if let name { revised.name = name }
        if let objective { revised.objective = objective }
        if let period { revised.period = period }
        if let total { revised.total = total }
        if !yearly.isEmpty { revised.yearly = yearly }
        if let source { revised.source = source }
        if let unit { revised.unit = unit }
        if let due { revised.due = due }
        return revised
    }
}
