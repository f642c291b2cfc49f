import Events
import Projections
import Testing

/// data/reorganisation-2025.tracker, loaded after the first sample: who holds what before and after
/// each succession of 2025, every đồng counted once, and the same totals in every grouping.
@Suite("The 2025 reorganisation: each agency's figures before and after each succession")
struct ReorganisationTests {
    let fold: Fold
    init() throws { fold = try Fold.reorganisation() }

    /// Budget year 2025 by agency as of `date`: each row's key, label, allocated and disbursed (triệu).
    private func agencies(on date: String) throws -> [String: (label: String, planned: Money?, allocated: Money, disbursed: Money)] {
        let report = try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on(date)), year: 2025, grouping: .agency))
        return Dictionary(uniqueKeysWithValues: report.rows.map { ($0.key, ($0.label, $0.planned, $0.allocated, $0.disbursed)) })
    }

    private func total(on date: String) throws -> StatusRow {
        try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on(date)), year: 2025, grouping: .agency)).total
    }

    @Test("loading it twice records nothing twice")
    func loadsOnce() throws {
        var fold = fold
        let before = fold.seq
        for entry in try Fold.reorganisationCommands() {
            guard case .unchanged = try fold.run(entry.command) else { Issue.record("line \(entry.line) recorded again"); continue }
        }
        #expect(fold.seq == before)
    }

    @Test("28/02/2025: the old agencies stand with their own figures")
    func beforeTheMerger() throws {
        let rows = try agencies(on: "2025-02-28")
        #expect(rows["STTTT"]?.allocated == .trieu(2_100))
        #expect(rows["STTTT"]?.disbursed == .trieu(150))
        #expect(rows["BDT"]?.allocated == .trieu(70))
        #expect(rows["KT-SKHCN"]?.allocated == .trieu(500))
        #expect(rows["SKHCN"] == nil)
        #expect(rows["SDTTG"] == nil)
        #expect(try total(on: "2025-02-28").allocated == .trieu(2_670))
        #expect(try total(on: "2025-02-28").disbursed == .trieu(150))
    }

    @Test("01/03/2025: SKHCN and SVHTTDL hold STTTT's parts, SDTTG holds BDT's, each marked (formerly …)")
    func fromTheFirstOfMarch() throws {
        let rows = try agencies(on: "2025-03-01")
        #expect(rows["STTTT"] == nil)
        #expect(rows["BDT"] == nil)
        #expect(rows["SKHCN"]?.allocated == .trieu(1_800))
        #expect(rows["SKHCN"]?.disbursed == .trieu(150))
        #expect(rows["SKHCN"]?.planned == .trieu(2_000))
        #expect(rows["SKHCN"]?.label.hasSuffix("(formerly STTTT)") == true)
        #expect(rows["SVHTTDL"]?.allocated == .trieu(300))
        #expect(rows["SVHTTDL"]?.label.hasSuffix("(formerly STTTT)") == true)
        #expect(rows["SDTTG"]?.allocated == .trieu(70))
        #expect(rows["SDTTG"]?.label.hasSuffix("(formerly BDT)") == true)
        #expect(rows["KT-SKHCN"]?.allocated == .trieu(500))
        #expect(try total(on: "2025-03-01").allocated == .trieu(2_670))
        #expect(try total(on: "2025-03-01").disbursed == .trieu(150))
        // The books answer who holds a task the same way (a clerk's scope asks them).
        #expect(fold.books.agency(holding: .task(try TaskID("KH-STTTT-BCXB-2025#1")), on: .on("2025-03-01")) == (try AgencyID("SVHTTDL")))
        #expect(fold.books.agency(holding: .task(try TaskID("KH-STTTT-BCXB-2025#1")), on: .on("2025-02-28")) == (try AgencyID("STTTT")))
    }

    @Test("30/06/2025 and 01/07/2025: Kon Tum's SKHCN stands until the merger, then SKHCN holds it too")
    func konTum() throws {
        let june = try agencies(on: "2025-06-30")
        #expect(june["KT-SKHCN"]?.allocated == .trieu(500))
        #expect(june["KT-SKHCN"]?.disbursed == .trieu(100))
        #expect(june["SKHCN"]?.allocated == .trieu(1_800))
        #expect(june["SKHCN"]?.disbursed == .trieu(350))
        #expect(june["SVHTTDL"]?.disbursed == .trieu(50))
        #expect(june["SDTTG"]?.disbursed == .trieu(20))
        let july = try agencies(on: "2025-07-01")
        #expect(july["KT-SKHCN"] == nil)
        #expect(july["SKHCN"]?.allocated == .trieu(2_300))
        #expect(july["SKHCN"]?.disbursed == .trieu(450))
        #expect(july["SKHCN"]?.label.hasSuffix("(formerly STTTT, KT-SKHCN)") == true)
        for date in ["2025-06-30", "2025-07-01"] {
            #expect(try total(on: date).allocated == .trieu(2_670))
            #expect(try total(on: date).disbursed == .trieu(520))
        }
    }

    @Test("the reversal counts from its payment's day, the amendment from its signing, the refunds from theirs")
    func corrections() throws {
        func line(_ task: String, on date: String) throws -> Ledger.LineFigures {
            let index = try #require(fold.ledger.lineIndex(decision: try DecisionRef("45/QĐ-UBND"), task: try TaskID(task)))
            return try fold.ledger.figures(of: fold.ledger.lines[index], in: QueryScope(asOf: .on(date)))
        }
        #expect(try line("KH-STTTT-2025#2", on: "2025-09-30").disbursed == .zero)
        #expect(try line("KH-STTTT-2025#1", on: "2025-10-14").allocated == .trieu(1_000))
        #expect(try line("KH-STTTT-2025#1", on: "2025-10-15").allocated == .trieu(1_100))
        #expect(try line("KH-STTTT-2025#2", on: "2025-10-15").allocated == .trieu(700))
        #expect(try line("KH-STTTT-2025#1", on: "2025-11-04").disbursed == .trieu(350))
        #expect(try line("KH-STTTT-2025#1", on: "2025-11-05").disbursed == .trieu(330))
        let bdt = try #require(fold.ledger.lineIndex(decision: try DecisionRef("112/QĐ-UBND@QNG/2025"), task: try TaskID("BDT-2025#1")))
        let after = try fold.ledger.figures(of: fold.ledger.lines[bdt], in: QueryScope(asOf: .on("2026-03-01")))
        #expect(after.disbursed == .trieu(15))
        #expect(after.returned == .trieu(5))
        #expect(after.remaining == .trieu(50))
    }

    @Test("two decisions numbered 112/QĐ-UBND, Quảng Ngãi's and Kon Tum's, each stand with their own lines and figures")
    func sameNumber() throws {
        for date in ["2025-02-28", "2025-03-01", "2025-06-30", "2025-07-01"] {
            let report = try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on(date)), year: 2025, grouping: .decision))
            let rows = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.key, $0) })
            let quangNgai = try #require(rows["112/QĐ-UBND@QNG/2025"], "as of \(date): \(rows.keys.sorted())")
            let konTum = try #require(rows["112/QĐ-UBND@KTM/2025"], "as of \(date): \(rows.keys.sorted())")
            #expect(quangNgai.allocated == .trieu(70))
            #expect(konTum.allocated == .trieu(500))
            #expect(quangNgai.label == "QĐ 112/QĐ-UBND (QNG, 2025)")
            #expect(konTum.label == "QĐ 112/QĐ-UBND (KTM, 2025)")
            #expect(report.total.allocated == .trieu(2_670))
        }
        let june = try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on("2025-06-30")), year: 2025, grouping: .decision))
        #expect(june.rows.first { $0.key == "112/QĐ-UBND@QNG/2025" }?.disbursed == .trieu(20))
        #expect(june.rows.first { $0.key == "112/QĐ-UBND@KTM/2025" }?.disbursed == .trieu(100))
        #expect(june.total.disbursed == .trieu(520))
        // The number alone names both: the books refuse it, naming each and the long form to type.
        let error = #expect(throws: TrackerError.self) { try fold.books.resolveDecision(try DecisionRef("112/QD-UBND")) }
        #expect(error?.message.contains("112/QĐ-UBND (QNG, 2025)") == true && error?.message.contains("112/QĐ-UBND (KTM, 2025)") == true,
                "\(error?.message ?? "")")
        #expect(try fold.books.resolveDecision(try DecisionRef("45/QĐ-UBND")).text == "45/QĐ-UBND@QNG/2025", "a number that names one decision")
    }

    @Test("every grouping gives the same planned, allocated and disbursed totals before and after each succession and correction")
    func sameTotals() throws {
        for date in ["2025-02-28", "2025-03-01", "2025-06-30", "2025-07-01", "2025-10-15", "2026-03-01"] {
            for year in [nil, 2025] as [Int?] {
                var seen: [StatusGrouping: [Money?]] = [:]
                for grouping in StatusGrouping.allCases {
                    let total = try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on(date)), year: year, grouping: grouping)).total
                    seen[grouping] = [total.planned, total.allocated, total.disbursed]
                }
                for (grouping, figures) in seen {
                    #expect(figures == seen[.line], "as of \(date), year \(year.map(String.init) ?? "all"): --by \(grouping.rawValue) \(figures)")
                }
            }
        }
    }

    @Test("the seeds' totals still hold with the reorganisation loaded")
    func seeds() throws {
        let report = try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on("2023-11-30")), grouping: .decision))
        let row = try #require(report.rows.first { $0.key == "569/QĐ-UBND@QNG/2023" })
        #expect(row.allocated == .trieu(600))
        #expect(row.disbursed == Money(dong: 8_046_000))
        #expect(row.rateOfAllocation?.description == "1,341%")
        let plans = Dictionary(uniqueKeysWithValues: try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on("2025-12-31")), grouping: .plan)).rows.map { ($0.key, $0.planned) })
        #expect(plans["BDT-2023"] == .trieu(483))
        #expect(plans["VP-2022"] == .trieu(5_840))
        #expect(plans["SVHTTDL-2021-2025"] == .trieu(27_800))
        #expect(plans["BDT-2024"] == .trieu(510))
    }

    @Test("as of a day before the plan revision the task stands as it was; from it on, as revised")
    func revision() throws {
        let id = try TaskID("KH-STTTT-2025#2")
        let task = try #require(fold.ledger.tasks[id])
        #expect(fold.ledger.task(task, in: QueryScope(asOf: .on("2025-10-19"))).event.total == .trieu(800))
        #expect(fold.ledger.task(task, in: QueryScope(asOf: .on("2025-10-20"))).event.total == .trieu(700))
        let planned = { (date: String) throws -> Money? in
            try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on(date)), plan: try PlanID("KH-STTTT-2025"), grouping: .plan)).total.planned
        }
        #expect(try planned("2025-10-19") == .trieu(2_000))
        #expect(try planned("2025-10-20") == .trieu(1_900))
        let history = try fold.ledger.history(of: id, in: QueryScope(asOf: .on("2026-12-01")))
        #expect(history.map(\.kind) == ["added", "allocated", "status", "disbursed", "disbursed", "amended", "revised"])
        #expect(history.last?.text.contains("total 800.000.000 đ → 700.000.000 đ") == true)
    }

    @Test("by province, Kon Tum stands apart until 01/07/2025 and is part of Quảng Ngãi from then on, every đồng once")
    func provinces() throws {
        func rows(_ date: String) throws -> [String: StatusRow] {
            let report = try fold.ledger.status(StatusQuery(scope: QueryScope(asOf: .on(date)), year: 2025, grouping: .province))
            return Dictionary(uniqueKeysWithValues: report.rows.map { ($0.key, $0) })
        }
        let june = try rows("2025-06-30")
        #expect(june["KTM"]?.allocated == .trieu(500))
        #expect(june["QNG"]?.allocated == .trieu(2_170))
        let july = try rows("2025-07-01")
        #expect(july["KTM"] == nil)
        #expect(july["QNG"]?.allocated == .trieu(2_670))
        #expect(july["QNG"]?.label.hasSuffix("(formerly KTM)") == true)
    }
}
