import Events

/// A reporting month of a budget year: 1–12, or 13, the thirteenth month (January of the next
/// year against this year's money: the adjustment period, chỉnh lý quyết toán).
public struct ReportMonth: Sendable, Equatable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    /// Reads `2023-11` or `2023-13`.
    public init(_ text: String) throws(TrackerError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
              (1...13).contains(month), BusinessDate.validYears.contains(year), BusinessDate.validYears.contains(year + 1) else {
            throw TrackerError(.invalidArgument, "'\(text)' is not a reporting month: write 2023-11, or 2023-13 for the thirteenth month (January 2024 against 2023's money)")
        }
        self.year = year
        self.month = month
    }

    /// The month's first day (1 January of the next year for the thirteenth).
    public var first: BusinessDate { month == 13 ? BusinessDate(year: year + 1, month: 1, day: 1)! : BusinessDate(year: year, month: month, day: 1)! }
    /// The month's last day (31 January of the next year for the thirteenth).
    public var last: BusinessDate { month == 13 ? BusinessDate(year: year + 1, month: 1, day: 31)! : BusinessDate.endOfMonth(year, month)! }
    /// The last day of the month before (31 December of the year before for January).
    public var previousEnd: BusinessDate { first.adding(days: -1)! }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
}

/// One funding source's row of the monthly form.
public struct MonthlyRow: Sendable, Equatable, Codable {
    public var source: String
    public var sourceName: String
    public var lines: Int
    /// Kế hoạch vốn năm: the year's own allocation.
    public var yearPlan: Money
    /// Kế hoạch kéo dài: money carried over into the year.
    public var extendedPlan: Money
    /// Lũy kế giải ngân đến hết tháng trước.
    public var disbursedToPreviousMonth: Money
    /// Ước giải ngân đến hết tháng: the actual when the month is over; else the actual to date,
    /// raised to the expectations recorded for a date within the month.
    public var estimateToMonthEnd: Money
    /// How many lines' estimate comes from a recorded expectation.
    public var fromExpectations: Int

    /// The estimate against the whole plan (year's and extended).
    public var rate: Rate? { yearPlan.adding(extendedPlan).flatMap { Rate(estimateToMonthEnd, of: $0) } }
}

/// The monthly disbursement form of Thông tư 37/2025/TT-BTC (written for public investment; for
/// recurrent money a like-for-like table): by funding source, the year's allocation and the
/// carried-over allocation apart, cumulative disbursed to the end of the previous month, the
/// estimate to the end of the reporting month, and the rate.
public struct MonthlyReport: Sendable, Equatable, Codable {
    public var month: ReportMonth
    public var asOf: String
    public var throughSeq: UInt64
    public var agency: String?
    /// Whether the month is over on the as-of date (the estimate is then the actual).
    public var monthOver: Bool
    public var rows: [MonthlyRow]
    public var total: MonthlyRow
}

extension Ledger {
    /// The monthly form for `month` of its budget year, for one agency or all.
    public func monthlyReport(_ month: ReportMonth, agency filter: AgencyID?, scope: QueryScope) throws(TrackerError) -> MonthlyReport {
        if let filter, agencies[filter] == nil { throw TrackerError(.notFound, "agency \(filter) is not registered") }
        let monthOver = scope.asOf >= month.last
        let previous = QueryScope(asOf: min(month.previousEnd, scope.asOf), throughSeq: scope.throughSeq)
        let current = QueryScope(asOf: min(month.last, scope.asOf), throughSeq: scope.throughSeq)
        var bySource: [FundingSource: MonthlyRow] = [:]
        for line in lines where line.fiscalYear == month.year && line.signed <= month.last && includes(line, in: scope) {
            if let filter, line.agency != filter { continue }
            let before = try figures(of: line, in: previous).disbursed
            var estimate = try figures(of: line, in: current).disbursed
            var expected = 0
            if !monthOver, let statement = reporting.expectation(decision: line.decision, task: line.task, by: month.last, in: scope),
               statement.fact.by >= month.first {
                let amount = statement.fact.expectedAmount(of: line.allocated)
                if amount > estimate { estimate = amount }
                expected = 1
            }
            var row = bySource[line.source] ?? MonthlyRow(source: line.source.rawValue, sourceName: line.source.vietnameseName, lines: 0,
                                                           yearPlan: .zero, extendedPlan: .zero, disbursedToPreviousMonth: .zero,
                                                           estimateToMonthEnd: .zero, fromExpectations: 0)
            row.lines += 1
            if line.carriedFrom == nil {
                row.yearPlan = try row.yearPlan.plus(line.allocated, "the year's allocation of \(line.source.rawValue)")
            } else {
                row.extendedPlan = try row.extendedPlan.plus(line.allocated, "the carried-over allocation of \(line.source.rawValue)")
            }
            row.disbursedToPreviousMonth = try row.disbursedToPreviousMonth.plus(before, "the money disbursed to the previous month")
            row.estimateToMonthEnd = try row.estimateToMonthEnd.plus(estimate, "the money estimated to the month's end")
            row.fromExpectations += expected
            bySource[line.source] = row
        }
        let rows = FundingSource.allCases.compactMap { bySource[$0] }
        var total = MonthlyRow(source: "total", sourceName: "Tổng cộng", lines: 0, yearPlan: .zero, extendedPlan: .zero,
                               disbursedToPreviousMonth: .zero, estimateToMonthEnd: .zero, fromExpectations: 0)
        for row in rows {
            total.lines += row.lines
            total.yearPlan = try total.yearPlan.plus(row.yearPlan, "the year's allocation of this report")
            total.extendedPlan = try total.extendedPlan.plus(row.extendedPlan, "the carried-over allocation of this report")
            total.disbursedToPreviousMonth = try total.disbursedToPreviousMonth.plus(row.disbursedToPreviousMonth, "the money disbursed to the previous month")
            total.estimateToMonthEnd = try total.estimateToMonthEnd.plus(row.estimateToMonthEnd, "the money estimated to the month's end")
            total.fromExpectations += row.fromExpectations
        }
        return MonthlyReport(month: month, asOf: scope.asOf.description, throughSeq: min(scope.throughSeq, lastSeq),
                             agency: filter.flatMap { agencies[$0]?.event.id.text }, monthOver: monthOver, rows: rows, total: total)
    }
}
