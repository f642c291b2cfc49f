/// An allocation decision (quyết định phân bổ): amounts for an agency's tasks in one budget year.
public struct FundsAllocated: EventBody {
    public static let type = "funds.allocated"
    /// 2: its decisions in their long form, `569/QĐ-UBND@QNG/2023` (`DocumentKey`); a version-1 record may name a
    /// number alone, resolved when read (`DecisionNumbers.canonical`).
    public static let version = 2

    /// The decision's number, e.g. `569/QĐ-UBND`.
    public var decision: DecisionRef
    /// The signing date.
    public var signed: BusinessDate
    /// The budget year the money belongs to.
    public var fiscalYear: Int
    /// The recipient agency.
    public var agency: AgencyID
    /// One line per task.
    public var lines: [AllocationLine]
    /// Free remarks.
    public var note: String?

    public init(decision: DecisionRef, signed: BusinessDate, fiscalYear: Int, agency: AgencyID, lines: [AllocationLine], note: String? = nil) {
        self.decision = decision
        self.signed = signed
        self.fiscalYear = fiscalYear
        self.agency = agency
        self.lines = lines
        self.note = note
    }

    /// The sum of the lines.
    public var total: Money { lines.reduce(Money.zero) { $0 + $1.amount } }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        encodeMembers(to: &w)
        w.endObject()
    }

    /// Writes the body's members into an open object (the `allocate` request has the same fields).
    func encodeMembers(to w: inout JSONWriter) {
        w.key("decision"); w.string(decision.text)
        w.key("signed"); w.string(signed.description)
        w.key("year"); w.int(fiscalYear)
        w.key("agency"); w.string(agency.text)
        w.key("lines")
        AllocationLine.encode(lines, to: &w)
        w.optional("note", note)
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        decision = try ids.decision(body.string("decision"))
        signed = try body.date("signed")
        fiscalYear = try body.fiscalYear("year")
        agency = try ids.agency(body.string("agency"))
        lines = try AllocationLine.list(from: body.array("lines"), ids: &ids)
        note = try body.optionalText("note")
    }
}

/// One line of an allocation decision: an amount for one task.
public struct AllocationLine: Sendable, Equatable {
    /// The task funded.
    public var task: TaskID
    /// The amount allocated.
    public var amount: Money

    public init(task: TaskID, amount: Money) {
        self.task = task
        self.amount = amount
    }

    static func encode(_ lines: [AllocationLine], to w: inout JSONWriter) {
        w.beginArray()
        for line in lines {
            w.beginObject()
            w.key("task"); w.string(line.task.description)
            w.key("amount"); w.int(line.amount.dong)
            w.endObject()
        }
        w.endArray()
    }

    static func list(from values: [JSONValue], ids: inout IdentifierReader) throws(TrackerError) -> [AllocationLine] {
        var lines: [AllocationLine] = []
        for value in values {
            guard case .object(let object) = value else {
                throw TrackerError(.badRequest, "each allocation line must be an object {\"task\": ..., \"amount\": ...}")
            }
            try object.rejectUnknownKeys(["task", "amount"], in: "an allocation line")
            lines.append(AllocationLine(task: try ids.task(object.string("task")), amount: try object.money("amount")))
        }
        return lines
    }
}
