import Foundation
import Testing
@testable import Events

/// Decisions known by issuer, number and year: the long form `NUMBER@ISSUER/YEAR`, a number alone
/// where it names one decision, and records of older builds keyed when read.
@Suite struct DocumentKeyTests {
    @Test("the long form reads as number, issuer and year, prints back as typed and names itself plainly")
    func longForm() throws {
        let ref = try DecisionRef("569/QĐ-UBND@QNG/2023")
        let key = try #require(DocumentKey(ref))
        #expect(key.number.text == "569/QĐ-UBND" && key.issuer == "QNG" && key.year == 2023)
        #expect(key.ref.text == "569/QĐ-UBND@QNG/2023")
        #expect(key.description == "569/QĐ-UBND (QNG, 2023)")
        #expect(ref.description == "569/QĐ-UBND (QNG, 2023)")
        #expect(ref == (try DecisionRef("569/qd-ubnd@QNG/2023")), "the number matches as everywhere, ignoring case and diacritics")
        #expect(ref != (try DecisionRef("569/QĐ-UBND@QNG/2024")))
        #expect(ref != (try DecisionRef("569/QĐ-UBND@KTM/2023")))
        #expect(DocumentKey(try DecisionRef("569/QĐ-UBND")) == nil)
        #expect(DocumentKey.number(of: ref) == (try DecisionRef("569/QĐ-UBND")))
    }

    @Test("a long form with no issuer, an issuer of other characters, or a year not of four digits is refused, showing the form",
          arguments: ["569/QĐ-UBND@QNG", "569/QĐ-UBND@Q_N/2023", "569/QĐ-UBND@QNG/23", "569/QĐ-UBND@/2023", "569/QĐ-UBND@QNG/2023/1",
                      "@QNG/2023", "569/QĐ-UBND@Q.N/2023", "569/QĐ-UBND@QNG/1800", "569/QĐ-UBND@QNG@KTM/2023"])
    func refused(text: String) {
        let error = ValuesTests.error { () throws(TrackerError) in _ = try DecisionRef(text) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("NUMBER@ISSUER/YEAR") == true || error?.message.contains("is not a decision number") == true, "\(error?.message ?? "")")
    }

    /// The sample, with a second 569/QĐ-UBND of 2023 from another issuer (a ministry's, `BTC`) funding task 1 again.
    static func twoOf569() throws -> BooksFold {
        var fold = BooksTests.funded()
        try fold.run(.allocate(Allocate(FundsAllocated(decision: Make.decision("569/QĐ-UBND@BTC/2023"), signed: Make.date("2023-07-10"),
                                                      fiscalYear: 2023, agency: Sample.bdt,
                                                      lines: [AllocationLine(task: Sample.task1, amount: Make.triệu(50))]))))
        return fold
    }

    @Test("a new decision by number alone is issued by its agency's province in the year it is signed; its long form must name that year")
    func issued() throws {
        let fold = BooksTests.funded()
        #expect(fold.books.decisions.keys.map(\.text) == ["569/QĐ-UBND@QNG/2023"])
        let wrongYear = fold.refusal(.allocate(Allocate(FundsAllocated(decision: Make.decision("7/QĐ-UBND@QNG/2022"), signed: Make.date("2023-07-01"),
                                                                       fiscalYear: 2023, agency: Sample.bdt,
                                                                       lines: [AllocationLine(task: Sample.task1, amount: Make.triệu(1))]))))
        #expect(wrongYear?.code == .invalidArgument)
        #expect(wrongYear?.message == "decision 7/QĐ-UBND@QNG/2022 names the year 2022 but is signed 01/07/2023; the year of its long form is the year of signing (numbers restart every year)")
        // An issuer typed in lowercase is recorded in capitals (and matches either way).
        var lower = fold
        _ = try lower.run(.allocate(Allocate(FundsAllocated(decision: Make.decision("7/QĐ-UBND@btc/2023"), signed: Make.date("2023-07-01"),
                                                           fiscalYear: 2023, agency: Sample.bdt, lines: [AllocationLine(task: Sample.task1, amount: Make.triệu(1))]))))
        #expect(lower.books.decisions[Make.decision("7/QĐ-UBND@BTC/2023")]?.decision.text == "7/QĐ-UBND@BTC/2023")
        // The same number from another issuer, or of another year, is another decision.
        let two = try Self.twoOf569()
        #expect(Set(two.books.decisions.keys.map(\.text)) == ["569/QĐ-UBND@QNG/2023", "569/QĐ-UBND@BTC/2023"])
        #expect(two.books.line(decision: Make.decision("569/QĐ-UBND@BTC/2023"), task: Sample.task1)?.allocated == Make.triệu(50))
    }

    @Test("a number shared by two decisions is refused as ambiguous, naming both and the long form; the long form pays")
    func ambiguous() throws {
        var fold = try Self.twoOf569()
        let error = fold.refusal(Sample.disburse(Sample.task1, Make.triệu(1), ref: "R-1", decision: Make.decision("569/QD-UBND")))
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "decision 569/QD-UBND is ambiguous: 2 decisions have that number (569/QĐ-UBND (QNG, 2023); 569/QĐ-UBND (BTC, 2023)); name one in its long form NUMBER@ISSUER/YEAR, e.g. 569/QĐ-UBND@BTC/2023")
        for command in [Command.lapse(Lapse(decision: Make.decision("569/QĐ-UBND"), date: Make.date("2023-11-30"), reason: "x")),
                        .amend(Amend(decision: Make.decision("900/QĐ-UBND"), amends: Make.decision("569/QĐ-UBND"), signed: Make.date("2023-11-01"),
                                     reason: "x", set: [AllocationLine(task: Sample.task1, amount: Make.triệu(90))])),
                        .carryOver(CarryOver(decision: Make.decision("901/QĐ-UBND"), from: Make.decision("569/QĐ-UBND"), signed: Make.date("2023-11-30"),
                                             lines: [AllocationLine(task: Sample.task1, amount: Make.triệu(1))]))] {
            #expect(fold.refusal(command)?.message.hasPrefix("decision 569/QĐ-UBND is ambiguous: 2 decisions") == true, "\(command)")
        }
        guard case .record(let events) = try fold.run(Sample.disburse(Sample.task1, Make.triệu(1), ref: "R-1", decision: Make.decision("569/QĐ-UBND@BTC/2023"))),
              case .disbursementRecorded(let paid) = events.first else { Issue.record("not recorded"); return }
        #expect(paid.decision.text == "569/QĐ-UBND@BTC/2023")
        #expect(fold.books.line(decision: Make.decision("569/QĐ-UBND@BTC/2023"), task: Sample.task1)?.disbursed == Make.triệu(1))
        #expect(fold.books.line(decision: Make.decision("569/QĐ-UBND@QNG/2023"), task: Sample.task1)?.disbursed == .zero)
        // An amendment by number alone is issued by the issuer of the decision it amends.
        guard case .record(let amended) = try fold.run(.amend(Amend(decision: Make.decision("900/QĐ-UBND"), amends: Make.decision("569/QĐ-UBND@QNG/2023"),
                                                                    signed: Make.date("2023-11-01"), reason: "điều chỉnh",
                                                                    set: [AllocationLine(task: Sample.task1, amount: Make.triệu(90))]))),
              case .fundsAmended(let amendment) = amended.first else { Issue.record("not amended"); return }
        #expect(amendment.decision.text == "900/QĐ-UBND@QNG/2023" && amendment.amends.text == "569/QĐ-UBND@QNG/2023")
    }

    @Test("a decision by number alone is its agency's province's on its signing day: Kon Tum's before the merger, Quảng Ngãi's from 01/07/2025")
    func mergedProvince() throws {
        var fold = BooksFold(context: CommandContext(today: Make.date("2025-12-01")))
        let ktm = Make.agency("KT-SKHCN")
        let plan = Make.plan("KH-KT-2025")
        let task = TaskID(plan: plan, number: 1)
        try fold.run([.registerAgency(RegisterAgency(id: ktm, name: "Sở KH&CN Kon Tum", province: "KTM")),
                      .createPlan(CreatePlan(PlanCreated(id: plan, agency: ktm, title: "KH", issued: Make.date("2025-01-02"), period: Make.years(2025, 2025)))),
                      .addTask(AddTask(TaskAdded(id: task, name: "Hạ tầng", period: Make.years(2025, 2025), total: Make.triệu(10), source: .provincial))),
                      .allocate(Allocate(FundsAllocated(decision: Make.decision("112/QĐ-UBND"), signed: Make.date("2025-02-01"), fiscalYear: 2025,
                                                        agency: ktm, lines: [AllocationLine(task: task, amount: Make.triệu(4))]))),
                      .succeedProvince(SucceedProvince(ProvinceSucceeded(from: "KTM", to: "QNG", effective: Make.date("2025-07-01"), decision: "NQ 202/2025/QH15"))),
                      .allocate(Allocate(FundsAllocated(decision: Make.decision("112/QĐ-UBND"), signed: Make.date("2025-08-01"), fiscalYear: 2025,
                                                        agency: ktm, lines: [AllocationLine(task: task, amount: Make.triệu(5))])))])
        #expect(Set(fold.books.decisions.keys.map(\.text)) == ["112/QĐ-UBND@KTM/2025", "112/QĐ-UBND@QNG/2025"])
        // Read back as an older build wrote them (numbers alone), the same keys.
        var old = fold.events.map(\.event)
        for index in old.indices {
            if case .fundsAllocated(var e) = old[index] { e.decision = DocumentKey(e.decision)!.number; old[index] = .fundsAllocated(e) }
        }
        #expect(Set(BooksFold.fold(old).decisions.keys.map(\.text)) == ["112/QĐ-UBND@KTM/2025", "112/QĐ-UBND@QNG/2025"])
    }

    @Test("a record of an older build naming a number alone is keyed when read: its agency's province, its signing year")
    func oldRecords() throws {
        let ktm = Make.agency("KT-SKHCN")
        let plan = Make.plan("KH-KT-2025")
        let task = TaskID(plan: plan, number: 1)
        let books = BooksFold.fold([
            .agencyRegistered(AgencyRegistered(id: Sample.bdt, name: "Ban Dân tộc tỉnh", note: nil, province: nil)),
            .agencyRegistered(AgencyRegistered(id: ktm, name: "Sở KH&CN Kon Tum", note: nil, province: "KTM")),
            .planCreated(PlanCreated(id: plan, agency: ktm, title: "KH", issued: Make.date("2025-01-02"), period: Make.years(2025, 2025))),
            .taskAdded(TaskAdded(id: task, name: "Hạ tầng", period: Make.years(2025, 2025), total: Make.triệu(10), yearly: [], source: .provincial)),
            .fundsAllocated(FundsAllocated(decision: Make.decision("112/QĐ-UBND"), signed: Make.date("2025-02-01"), fiscalYear: 2025, agency: ktm,
                                           lines: [AllocationLine(task: task, amount: Make.triệu(10))])),
            .disbursementRecorded(DisbursementRecorded(task: task, decision: Make.decision("112/QD-UBND"), amount: Make.triệu(4),
                                                       date: Make.date("2025-03-01"), ref: Make.ref("R-1"))),
        ])
        #expect(books.decisions.keys.map(\.text) == ["112/QĐ-UBND@KTM/2025"])
        #expect(books.line(decision: Make.decision("112/QĐ-UBND@KTM/2025"), task: task)?.disbursed == Make.triệu(4))
    }
}
