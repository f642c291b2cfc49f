/// What an agency states it expects to have disbursed on an allocation line by a date ("dự kiến
/// đến 31/12/2023 giải ngân đạt 100% kế hoạch"): an amount, or a rate of the line's allocation.
///
/// A later statement for the same line and date replaces an earlier one in reports dated after it;
/// each stays in the log.
public struct DisbursementExpected: EventBody {
    public static let type = "disbursement.expected"
    /// 2: its decisions in their long form, `569/QĐ-UBND@QNG/2023` (`DocumentKey`); a version-1 record may name a
    /// number alone, resolved when read (`DecisionNumbers.canonical`).
    public static let version = 2

    /// The task of the line.
    public var task: TaskID
    /// The decision of the line.
    public var decision: DecisionRef
    /// The date by which the amount is expected.
    public var by: BusinessDate
    /// The amount expected by then (cumulative); exactly one of `amount` and `rateMilli` is set.
    public var amount: Money?
    /// The rate of the line's allocation expected by then, in thousandths of a percent (100000 is 100%).
    public var rateMilli: Int64?
    /// The business date the agency stated it (the report's date).
    public var stated: BusinessDate
    /// Where it was stated (a report's number), and the document's own words.
    public var note: String?

    public init(task: TaskID, decision: DecisionRef, by: BusinessDate, amount: Money?, rateMilli: Int64?, stated: BusinessDate,
                note: String? = nil) {
        self.task = task
        self.decision = decision
        self.by = by
        self.amount = amount
        self.rateMilli = rateMilli
        self.stated = stated
        self.note = note
    }

    /// The amount expected on a line of `allocated`: the amount, or the rate of it (rounded half up to the đồng).
    public func expectedAmount(of allocated: Money) -> Money {
        if let amount { return amount }
        let milli = Int128(rateMilli ?? 0)
        let dong = (Int128(allocated.dong) * milli * 2 + 100_000) / 200_000
        return Money(dong: Int64(clamping: dong))
    }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("task"); w.string(task.description)
        w.key("decision"); w.string(decision.text)
        w.key("by"); w.date(by)
        if let amount { w.key("amount"); w.int(amount.dong) }
        if let rateMilli { w.key("rate_milli"); w.int(rateMilli) }
        w.key("stated"); w.date(stated)
        w.optional("note", note)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        task = try ids.task(body.string("task"))
        decision = try ids.decision(body.string("decision"))
        by = try body.date("by")
        amount = try body.optionalMoney("amount")
        rateMilli = body["rate_milli"] == nil ? nil : try body.int("rate_milli")
        stated = try body.date("stated")
        note = try body.optionalText("note")
        guard (amount == nil) != (rateMilli == nil) else {
            throw TrackerError(.corrupt, "disbursement.expected needs exactly one of amount and rate_milli")
        }
    }
}
