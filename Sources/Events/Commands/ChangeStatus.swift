/// Move a task to another status (`task status TASK STATUS --date … --reason …`, `task.status`).
public struct ChangeStatus: CommandDefinition {
    public var task: TaskID
    public var to: TaskStatus
    public var date: BusinessDate
    public var reason: String
    public var correction: Bool
    public init(task: TaskID, to: TaskStatus, date: BusinessDate, reason: String, correction: Bool = false) {
        self.task = task
        self.to = to
        self.date = date
        self.reason = reason
        self.correction = correction
    }

    public static let operation = WireOperation.changeStatus
    public var command: Command { .changeStatus(self) }

    public static let spec = CommandSpec(["task", "status"], summary: "Move a task to another status.",
        positionals: [PositionalSpec("TASK", "The task, e.g. 860/KH-BDT#1"),
                      PositionalSpec("STATUS", TaskStatus.allCases.map(\.rawValue).joined(separator: ", ") + ", or the documents' Vietnamese words (below)")],
        options: [.value("date", "DATE", "The day of the change.", required: true),
                  .value("reason", "TEXT", "Why (auditors read it).", required: true),
                  .flag("correction", "Allow a move the status graph otherwise refuses (back, or out of completed/cancelled), to correct a mistake.")],
        discussion: "planned → funded → procuring → contracted → in-progress → completed (steps may be skipped); any open status → deferred or cancelled; deferred → back on the main line.\nVietnamese words accepted (case and diacritics ignored; quote them): " + TaskStatus.vietnameseMapping + ".")

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        self.init(task: try TaskID(args.positionals[0]), to: try TaskStatus.parse(args.positionals[1]),
                  date: try BusinessDate.parse(args.required("date")), reason: try args.requiredText("reason"),
                  correction: args.has("correction"))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["task", "to", "date", "reason", "correction"], in: request)
        self.init(task: try TaskID(request.string("task")), to: try TaskStatus.parse(request.string("to")),
                  date: try request.date("date"), reason: try request.text("reason"), correction: try request.optionalBool("correction"))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("task"); w.string(task.description)
        w.key("to"); w.string(to.rawValue)
        w.key("date"); w.string(date.description)
        w.key("reason"); w.string(reason)
        if correction { w.key("correction"); w.bool(true) }
    }
}
