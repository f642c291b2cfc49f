import Events

/// Year-end arithmetic shared by status and the alerts.
public enum YearEnd {
    /// The rate the straight line from the allocation date to 31/12 of the budget year expects on
    /// `date`: 0% on the signing day, 100% on 31/12.
    public static func straightLine(signed: BusinessDate, fiscalYear: Int, on date: BusinessDate) -> Rate {
        straightLine(signed: signed, yearEnd: BusinessDate.endOfYear(fiscalYear), on: date)
    }

    /// The same, given the fiscal year's last day (nil outside the valid years).
    public static func straightLine(signed: BusinessDate, yearEnd: BusinessDate?, on date: BusinessDate) -> Rate {
        if date <= signed { return Rate(milliPercent: 0) }
        guard let end = yearEnd else { return Rate(milliPercent: 100_000) }
        if date >= end || signed >= end { return Rate(milliPercent: 100_000) }
        return Rate(Money(dong: Int64(signed.days(until: date))), of: Money(dong: Int64(signed.days(until: end))))
            ?? Rate(milliPercent: 100_000)
    }
}
