/// A plan revision (điều chỉnh kế hoạch) of one task: its name, objective, total, yearly amounts,
/// period, deadline, unit or source change, or it is cancelled.
///
/// The record holds the task as it stands after the revision, in full, so it reads on its own;
/// queries as of a date before `date` show the task as it stood then.
public struct TaskRevised: EventBody {
    public static let type = "task.revised"
    public static let version = 1

    /// The task as revised (its id unchanged).
    public var task: TaskAdded
    /// The revision's reference (the revised plan's number, or the letter that revises it).
    public var reference: String
    /// The day the revision takes effect.
    public var date: BusinessDate
    /// Why.
    public var reason: String
    /// The revision cancels the task (its status becomes cancelled by a change recorded with it).
    public var cancelled: Bool

    public init(task: TaskAdded, reference: String, date: BusinessDate, reason: String, cancelled: Bool = false) {
        self.task = task
        self.reference = reference
        self.date = date
        self.reason = reason
        self.cancelled = cancelled
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("task"); task.encode(to: &w)
        w.key("reference"); w.string(reference)
        w.key("date"); w.string(date.description)
        w.key("reason"); w.string(reason)
        if cancelled { w.key("cancelled"); w.bool(true) }
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        task = try TaskAdded(body: body.object("task"), version: TaskAdded.version, ids: &ids)
        reference = try body.text("reference")
        date = try body.date("date")
        reason = try body.text("reason")
        cancelled = try body.optionalBool("cancelled")
    }
}
