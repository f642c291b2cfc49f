/// A task (nhiệm vụ) of a plan, with its budget as the plan gives it.
public struct TaskAdded: EventBody {
    public static let type = "task.added"
    public static let version = 1

    /// `PLAN#N`, numbered in document order.
    public var id: TaskID
    /// The task's name.
    public var name: String
    /// Its objective (mục tiêu), if the plan states one.
    public var objective: String?
    /// Implementation period (thời gian thực hiện).
    public var period: YearSpan
    /// Total estimated cost over the whole period (tổng kinh phí), if given.
    public var total: Money?
    /// Amounts the plan asks for in given years (kinh phí năm ...), in year order.
    public var yearly: [YearAmount]
    /// Funding source (nguồn vốn).
    public var source: FundingSource
    /// Implementing unit (đơn vị thực hiện).
    public var unit: String?
    /// Explicit due date; without one the deadline is 31/12 of the period's last year.
    public var due: BusinessDate?
    /// Free remarks, including where the document is ambiguous.
    public var note: String?

    public init(id: TaskID, name: String, objective: String? = nil, period: YearSpan, total: Money? = nil,
                yearly: [YearAmount] = [], source: FundingSource, unit: String? = nil, due: BusinessDate? = nil, note: String? = nil) {
        self.id = id
        self.name = name
        self.objective = objective
        self.period = period
        self.total = total
        self.yearly = yearly
        self.source = source
        self.unit = unit
        self.due = due
        self.note = note
    }

    /// The task's deadline: its due date, or else 31/12 of the last year of its period.
    public var deadline: BusinessDate { due ?? BusinessDate.endOfYear(period.last) ?? .last }

    /// What this plan asks for the task: the sum of its yearly amounts, or its total when the plan
    /// gives no split by year. Nil when the plan gives no amount at all.
    public var planned: Money? {
        if !yearly.isEmpty { return yearly.reduce(Money.zero) { $0 + $1.amount } }
        return total
    }

    /// What the plan asks for in `year`: the yearly amount, or the total of a one-year task.
    /// Nil when the plan does not say (a multi-year total with no split).
    public func planned(inYear year: Int) -> Money? {
        if !yearly.isEmpty { return yearly.first(where: { $0.year == year })?.amount ?? (period.contains(year) ? .zero : nil) }
        if period.first == year && period.last == year { return total }
        return nil
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.string(id.description)
        encodeMembersAfterID(to: &w)
        w.endObject()
    }

    /// Writes the body's members after `id` into an open object (the `task.add` request, which
    /// names the task `task`, or its plan `plan`).
    func encodeMembersAfterID(to w: inout JSONWriter) {
        w.key("name"); w.string(name)
        w.optional("objective", objective)
        w.key("period"); w.string("\(period.first)-\(period.last)")
        if let total { w.key("total"); w.int(total.dong) }
        if !yearly.isEmpty {
            w.key("yearly")
            w.beginObject()
            for entry in yearly {
                w.key(String(entry.year)); w.int(entry.amount.dong)
            }
            w.endObject()
        }
        w.key("source"); w.string(source.rawValue)
        w.optional("unit", unit)
        w.optional("due", due?.description)
        w.optional("note", note)
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        id = try ids.task(body.string("id"))
        name = try body.text("name")
        objective = try body.optionalText("objective")
        period = try YearSpan.parse(body.string("period"))
        total = try body.optionalMoney("total")
        yearly = try YearAmount.list(from: body.optionalObject("yearly"))
        source = try FundingSource.parse(body.string("source"))
        unit = try body.optionalText("unit")
        due = try body.optionalDate("due")
        note = try body.optionalText("note")
    }
}

/// An amount planned for one budget year.
public struct YearAmount: Sendable, Equatable {
    /// The budget year.
    public var year: Int
    /// The amount.
    public var amount: Money

    public init(year: Int, amount: Money) {
        self.year = year
        self.amount = amount
    }

    /// Reads `{"2023": 78000000, ...}`, refusing bad years and amounts, sorted by year.
    static func list(from object: JSONObject?) throws(TrackerError) -> [YearAmount] {
        guard let object else { return [] }
        var result: [YearAmount] = []
        for member in object.members {
            let year = try parseFiscalYear(member.key)
            result.append(YearAmount(year: year, amount: try object.money(member.key)))
        }
        return result.sorted { $0.year < $1.year }
    }
}
