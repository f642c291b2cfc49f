/// A task moved from one status to another on a business date.
public struct TaskStatusChanged: EventBody {
    public static let type = "task.status_changed"
    public static let version = 1

    /// The task.
    public var task: TaskID
    /// The status before.
    public var from: TaskStatus
    /// The status after.
    public var to: TaskStatus
    /// The business date of the change.
    public var date: BusinessDate
    /// Why (required: auditors read it).
    public var reason: String
    /// Whether this corrects an earlier mistaken change (a move the graph does not otherwise allow).
    public var correction: Bool

    public init(task: TaskID, from: TaskStatus, to: TaskStatus, date: BusinessDate, reason: String, correction: Bool = false) {
        self.task = task
        self.from = from
        self.to = to
        self.date = date
        self.reason = reason
        self.correction = correction
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("task"); w.string(task.description)
        w.key("from"); w.string(from.rawValue)
        w.key("to"); w.string(to.rawValue)
        w.key("date"); w.string(date.description)
        w.key("reason"); w.string(reason)
        if correction { w.key("correction"); w.bool(true) }
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        task = try ids.task(body.string("task"))
        from = try TaskStatus.parse(body.string("from"))
        to = try TaskStatus.parse(body.string("to"))
        date = try body.date("date")
        reason = try body.text("reason")
        correction = try body.optionalBool("correction")
    }
}
