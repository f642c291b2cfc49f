/// An amended allocation (điều chỉnh dự toán): a later decision that raises or lowers lines of an
/// earlier one, adds lines to it, withdraws what remains on a line (thu hồi), or moves money between
/// its lines.
///
/// Each line records the allocation in force before and after, so the record reads on its own.
/// It takes effect on its signing date: as of an earlier date the old figures stand.
public struct FundsAmended: EventBody {
    public static let type = "funds.amended"
    /// 2: its decisions in their long form, `569/QĐ-UBND@QNG/2023` (`DocumentKey`); a version-1 record may name a
    /// number alone, resolved when read (`DecisionNumbers.canonical`).
    public static let version = 2

    /// The amending decision's own number, e.g. `1234/QĐ-UBND`.
    public var decision: DecisionRef
    /// Its signing date (the amendment takes effect on it).
    public var signed: BusinessDate
    /// The decision amended.
    public var amends: DecisionRef
    /// The budget year of the amended money (copied from the decision amended).
    public var fiscalYear: Int
    /// The recipient agency (copied from the decision amended).
    public var agency: AgencyID
    /// One change per line.
    public var lines: [AmendedLine]
    /// Why (the grounds the decision gives).
    public var reason: String
    /// Set when the amendment was signed after the year's deadline for adjustments: the deadline and
    /// the override given for it.
    public var late: LateAmendment?
    /// Free remarks.
    public var note: String?

    public init(decision: DecisionRef, signed: BusinessDate, amends: DecisionRef, fiscalYear: Int, agency: AgencyID, lines: [AmendedLine],
                reason: String, late: LateAmendment? = nil, note: String? = nil) {
        self.decision = decision
        self.signed = signed
        self.amends = amends
        self.fiscalYear = fiscalYear
        self.agency = agency
        self.lines = lines
        self.reason = reason
        self.late = late
        self.note = note
    }

    /// The net change of the allocation (after − before, summed).
    public var netChange: Int128 { lines.reduce(0) { $0 + Int128($1.after.dong) - Int128($1.before.dong) } }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("decision"); w.string(decision.text)
        w.key("signed"); w.string(signed.description)
        w.key("amends"); w.string(amends.text)
        w.key("year"); w.int(fiscalYear)
        w.key("agency"); w.string(agency.text)
        w.key("lines")
        w.beginArray()
        for line in lines {
            w.beginObject()
            w.key("task"); w.string(line.task.description)
            w.key("before"); w.int(line.before.dong)
            w.key("after"); w.int(line.after.dong)
            w.endObject()
        }
        w.endArray()
        w.key("reason"); w.string(reason)
        if let late {
            w.key("late")
            w.beginObject()
            w.key("deadline"); w.string(late.deadline.description)
            w.key("override"); w.string(late.override)
            w.endObject()
        }
        w.optional("note", note)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        decision = try ids.decision(body.string("decision"))
        signed = try body.date("signed")
        amends = try ids.decision(body.string("amends"))
        fiscalYear = try body.fiscalYear("year")
        agency = try ids.agency(body.string("agency"))
        var lines: [AmendedLine] = []
        for value in try body.array("lines") {
            guard case .object(let object) = value else { throw TrackerError(.badRequest, "each amended line must be an object {\"task\", \"before\", \"after\"}") }
            try object.rejectUnknownKeys(["task", "before", "after"], in: "an amended line")
            let before = try object.money("before"), after = try object.money("after")
            guard before.dong >= 0 && after.dong >= 0 else { throw TrackerError(.corrupt, "an amended line's amounts cannot be negative") }
            lines.append(AmendedLine(task: try ids.task(object.string("task")), before: before, after: after))
        }
        self.lines = lines
        reason = try body.text("reason")
        if let late = try body.optionalObject("late") {
            try late.rejectUnknownKeys(["deadline", "override"], in: "'late'")
            self.late = LateAmendment(deadline: try late.date("deadline"), override: try late.text("override"))
        }
        note = try body.optionalText("note")
    }
}

/// One line of an amendment: the allocation in force on a task's line before and after.
/// `before` is 0 for a line the amendment adds.
public struct AmendedLine: Sendable, Equatable {
    public var task: TaskID
    public var before: Money
    public var after: Money
    public init(task: TaskID, before: Money, after: Money) {
        self.task = task
        self.before = before
        self.after = after
    }
}

/// An amendment signed after the deadline for adjustments: the deadline it missed and the recorded
/// override (who decided, and on what grounds).
public struct LateAmendment: Sendable, Equatable {
    public var deadline: BusinessDate
    public var override: String
    public init(deadline: BusinessDate, override: String) {
        self.deadline = deadline
        self.override = override
    }
}
