/// Year-end and adjustment rules that commands enforce, each with the budget year it applies from
/// (rules change: Law 83/2015/QH13 until budget year 2025, Law 89/2025/QH15 from 2026).
public struct BudgetRules: Sendable, Equatable {
    /// The day (month, day) of the year after the budget year on which unspent, not carried-over
    /// money lapses (hủy dự toán), by the budget year it applies from, oldest first: 31/01, the end
    /// of the adjustment period (chỉnh lý quyết toán), under Law 83/2015/QH13 and, from budget
    /// year 2026, Law 89/2025/QH15 (Điều 66.2).
    public var lapseDates: [(fromYear: Int, month: Int, day: Int)] = [(BusinessDate.validYears.lowerBound, 1, 31)]
    /// The last day (month, day) of the budget year on which units' allocations may be adjusted,
    /// by the budget year it applies from, oldest first: 15/11 under Law 83/2015/QH13 (Điều 52.3),
    /// 15/12 under Law 89/2025/QH15 (Điều 55.3) from budget year 2026.
    public var amendmentDeadlines: [(fromYear: Int, month: Int, day: Int)] = [(BusinessDate.validYears.lowerBound, 11, 15), (2026, 12, 15)]

    /// What may be carried over (chuyển nguồn), by the budget year it applies from, oldest first:
    /// the law's name and the classes of money it allows. Law 83/2015/QH13, Điều 64.3, to budget
    /// year 2025; Law 89/2025/QH15, Điều 66.3, from 2026 (it adds national target programmes,
    /// bids under way, science, technology, innovation and digital transformation, reserves, aid,
    /// donations and refunds ordered by audit).
    public var carryOverRules: [CarryOverRule] = [
        CarryOverRule(fromYear: BusinessDate.validYears.lowerBound, law: "Law 83/2015/QH13, Điều 64.3",
                      grounds: [.addedAfterSeptember, .publicInvestment, .procurement, .salary, .autonomy, .scienceResearch]),
        CarryOverRule(fromYear: 2026, law: "Law 89/2025/QH15, Điều 66.3",
                      grounds: [.addedAfterSeptember, .publicInvestment, .nationalTargetProgramme, .procurement, .salary, .autonomy,
                                .scienceResearch, .digitalTransformation, .reserve, .aid, .donation, .auditRefund]),
    ]

    /// The carry-over rule of one period: from which budget year, under which law, which classes.
    public struct CarryOverRule: Sendable, Equatable {
        public var fromYear: Int
        /// The law and article, as the record and the refusals name it.
        public var law: String
        /// The classes allowed, in the law's order.
        public var grounds: [CarryOverGround]
        public init(fromYear: Int, law: String, grounds: [CarryOverGround]) {
            self.fromYear = fromYear
            self.law = law
            self.grounds = grounds.sorted()
        }
    }

    /// The carry-over rule for money of `fiscalYear`; nil when no rule reaches back that far.
    public func carryOverRule(of fiscalYear: Int) -> CarryOverRule? {
        carryOverRules.last { $0.fromYear <= fiscalYear }
    }

    /// The store's province (`[store] province`, default QNG): agencies registered without one belong to it.
    public var province = ProvinceCode.defaultCode

    public init() {}

    public static func == (a: BudgetRules, b: BudgetRules) -> Bool {
        a.province == b.province && a.carryOverRules == b.carryOverRules
            && a.lapseDates.map { [$0.fromYear, $0.month, $0.day] } == b.lapseDates.map { [$0.fromYear, $0.month, $0.day] }
            && a.amendmentDeadlines.map { [$0.fromYear, $0.month, $0.day] } == b.amendmentDeadlines.map { [$0.fromYear, $0.month, $0.day] }
    }

    /// Whether only the province differs between `self` and `other` (it is the store's, fixed while
    /// the daemon runs; the rest of the budget rules can be reloaded).
    public func sameRules(as other: BudgetRules) -> Bool {
        var other = other
        other.province = province
        return self == other
    }

    /// The last day money of `fiscalYear` can be disbursed; nil when that day falls after the
    /// years the log holds (budget year 2199: the money never lapses within them).
    public func lapseDate(of fiscalYear: Int) -> BusinessDate? {
        let rule = lapseDates.last(where: { $0.fromYear <= fiscalYear }) ?? (BusinessDate.validYears.lowerBound, 1, 31)
        return BusinessDate(year: fiscalYear + 1, month: rule.month, day: rule.day) ?? BusinessDate.endOfMonth(fiscalYear + 1, rule.month)
    }

    /// The last day an allocation of `fiscalYear` may be amended without a recorded override.
    public func amendmentDeadline(of fiscalYear: Int) -> BusinessDate? {
        guard let rule = amendmentDeadlines.last(where: { $0.fromYear <= fiscalYear }) else { return nil }
        return BusinessDate(year: fiscalYear, month: rule.month, day: rule.day) ?? BusinessDate.endOfMonth(fiscalYear, rule.month)
    }
}
