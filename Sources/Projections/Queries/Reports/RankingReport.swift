import Events

/// One agency's place in the ranking.
public struct RankingRow: Sendable, Equatable, Codable {
    /// 1 for the highest rate; agencies with the same rate share a rank.
    public var rank: Int
    public var agency: String
    public var name: String
    public var allocated: Money
    public var disbursed: Money
    public var remaining: Money
    /// Disbursed against allocated, thousandths of a percent.
    public var rateMilli: Int64
    /// At or above the province's weighted rate.
    public var aboveAverage: Bool
    /// What the agency must still disburse to reach the province's rate (0 when at or above it),
    /// rounded up to the đồng.
    public var gapToAverage: Money
}

/// Agencies of a budget year ranked by disbursement rate against the province's weighted rate
/// (all disbursed over all allocated): the form in which agencies below the average are named.
public struct RankingReport: Sendable, Equatable, Codable {
    public var asOf: String
    public var throughSeq: UInt64
    public var year: Int
    public var rows: [RankingRow]
    public var total: ReportTotals
    /// The province's weighted rate, thousandths of a percent; nil when nothing is allocated.
    public var averageMilli: Int64?
    public var below: Int
    public var above: Int
}

extension Ledger {
    /// The ranking of agencies by their rate in budget `year` (own and carried-over lines of the year).
    public func ranking(year: Int, scope: QueryScope) throws(TrackerError) -> RankingReport {
        var sums: [AgencyID: ReportTotals] = [:]
        for line in lines where line.fiscalYear == year && includes(line, in: scope) {
            let figures = try self.figures(of: line, in: scope)
            var one = ReportTotals()
            one.lines = 1
            one.allocated = figures.allocated
            one.disbursed = figures.disbursed
            one.remaining = figures.remaining
            try sums[line.agency, default: ReportTotals()].add(one)
        }
        var total = ReportTotals()
        for agencyID in agencyOrder { if let sum = sums[agencyID] { try total.add(sum) } }
        let average = total.rate
        var rows: [RankingRow] = []
        for agencyID in agencyOrder {
            guard let sum = sums[agencyID] else { continue }
            let rate = sum.rate ?? Rate(milliPercent: 0)
            // Exact: the agency's allocation times the province's disbursed over allocated, rounded up.
            var gap = Money.zero
            if total.allocated.dong > 0 {
                let target = Int128(sum.allocated.dong) * Int128(total.disbursed.dong)
                let needed = (target + Int128(total.allocated.dong) - 1) / Int128(total.allocated.dong)
                gap = Money(dong: Int64(clamping: max(0, needed - Int128(sum.disbursed.dong))))
            }
            let above = Int128(sum.disbursed.dong) * Int128(total.allocated.dong) >= Int128(total.disbursed.dong) * Int128(sum.allocated.dong)
            rows.append(RankingRow(rank: 0, agency: agencyID.text, name: agencies[agencyID]?.event.name ?? agencyID.text,
                                   allocated: sum.allocated, disbursed: sum.disbursed, remaining: sum.remaining, rateMilli: rate.milliPercent,
                                   aboveAverage: above, gapToAverage: above ? .zero : gap))
        }
        // Highest exact rate first (compared as fractions, not rounded rates); ties share a rank.
        func higher(_ a: RankingRow, _ b: RankingRow) -> Bool {
            Int128(a.disbursed.dong) * Int128(b.allocated.dong) > Int128(b.disbursed.dong) * Int128(a.allocated.dong)
        }
        rows.sort { higher($0, $1) || (!higher($1, $0) && $0.agency < $1.agency) }
        for index in rows.indices {
            rows[index].rank = index > 0 && !higher(rows[index - 1], rows[index]) ? rows[index - 1].rank : index + 1
        }
        return RankingReport(asOf: scope.asOf.description, throughSeq: min(scope.throughSeq, lastSeq), year: year, rows: rows, total: total,
                             averageMilli: average?.milliPercent, below: rows.filter { !$0.aboveAverage }.count,
                             above: rows.filter(\.aboveAverage).count)
    }
}
