import Events

extension Ledger {
    /// The alerts due on `today` that have not been raised: for every allocation line (own or
    /// carried over) and every checkpoint of its budget year whose day is over, the line's
    /// figures on the checkpoint day are checked against the rule.
    ///
    /// A line with nothing left to disburse raises nothing; nor does a line allocated after the
    /// checkpoint day. An alert raised more than `schedule.lateAfterDays` after its checkpoint's
    /// day (history recorded later) is late and says by how many days.
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
                                       daysLeft: today.days(until: deadline), raisedOn: today, simulated: simulated,
                                       lateDays: late(day, today, schedule)))
            }
        }
        return due
    }

    /// Days from checkpoint `day` to `today` when more than the schedule allows for a fresh alert.
    private func late(_ day: BusinessDate, _ today: BusinessDate, _ schedule: CheckpointSchedule) -> Int? {
        let days = day.days(until: today)
        return days > schedule.lateAfterDays ? days : nil
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
