/// Add a task to a plan (`task add 860/KH-BDT#1 --name …`, `task.add`): with an explicit number
/// (`PLAN#N`, which must be the next one, or an identical task already recorded), or with
/// `autoNumber` for the plan's next number.
///
/// On the wire the task is `task` (`PLAN#N`) or `plan` (the next number); the other fields are the
/// `task.added` body's, `source` defaulting to `chua-xac-dinh`.
public struct AddTask: CommandDefinition {
    /// The task, with `id.number` ignored when `autoNumber` is set.
    public var task: TaskAdded
    /// Whether to take the plan's next number instead of `task.id.number`.
    public var autoNumber: Bool
    public init(_ task: TaskAdded, autoNumber: Bool = false) {
        self.task = task
        self.autoNumber = autoNumber
    }

    public static let operation = WireOperation.addTask
    public var command: Command { .addTask(self) }

    public static let spec = CommandSpec(["task", "add"], summary: "Add a task (nhiệm vụ) to a plan.",
        positionals: [PositionalSpec("TASK", "PLAN#N (the next number of the plan), or PLAN alone to take the next number")],
        options: [.value("name", "TEXT", "The task's name.", required: true),
                  .value("objective", "TEXT", "Its objective (mục tiêu)."),
                  .value("period", "YEARS", "Implementation period: 2023 or 2023-2025.", required: true),
                  .value("total", "AMOUNT", "Total estimated cost over the period (tổng kinh phí)."),
                  .value("yearly", "YEAR=AMOUNT", "Amount the plan asks for in one year, e.g. 2023=78tr.", repeatable: true),
                  .value("source", "SOURCE", "Funding source: " + FundingSource.allCases.map(\.rawValue).joined(separator: ", ") + "."),
                  .value("unit", "TEXT", "Implementing unit (đơn vị thực hiện)."),
                  .value("due", "DATE", "Explicit due date (default: 31/12 of the period's last year)."),
                  CommandSyntax.noteOption],
        discussion: "Amounts are Vietnamese: 78tr, 78 triệu, 1.700 triệu, 1,7 tỷ, 600.000.000 đ or plain đồng.")

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        let target = args.positionals[0]
        let autoNumber = !target.contains("#")
        let id = autoNumber ? TaskID(plan: try PlanID(target), number: 1) : try TaskID(target)
        let task = TaskAdded(id: id, name: try args.requiredText("name"), objective: args.text("objective"),
                             period: try YearSpan.parse(args.required("period")),
                             total: try args.optional("total") { (text) throws(TrackerError) in try ParsedArguments.money(text) },
                             yearly: try args.yearlyAmounts(example: "2023=78tr"),
                             source: try args.optional("source") { (text) throws(TrackerError) in try FundingSource.parse(text) } ?? .unspecified,
                             unit: args.text("unit"), due: try args.optional("due") { (text) throws(TrackerError) in try BusinessDate.parse(text) },
                             note: args.text("note"))
        self.init(task, autoNumber: autoNumber)
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["task", "plan", "name", "objective", "period", "total", "yearly", "source", "unit", "due", "note"], in: request)
        var body = request
        let autoNumber: Bool
        if let plan = try request.optionalString("plan") {
            guard request["task"] == nil else { throw TrackerError(.badRequest, "give either 'task' (PLAN#N) or 'plan' (next number), not both") }
            body["id"] = .string(try PlanID(plan).text + "#1")
            autoNumber = true
        } else {
            body["id"] = .string(try request.string("task"))
            autoNumber = false
        }
        body["task"] = nil
        body["plan"] = nil
        body["source"] = body["source"] ?? .string(FundingSource.unspecified.rawValue)
        self.init(try TaskAdded(body: body, version: TaskAdded.version), autoNumber: autoNumber)
    }

    public func encodeFields(to w: inout JSONWriter) {
        if autoNumber { w.key("plan"); w.string(task.id.plan.text) } else { w.key("task"); w.string(task.id.description) }
        task.encodeMembersAfterID(to: &w)
    }
}
