import Events

/// A year-end checkpoint: a day of the budget year (or of January after it) and what is checked then.
///
/// Ordered by when it falls in a budget year's cycle.
public struct Checkpoint: Sendable, Equatable, Comparable {
    /// The name used in alerts, e.g. "30/09".
    public var name: String
    public var day: Int
    public var month: Int
    /// Whether the day falls in the year after the budget year (31/01: the end of the adjustment period).
    public var nextYear: Bool
    public var rule: AlertRaised.Rule
    /// For `below`: the threshold in thousandths of a percent (60% is 60_000).
    public var thresholdMilli: Int64

    public init(day: Int, month: Int, nextYear: Bool = false, rule: AlertRaised.Rule, thresholdMilli: Int64 = 0) {
        self.day = day
        self.month = month
        self.nextYear = nextYear
        self.rule = rule
        self.thresholdMilli = thresholdMilli
        name = "\(day < 10 ? "0" : "")\(day)/\(month < 10 ? "0" : "")\(month)"
    }

    /// The checkpoint's date for budget year `year`; nil when it falls after the years the log
    /// holds (31/01 after budget year 2199).
    public func date(in year: Int) -> BusinessDate? {
        let calendarYear = nextYear ? year + 1 : year
        return BusinessDate(year: calendarYear, month: month, day: day) ?? .endOfMonth(calendarYear, month)
    }

    public static func < (a: Checkpoint, b: Checkpoint) -> Bool {
        (a.nextYear ? 1 : 0, a.month, a.day) < (b.nextYear ? 1 : 0, b.month, b.day)
    }
}
