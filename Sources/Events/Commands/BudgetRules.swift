/// Year-end rules that commands enforce.
public struct BudgetRules: Sendable, Equatable {
    /// Month and day of the year after the budget year on which unspent, not carried-over money
    /// lapses (hủy dự toán): 31/01 by default (end of chỉnh lý quyết toán).
    public var lapseMonth = 1
    public var lapseDay = 31
    public init() {}

    /// The last day money of `fiscalYear` can be disbursed; nil when that day falls after the
    /// years the log holds (budget year 2199: the money never lapses within them).
    public func lapseDate(of fiscalYear: Int) -> BusinessDate? {
        BusinessDate(year: fiscalYear + 1, month: lapseMonth, day: lapseDay)
            ?? BusinessDate.endOfMonth(fiscalYear + 1, lapseMonth)
    }
}
