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

/// The checkpoints in force, each set from the budget year it applies from.
public struct CheckpointSchedule: Sendable, Equatable {
    /// Sets of checkpoints and the first budget year each applies to, in ascending order.
    public var sets: [(fromYear: Int, checkpoints: [Checkpoint])]

    public init(sets: [(fromYear: Int, checkpoints: [Checkpoint])]) {
        self.sets = sets.sorted { $0.fromYear < $1.fromYear }
    }

    /// The checkpoints for budget year `year`: the latest set that applies from `year` or before.
    public func checkpoints(for year: Int) -> [Checkpoint] {
        sets.last { $0.fromYear <= year }?.checkpoints ?? []
    }

    public static func == (a: CheckpointSchedule, b: CheckpointSchedule) -> Bool {
        a.sets.count == b.sets.count && zip(a.sets, b.sets).allSatisfy { $0.fromYear == $1.fromYear && $0.checkpoints == $1.checkpoints }
    }
}

extension Ledger {
    /// The alerts due on `today` that have not been raised: for every allocation line (own or
    /// carried over) and every checkpoint of its budget year whose day is over, the line's
    /// figures on the checkpoint day are checked against the rule.
    ///
    /// A line with nothing left to disburse raises nothing; nor does a line allocated after the
    /// checkpoint day.
    public func dueAlerts(today: BusinessDate, schedule: CheckpointSchedule, rules: BudgetRules, simulated: Bool) -> [AlertRaised] {
        var due: [AlertRaised] = []
        for line in lines {
            for checkpoint in schedule.checkpoints(for: line.fiscalYear) {
                // A checkpoint past the years the log holds is never due (today cannot pass it).
                guard let day = checkpoint.date(in: line.fiscalYear), today > day, line.signed <= day else { continue }
                let key = AlertRaised.Key(decision: line.decision, task: line.task, checkpointDate: day)
                guard !alertKeys.contains(key) else { continue }
                // A line whose figures do not fit (a store an older build let grow) raises nothing.
                guard let figures = try? self.figures(of: line, in: QueryScope(asOf: day)) else { continue }
                guard figures.remaining.dong > 0 else { continue }
                let rate = Rate(figures.disbursed, of: figures.allocated) ?? Rate(milliPercent: 0)
                let expected: Rate
                switch checkpoint.rule {
                case .belowRate: expected = Rate(milliPercent: checkpoint.thresholdMilli)
                case .behindStraightLine: expected = YearEnd.straightLine(signed: line.signed, fiscalYear: line.fiscalYear, on: day)
                case .lapse: expected = Rate(milliPercent: 100_000)
                }
                guard checkpoint.rule == .lapse || rate < expected else { continue }
                // The deadline is a date of the record too: none that the log could not read back.
                guard let endOfYear = BusinessDate.endOfYear(line.fiscalYear),
                      let deadline = day < endOfYear ? endOfYear : rules.lapseDate(of: line.fiscalYear) else { continue }
                due.append(AlertRaised(checkpoint: checkpoint.name, checkpointDate: day, rule: checkpoint.rule,
                                       expectedMilliPercent: expected.milliPercent, fiscalYear: line.fiscalYear, agency: line.agency,
                                       decision: line.decision, task: line.task, allocated: figures.allocated, disbursed: figures.disbursed,
                                       remaining: figures.remaining, rateMilliPercent: rate.milliPercent, deadline: deadline,
                                       daysLeft: today.days(until: deadline), raisedOn: today, simulated: simulated))
            }
        }
        return due
    }

    /// The alerts raised, oldest first: of budget year `year`, of `agency`, raised on or before
    /// `asOf` and recorded by `throughSeq`.
    public func alerts(scope: QueryScope, year: Int? = nil, agency: AgencyID? = nil) -> [RaisedAlert] {
        alerts.filter { raised in
            raised.seq <= scope.throughSeq && raised.alert.raisedOn <= scope.asOf
                && (year == nil || raised.alert.fiscalYear == year) && (agency == nil || raised.alert.agency == agency)
        }
    }
}

extension AlertRaised {
    /// One readable line: what is behind, by how much, and how long is left.
    public var sentence: String {
        let rate = Rate(milliPercent: rateMilliPercent)
        let expected = Rate(milliPercent: expectedMilliPercent)
        let what: String
        switch rule {
        case .belowRate: what = "disbursed \(rate) by \(checkpointDate.vietnamese), below \(expected)"
        case .behindStraightLine: what = "disbursed \(rate) by \(checkpointDate.vietnamese), behind the straight line (\(expected))"
        case .lapse: what = "\(remaining) remains after \(checkpointDate.vietnamese) and will lapse (hủy dự toán) unless carried over"
        }
        func days(_ count: Int) -> String { count == 1 ? "1 day" : "\(count) days" }
        let left = daysLeft >= 0 ? "\(days(daysLeft)) left to \(deadline.vietnamese)" : "\(days(-daysLeft)) past \(deadline.vietnamese)"
        return "[\(checkpoint)] \(agency) \(decision) \(task): \(what); allocated \(allocated), disbursed \(disbursed), remaining \(remaining); \(left)"
            + (simulated ? " (SIMULATED clock)" : "")
    }
}
