import Events
import Projections
import Testing

/// Year-end alerts, carry-over and lapse, on the sample data set (the checkpoints of domain.md).
@Suite("Year-end alerts, carry-over and lapse")
struct YearEndTests {
    /// The default checkpoints of domain.md, as trackerd.conf writes them.
    static let schedule = CheckpointSchedule(sets: [(1950, [
        Checkpoint(day: 30, month: 9, rule: .belowRate, thresholdMilli: 60_000),
        Checkpoint(day: 31, month: 10, rule: .behindStraightLine),
        Checkpoint(day: 30, month: 11, rule: .behindStraightLine),
        Checkpoint(day: 15, month: 12, rule: .behindStraightLine),
        Checkpoint(day: 31, month: 12, rule: .belowRate, thresholdMilli: 100_000),
        Checkpoint(day: 31, month: 1, nextYear: true, rule: .lapse),
    ])])

    /// Raises what is due on `today` into the fold, as the daemon's scheduler does; returns it.
    @discardableResult
    func raise(_ fold: inout Fold, on today: String) throws -> [AlertRaised] {
        let due = fold.ledger.dueAlerts(today: .on(today), schedule: Self.schedule, rules: BudgetRules(), simulated: true)
        for alert in due {
            let outcome = try fold.run(.raiseAlert(alert))
            guard case .record = outcome else { Issue.record("alert raised twice: \(alert.sentence)"); continue }
        }
        return due
    }

    @Test("on 25/11/2023 each QĐ 569 line has its 30/9 and 31/10 alerts and nothing for 30/11 yet")
    func november25() throws {
        var fold = try Fold.sample()
        let due = try raise(&fold, on: "2023-11-25")
        #expect(due.count == 6)
        #expect(Set(due.map(\.checkpoint)) == ["30/09", "31/10"])
        #expect(Set(due.map(\.task.description)) == ["860/KH-BDT#1", "860/KH-BDT#2", "860/KH-BDT#3"])
        #expect(due.allSatisfy { $0.decision.text == "569/QĐ-UBND@QNG/2023" && $0.agency.text == "BDT" && $0.disbursed == .zero })
        let september = try #require(due.first { $0.checkpoint == "30/09" && $0.task.description == "860/KH-BDT#2" })
        #expect(september.expectedMilliPercent == 60_000)
        #expect(september.allocated == .trieu(300))
        #expect(september.daysLeft == BusinessDate.on("2023-11-25").days(until: .on("2023-12-31")))
        // A second check, or a replay, raises nothing again.
        #expect(fold.ledger.dueAlerts(today: .on("2023-11-25"), schedule: Self.schedule, rules: BudgetRules(), simulated: true).isEmpty)
    }

    @Test("on 01/12/2023 each line also has its 30/11 alert, with that day's rates: 1,341% overall")
    func december1() throws {
        var fold = try Fold.sample()
        try raise(&fold, on: "2023-11-25")
        let due = try raise(&fold, on: "2023-12-01")
        #expect(due.count == 3)
        #expect(due.allSatisfy { $0.checkpoint == "30/11" && $0.rule == .behindStraightLine })
        let rates = Dictionary(uniqueKeysWithValues: due.map { ($0.task.description, $0.rateMilliPercent) })
        #expect(rates == ["860/KH-BDT#1": 3_402, "860/KH-BDT#2": 54, "860/KH-BDT#3": 2_241])
        let disbursed = due.reduce(Money.zero) { $0 + $1.disbursed }
        let allocated = due.reduce(Money.zero) { $0 + $1.allocated }
        #expect(Rate(disbursed, of: allocated) == Rate(milliPercent: 1_341))
        // The straight line from 26/6 to 31/12 expects 157 of 188 days by 30/11.
        #expect(due.allSatisfy { $0.expectedMilliPercent == Rate(Money(dong: 157), of: Money(dong: 188))!.milliPercent })
        #expect(due.allSatisfy { $0.deadline == .on("2023-12-31") && $0.daysLeft == 30 })
    }

    @Test("on 01/02/2024 the lapse alerts name 591.954.000 đ remaining under QĐ 569")
    func lapseAlert() throws {
        var fold = try Fold.sample()
        try raise(&fold, on: "2023-12-01")
        let due = try raise(&fold, on: "2024-02-01")
        let lapse = due.filter { $0.rule == .lapse }
        #expect(lapse.count == 3)
        #expect(lapse.reduce(Money.zero) { $0 + $1.remaining } == Money(dong: 591_954_000))
        #expect(lapse.allSatisfy { $0.deadline == .on("2024-01-31") })
        #expect(Set(due.map(\.checkpoint)) == ["15/12", "31/12", "31/01"])
        #expect(lapse.first?.sentence.contains("will lapse (hủy dự toán) unless carried over") == true)
    }

    @Test("disbursements and carry-over recorded before 31/01 take money out of the lapse alert")
    func carryOverBeforeLapse() throws {
        var fold = try Fold.sample()
        fold.today = .on("2024-01-20")
        try fold.run(.disburse(Disburse(task: try TaskID("860/KH-BDT#1"), amount: Money(dong: 96_598_000), date: .on("2023-12-28"),
                                        ref: try PaymentRef("UNC-FULL"))))
        try fold.run(.carryOver(CarryOver(decision: try DecisionRef("25/QĐ-UBND"), from: try DecisionRef("569/QĐ-UBND"), signed: .on("2024-01-15"),
                                          lines: [AllocationLine(task: try TaskID("860/KH-BDT#2"), amount: .trieu(250))])))
        let due = fold.ledger.dueAlerts(today: .on("2024-02-01"), schedule: Self.schedule, rules: BudgetRules(), simulated: false)
        let lapse = due.filter { $0.rule == .lapse && $0.fiscalYear == 2023 }
        // Line 1 is fully disbursed: no alert at all. Line 2 keeps 49.838.000 đ, line 3 195.518.000 đ.
        #expect(!lapse.contains { $0.task.description == "860/KH-BDT#1" })
        #expect(lapse.reduce(Money.zero) { $0 + $1.remaining } == Money(dong: 49_838_000 + 195_518_000))
    }

    @Test("a carried-over line is counted once, in the new year, linked to the old")
    func carryOverCountedOnce() throws {
        var fold = try Fold.sample()
        fold.today = .on("2024-03-01")
        try fold.run(.carryOver(CarryOver(decision: try DecisionRef("25/QĐ-UBND"), from: try DecisionRef("569/QĐ-UBND"), signed: .on("2024-01-15"),
                                          lines: [AllocationLine(task: try TaskID("860/KH-BDT#2"), amount: .trieu(250))])))
        try fold.run(.disburse(Disburse(task: try TaskID("860/KH-BDT#2"), decision: try DecisionRef("25/QĐ-UBND"), amount: .trieu(100),
                                        date: .on("2024-02-20"), ref: try PaymentRef("UNC-2024-1"))))
        let scope = QueryScope(asOf: .on("2024-03-01"))
        // 2023: the old line shows the money carried out; nothing of it remains there.
        let old = try fold.ledger.status(StatusQuery(scope: scope, year: 2023, grouping: .line))
        let line2 = try #require(old.rows.first { $0.task == "860/KH-BDT#2" })
        #expect(line2.allocated == .trieu(300))
        #expect(line2.carriedOut == .trieu(250))
        #expect(line2.remaining == Money(dong: 300_000_000 - 162_000 - 250_000_000))
        #expect(old.carriedRows.isEmpty)
        // 2024: the carried line stands apart from the year's own money, linked to QĐ 569.
        let new = try fold.ledger.status(StatusQuery(scope: scope, year: 2024, grouping: .line))
        #expect(new.rows.isEmpty)
        #expect(new.carriedRows.count == 1)
        #expect(new.carriedRows[0].carriedFrom == "569/QĐ-UBND@QNG/2023")
        #expect(new.carriedRows[0].allocated == .trieu(250))
        #expect(new.carriedRows[0].disbursed == .trieu(100))
        #expect(new.carriedTotal.remaining == .trieu(150))
        // Across all years the money is counted once: 600 triệu allocated, 250 of it carried.
        let all = try fold.ledger.status(StatusQuery(scope: scope, grouping: .decision))
        #expect(all.total.allocated == .trieu(600))
        #expect(all.total.carriedOut == .trieu(250))
        #expect(all.carriedTotal.allocated == .trieu(250))
        #expect(all.total.remaining + all.carriedTotal.remaining == Money(dong: 600_000_000 - 8_046_000 - 100_000_000))
        // More than remains cannot be carried, and the carried line takes 2024's lapse date.
        #expect(throws: TrackerError.self) {
            try fold.run(.carryOver(CarryOver(decision: try DecisionRef("26/QĐ-UBND"), from: try DecisionRef("569/QĐ-UBND"), signed: .on("2024-01-16"),
                                              lines: [AllocationLine(task: try TaskID("860/KH-BDT#2"), amount: .trieu(50))])))
        }
        fold.today = .on("2025-03-01")
        let late = Disburse(task: try TaskID("860/KH-BDT#2"), decision: try DecisionRef("25/QĐ-UBND"), amount: .trieu(1),
                            date: .on("2025-02-01"), ref: try PaymentRef("UNC-LATE"))
        #expect(throws: TrackerError.self) { try fold.run(.disburse(late)) }
    }

    @Test("what remains after 31/01 lapses, and only then")
    func lapse() throws {
        var fold = try Fold.sample()
        fold.today = .on("2024-03-01")
        let early = Lapse(decision: try DecisionRef("569/QĐ-UBND"), date: .on("2024-01-31"), reason: "CV 1/STC")
        #expect(throws: TrackerError.self) { try fold.run(.lapse(early)) }
        try fold.run(.lapse(Lapse(decision: try DecisionRef("569/QĐ-UBND"), date: .on("2024-02-15"), reason: "CV 1/STC")))
        let report = try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on("2024-03-01")), grouping: .decision))
        #expect(report.total.lapsed == Money(dong: 591_954_000))
        #expect(report.total.remaining == .zero)
        // Again: already lapsed, nothing recorded.
        let again = try fold.run(.lapse(Lapse(decision: try DecisionRef("569/QĐ-UBND"), date: .on("2024-02-15"), reason: "CV 1/STC")))
        guard case .unchanged = again else { Issue.record("lapse recorded twice"); return }
        // As of before the lapse, the money still remained.
        let before = try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on("2024-02-14")), grouping: .decision))
        #expect(before.total.lapsed == .zero)
        #expect(before.total.remaining == Money(dong: 591_954_000))
    }

    @Test("agencies are ranked by rate for a year, and those below the province's rate are marked")
    func ranking() throws {
        var fold = try Fold.sample()
        fold.today = .on("2023-12-31")
        // Fund and pay a VP-UBND task in 2023 at a higher rate than BDT's 1,341%.
        try fold.run(.addTask(AddTask(TaskAdded(id: try TaskID("VP-2022#9"), name: "Duy trì hệ thống 2023", period: try YearSpan(first: 2022, last: 2023),
                                                total: .trieu(100), source: .provincial))))
        try fold.run(.allocate(Allocate(FundsAllocated(decision: try DecisionRef("100/QĐ-UBND"), signed: .on("2023-03-01"), fiscalYear: 2023,
                                                       agency: try AgencyID("VP-UBND"), lines: [AllocationLine(task: try TaskID("VP-2022#9"), amount: .trieu(100))]))))
        try fold.run(.disburse(Disburse(task: try TaskID("VP-2022#9"), amount: .trieu(50), date: .on("2023-10-01"), ref: try PaymentRef("VP-1"))))
        let report = try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on("2023-12-31")), year: 2023, grouping: .agency))
        #expect(report.rows.map(\.key).prefix(2) == ["VP-UBND", "BDT"])
        #expect(report.rows[0].rateOfAllocation == Rate(milliPercent: 50_000))
        #expect(report.rows[0].belowAverage == false)
        #expect(report.rows[1].belowAverage == true)
        #expect(report.total.rateOfAllocation == Rate(Money(dong: 58_046_000), of: .trieu(700)))
    }

    @Test("status shows each line's days left and whether it is behind the straight line")
    func straightLine() throws {
        let fold = try Fold.sample()
        let report = try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on("2023-11-30")), grouping: .line))
        for row in report.rows {
            #expect(row.daysLeft == 31)
            #expect(row.expected == YearEnd.straightLine(signed: .on("2023-06-26"), fiscalYear: 2023, on: .on("2023-11-30")))
            #expect(row.behindStraightLine == true)
            #expect(row.allocatedAfterSeptember == false)
        }
        #expect(YearEnd.straightLine(signed: .on("2023-06-26"), fiscalYear: 2023, on: .on("2023-06-26")) == Rate(milliPercent: 0))
        #expect(YearEnd.straightLine(signed: .on("2023-06-26"), fiscalYear: 2023, on: .on("2023-12-31")) == Rate(milliPercent: 100_000))
    }
}
