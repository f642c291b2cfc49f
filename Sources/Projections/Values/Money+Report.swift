import Events

/// Sums of money in reports, checked: a total that does not fit is an error, never a trap.
///
/// The books refuse any command that would let a report's total pass `Books.reportLimit`, so
/// these checks fail only on a store that an older trackerd let grow past it; the query then
/// answers with the numbers instead of stopping the daemon.
extension Money {
    /// `self + other`, or an error naming `what` (for example "the allocated money of this report").
    func plus(_ other: Money, _ what: @autoclosure () -> String) throws(TrackerError) -> Money {
        guard let sum = adding(other) else { throw Money.reportOverflow(what(), Int128(dong) + Int128(other.dong)) }
        return sum
    }

    /// `value` as money, or an error naming `what` when it does not fit.
    static func fitting(_ value: Int128, _ what: @autoclosure () -> String) throws(TrackerError) -> Money {
        guard let dong = Int64(exactly: value) else { throw reportOverflow(what(), value) }
        return Money(dong: dong)
    }

    /// The error for a total that does not fit, with its exact value.
    static func reportOverflow(_ what: String, _ value: Int128) -> TrackerError {
        let text = Money.describe(dong: value)
        var details = JSONObject()
        details["limit"] = .int(Int64.max)
        return TrackerError(.invalidArgument,
            "\(what) comes to \(text), beyond the \(Books.reportLimit) a report can show (the store holds amounts an earlier trackerd accepted); ask for a narrower report (--agency, --plan, --year, --as-of)",
            details: details)
    }
}
