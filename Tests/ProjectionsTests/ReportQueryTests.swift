import Events
import Foundation
import Projections
import Testing

/// The reports' figures, computed from the sample data set and from a ranking fixture, against
/// the documents' own tables.
@Suite("Reports reproduce the documents' tables")
struct ReportQueryTests {
    let fold: Fold
    let report = BusinessDate.on("2023-11-30")

    init() throws { fold = try Fold.sample() }

    private func scope(_ date: BusinessDate) -> QueryScope { QueryScope(asOf: date) }

    @Test("the plan tables give 78/300/5/70/30 (483), the VP's eight amounts (5.840) and SVHTTDL's 27.800 triệu",
          arguments: [("BDT-2023", [78, 300, 5, 70, 30], 483), ("VP-2022", [1_700, 586, 2_000, 700, 250, 100, 204, 300], 5_840),
                      ("SVHTTDL-2021-2025", [7_000, 500, 500, 250, 250, 300, 4_000, 15_000], 27_800)] as [(String, [Int64], Int64)])
    func planTables(plan: String, amounts: [Int64], total: Int64) throws {
        let table = try fold.ledger.planTable(try PlanID(plan), scope: scope(report))
        #expect(table.rows.map(\.amount) == amounts.map { Money.trieu($0) })
        #expect(table.total == .trieu(total))
        #expect(table.rows.map(\.number) == Array(1...amounts.count))
    }

    @Test("a one-year plan shows the year's amounts, a multi-year plan its totals, and the unit column only when units differ")
    func planTableShape() throws {
        let bdt = try fold.ledger.planTable(try PlanID("BDT-2023"), scope: scope(report))
        #expect(bdt.year == 2023)
        #expect(!bdt.showsUnit)
        #expect(bdt.rows[0].sourceName == "NS tỉnh")
        let museum = try fold.ledger.planTable(try PlanID("SVHTTDL-2021-2025"), scope: scope(report))
        #expect(museum.year == nil)
        #expect(museum.showsUnit)
        #expect(museum.rows[5].unit == "Bảo tàng tổng hợp tỉnh")
        #expect(throws: TrackerError.self) { try fold.ledger.planTable(try PlanID("KH-KHONG-CO"), scope: scope(report)) }
    }

    @Test("QĐ 569 as of 30/11/2023: 600 allocated, 8,046 triệu disbursed, 1,341%, with its contractors and the expected 100%")
    func disbursementOfDecision569() throws {
        let d = try fold.ledger.disbursementReport(year: 2023, agency: nil, decision: nil, scope: scope(report))
        #expect(d.total.allocated == .trieu(600))
        #expect(d.total.disbursed == Money(dong: 8_046_000))
        #expect(d.total.rate == Rate(milliPercent: 1_341))
        #expect(d.total.expected == .trieu(600))
        let lines = try #require(d.agencies.first?.decisions.first?.lines)
        #expect(d.agencies.map(\.agency) == ["BDT"])
        #expect(lines.map(\.disbursed) == [Money(dong: 3_402_000), Money(dong: 162_000), Money(dong: 4_482_000)])
        #expect(lines[0].contract?.contractor == "Trung tâm Công nghệ Thông tin và Truyền thông tỉnh Quảng Ngãi")
        #expect(lines[0].contract?.procurement == "chi-dinh-thau")
        #expect(lines[2].contract?.contractor == nil)
        #expect(lines.allSatisfy { $0.expectation?.statedRateMilli == 100_000 && $0.behind && $0.daysLeft == 31 })
        #expect(lines.allSatisfy { !$0.shortOfAllocation && !$0.lapsing })
        // Each figure names its records.
        #expect(lines[0].records.disbursements.count == 1)
        #expect(lines.allSatisfy { $0.records.allocation == lines[0].records.allocation })
    }

    @Test("before the contracts and statements were made the report shows none; after 31/12 what is left is lapsing")
    func disbursementInTime() throws {
        let early = try fold.ledger.disbursementReport(year: 2023, agency: nil, decision: nil, scope: scope(.on("2023-10-01")))
        let lines = try #require(early.agencies.first?.decisions.first?.lines)
        #expect(lines.allSatisfy { $0.contract == nil && $0.expectation == nil && $0.disbursed == .zero })
        let late = try fold.ledger.disbursementReport(year: 2023, agency: nil, decision: nil, scope: scope(.on("2024-02-01")))
        #expect(late.agencies.first?.decisions.first?.lines.allSatisfy(\.lapsing) == true)
    }

    @Test("the ranking fixture: the province's weighted rate is 47,17%; three agencies above it, two below with the gap in đồng")
    func ranking() throws {
        var fixture = Fold(today: .on("2024-10-01"))
        let text = try String(contentsOf: Fold.root.appendingPathComponent("Tests/Fixtures/ranking.tracker"), encoding: .utf8)
        for entry in try ImportFile.parse(text) { try fixture.run(entry.command) }
        let ranking = try fixture.ledger.ranking(year: 2024, scope: QueryScope(asOf: .on("2024-09-30")))
        #expect(ranking.averageMilli == 47_170)
        #expect(ranking.rows.map(\.agency) == ["SYT", "STTTT", "STC", "SGD", "SKHCN"])
        #expect(ranking.rows.map(\.rank) == [1, 2, 3, 4, 5])
        #expect(ranking.rows.map(\.aboveAverage) == [true, true, true, false, false])
        #expect(ranking.above == 3 && ranking.below == 2)
        // 2.000 triệu × 2.500 / 5.300 = 943.396.226,4… đ, rounded up, less the 900 triệu disbursed.
        #expect(ranking.rows[3].gapToAverage == Money(dong: 43_396_227))
        #expect(ranking.rows[4].gapToAverage == Money(dong: 407_547_170))
        #expect(ranking.rows[0].gapToAverage == .zero)
        #expect(ranking.total.allocated == .trieu(5_300) && ranking.total.disbursed == .trieu(2_500))
        // Before any payment every agency is at 0%, level with the average: all share rank 1.
        let before = try fixture.ledger.ranking(year: 2024, scope: QueryScope(asOf: .on("2024-06-30")))
        #expect(before.rows.allSatisfy { $0.rank == 1 && $0.aboveAverage })
    }

    @Test("the overdue report counts the four outcome classes per agency and lists each overdue task with its days")
    func overdue() throws {
        let o = try fold.ledger.overdueReport(agency: nil, scope: scope(.on("2024-01-02")))
        #expect(o.agencies.map(\.agency) == ["BDT", "VP-UBND", "SVHTTDL"])
        let bdt = try #require(o.agencies.first)
        #expect(bdt.counts.completedOnTime == 2)
        #expect(bdt.counts.overdue == bdt.tasks.count)
        #expect(bdt.tasks.first?.task == "560/KH-BDT#1" && bdt.tasks.first?.daysOverdue == 367)
        #expect(bdt.counts.tasks == bdt.counts.completedOnTime + bdt.counts.completedLate + bdt.counts.withinDeadline + bdt.counts.overdue + bdt.counts.cancelled)
        #expect(o.counts.overdue == o.agencies.reduce(0) { $0 + $1.tasks.count })
        #expect(o.agencies[1].counts.overdue == 8)
    }

    @Test("the ledger counts every record by type")
    func recordCounts() throws {
        let counts = Dictionary(uniqueKeysWithValues: fold.ledger.recordCounts.map { ($0.type, $0.count) })
        #expect(counts.values.reduce(0, +) == Int(fold.seq))
        #expect(counts["contract.signed"] == 3 && counts["disbursement.expected"] == 3 && counts["agency.registered"] == 3)
    }

    @Test("contracts, expectations and reports issued: the same fact again records nothing, another under the same key is a conflict")
    func reportingFactsAreIdempotent() throws {
        var fold = fold
        let before = fold.seq
        let again = try CommandSyntax.parse(["expect", "860/KH-BDT#1", "100%", "--by", "2023-12-31", "--date", "2023-11-30"])
        guard case .unchanged = try fold.run(again) else { Issue.record("recorded twice"); return }
        let other = try CommandSyntax.parse(["expect", "860/KH-BDT#1", "80%", "--by", "2023-12-31", "--date", "2023-11-30"])
        #expect(throws: TrackerError.self) { try fold.run(other) }
        let tooMuch = try CommandSyntax.parse(["expect", "860/KH-BDT#1", "200tr", "--by", "2023-12-31", "--date", "2023-12-01"])
        #expect(throws: TrackerError.self) { try fold.run(tooMuch) }
        let unfunded = try CommandSyntax.parse(["expect", "BDT-2024#1", "100%", "--by", "2024-12-31", "--date", "2023-12-01"])
        #expect(throws: TrackerError.self) { try fold.run(unfunded) }
        let contract = try CommandSyntax.parse(["contract", "add", "860/KH-BDT#3", "--date", "2023-11-30", "--procurement", "dau-thau",
                                                "--value", "0đ"])
        #expect(throws: TrackerError.self) { try fold.run(contract) }
        #expect(fold.seq == before)
        // A later statement replaces the earlier one in reports dated after it.
        try fold.run(try CommandSyntax.parse(["expect", "860/KH-BDT#1", "50tr", "--by", "2023-12-31", "--date", "2023-12-10"]))
        let d = try fold.ledger.disbursementReport(year: 2023, agency: nil, decision: nil, scope: QueryScope(asOf: .on("2023-12-15")))
        #expect(d.agencies[0].decisions[0].lines[0].expectation?.amount == .trieu(50))
        #expect(d.agencies[0].decisions[0].lines[0].shortOfAllocation)
        let earlier = try fold.ledger.disbursementReport(year: 2023, agency: nil, decision: nil, scope: QueryScope(asOf: .on("2023-12-01")))
        #expect(earlier.agencies[0].decisions[0].lines[0].expectation?.amount == .trieu(100))
    }

    @Test("rates are read as the documents write them and refused past 100% or with four decimals",
          arguments: [("100%", 100_000 as Int64?), ("60,5%", 60_500), ("99.125 %", 99_125), ("3tr", nil)] as [(String, Int64?)])
    func expectedRates(text: String, milli: Int64?) throws {
        #expect(try RecordExpectation.rate(text) == milli)
    }

    @Test("bad expected rates are refused", arguments: ["101%", "0%", "1,2345%", "-5%", "abc%", "%"])
    func badRates(text: String) {
        #expect(throws: TrackerError.self) { try RecordExpectation.rate(text) }
    }

    @Test("the report answer survives its JSON trip, and money as a plain number keeps every đồng it shows")
    func answerRoundTrip() throws {
        var answer = ReportAnswer(kind: .disbursement, letterhead: Letterhead(superior: "UBND TỈNH QUẢNG NGÃI", office: "BAN DÂN TỘC", place: "Quảng Ngãi",
                                                                              headTitle: "TRƯỞNG BAN"), today: .on("2023-12-01"), simulated: true)
        answer.disbursement = try fold.ledger.disbursementReport(year: 2023, agency: nil, decision: nil, scope: scope(report))
        var w = JSONWriter()
        w.beginObject()
        w.key("report"); w.raw(answer.encoded())
        w.endObject()
        guard case .object(let result) = try JSONParser().parse(w.bytes) else { Issue.record("not an object"); return }
        #expect(try ReportAnswer(in: result) == answer)
        #expect(Money(dong: 3_402_000).plainNumber(.trieu, decimals: 3, decimalMark: ",") == "3,402")
        #expect(Money(dong: 162_000).plainNumber(.trieu, decimals: 3, decimalMark: ".") == "0.162")
        #expect(Money(dong: 1_500).plainNumber(.trieu, decimals: 3, decimalMark: ".") == "0.002")
        #expect(Money(dong: -600_000_000).plainNumber(.dong, decimals: 0, decimalMark: ",") == "-600000000")
        #expect(Money(dong: 1_700_000_000).vietnameseDigits(.trieu) == "1.700")
        #expect(Money(dong: 8_046_000).vietnameseDigits(.trieu) == "8,046")
        #expect(Rate(milliPercent: 1_341).plainNumber(decimalMark: ",") == "1,341")
        #expect(Rate(milliPercent: 100_000).plainNumber(decimalMark: ".") == "100.000")
    }

    @Test("the monthly form: November's actual, December's estimate from the agencies' 100% by 31/12, the thirteenth month against 2023's money")
    func monthlyForm() throws {
        let november = try fold.ledger.monthlyReport(try ReportMonth("2023-11"), agency: nil, scope: scope(report))
        #expect(november.monthOver)
        #expect(november.rows.map(\.source) == ["ns-tinh"])
        #expect(november.total.yearPlan == .trieu(600) && november.total.extendedPlan == .zero)
        #expect(november.total.disbursedToPreviousMonth == .zero)
        #expect(november.total.estimateToMonthEnd == Money(dong: 8_046_000))
        #expect(november.total.rate == Rate(milliPercent: 1_341))
        let december = try fold.ledger.monthlyReport(try ReportMonth("2023-12"), agency: nil, scope: scope(.on("2023-12-20")))
        #expect(!december.monthOver)
        #expect(december.total.disbursedToPreviousMonth == Money(dong: 8_046_000))
        #expect(december.total.estimateToMonthEnd == .trieu(600) && december.total.fromExpectations == 3)
        let thirteenth = try fold.ledger.monthlyReport(try ReportMonth("2023-13"), agency: try AgencyID("BDT"), scope: scope(.on("2024-02-01")))
        #expect(thirteenth.month.first == .on("2024-01-01") && thirteenth.month.last == .on("2024-01-31") && thirteenth.month.previousEnd == .on("2023-12-31"))
        #expect(thirteenth.monthOver && thirteenth.total.estimateToMonthEnd == Money(dong: 8_046_000) && thirteenth.total.fromExpectations == 0)
        // A month before the decision was signed counts nothing of it.
        #expect(try fold.ledger.monthlyReport(try ReportMonth("2023-05"), agency: nil, scope: scope(report)).rows.isEmpty)
    }

    @Test("reporting months are written YYYY-MM, 01 to 13", arguments: ["2023-14", "2023-00", "2023-1", "23-11", "2023/11", "2199-05"])
    func badMonths(text: String) {
        #expect(throws: TrackerError.self) { try ReportMonth(text) }
    }
}
