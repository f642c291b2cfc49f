import Foundation
import Testing
@testable import Events

/// No business date outside the years the log's reader accepts can be made, so none can be written.
@Suite struct DateRangeTests {
    @Test("every way of making a date stops at 01/01/1950 and 31/12/2199")
    func datesStayInTheReadableYears() throws {
        #expect(BusinessDate.first.description == "1950-01-01")
        #expect(BusinessDate.last.description == "2199-12-31")
        #expect(BusinessDate.last.adding(days: 1) == nil)
        #expect(BusinessDate.first.adding(days: -1) == nil)
        #expect(BusinessDate.first.adding(days: Int.max) == nil)
        #expect(BusinessDate.last.adding(days: 0) == BusinessDate.last)
        #expect(BusinessDate(dayNumber: BusinessDate.last.dayNumber + 1) == nil)
        #expect(BusinessDate(dayNumber: BusinessDate.first.dayNumber - 1) == nil)
        #expect(BusinessDate(dayNumber: .max) == nil)
        #expect(BusinessDate.endOfYear(2200) == nil)
        #expect(BusinessDate.startOfYear(1949) == nil)
        #expect(BusinessDate.endOfMonth(2200, 1) == nil)
        #expect(BusinessDate.endOfMonth(2023, 13) == nil)
        // 2199-12-31T23:00Z is already 01/01/2200 in Asia/Ho_Chi_Minh: no date, but words for it.
        let late = try Timestamp.parse("2199-12-31T23:00:00Z")
        #expect(BusinessDate(vietnamAt: late) == nil)
        #expect(BusinessDate.vietnameseText(at: late) == "01/01/2200")
        #expect(BusinessDate(vietnamAt: try Timestamp.parse("2199-12-31T16:59:59Z")) == BusinessDate.last)
        // The end of the last day is a time like any other.
        #expect(try Timestamp.parse("2199-12-31") == Timestamp(microseconds: Timestamp(startOf: BusinessDate.last).microseconds + 86_400_000_000 - 1))
    }

    @Test("record times are readable from 1950-01-01T00:00Z up to 2200-01-01T00:00Z, exactly the years the reader takes")
    func recordTimes() throws {
        let range = Timestamp.recordable
        #expect(range.lowerBound.description == "1950-01-01T00:00:00.000000Z")
        #expect(range.upperBound.description == "2200-01-01T00:00:00.000000Z")
        for time in [range.lowerBound, Timestamp(microseconds: range.upperBound.microseconds - 1)] {
            var bytes: [UInt8] = []
            time.write(to: &bytes)
            #expect(bytes.withUnsafeBytes { Timestamp.parseRecordTime($0) } == time, "\(time) reads back")
        }
        for time in [Timestamp(microseconds: range.lowerBound.microseconds - 1), range.upperBound] {
            var bytes: [UInt8] = []
            time.write(to: &bytes)
            #expect(bytes.withUnsafeBytes { Timestamp.parseRecordTime($0) } == nil, "\(time) would not read back")
        }
    }

    @Test("budget year 2199 has no lapse date within the log's years: its money can be paid out to 31/12/2199 and cannot lapse")
    func lastBudgetYear() throws {
        let rules = BudgetRules()
        #expect(rules.lapseDate(of: 2198) == Make.date("2199-01-31"))
        #expect(rules.lapseDate(of: 2199) == nil)
        var fold = BooksFold(context: CommandContext(today: Make.date("2199-12-31")))
        try fold.run([.registerAgency(RegisterAgency(id: Make.agency("END"), name: "End")),
                      .createPlan(CreatePlan(PlanCreated(id: Make.plan("END-2199"), agency: Make.agency("END"), title: "Last",
                                                         issued: Make.date("2198-12-01"), period: Make.years(2199, 2199)))),
                      .addTask(AddTask(TaskAdded(id: Make.task("END-2199#1"), name: "Last task", period: Make.years(2199, 2199), source: .unspecified))),
                      .allocate(Allocate(FundsAllocated(decision: Make.decision("1/QĐ-END"), signed: Make.date("2198-12-30"), fiscalYear: 2199,
                                                        agency: Make.agency("END"), lines: [AllocationLine(task: Make.task("END-2199#1"), amount: Make.triệu(10))])))])
        try fold.run(.disburse(Disburse(task: Make.task("END-2199#1"), amount: Make.triệu(1), date: Make.date("2199-12-31"), ref: Make.ref("LAST"))))
        let lapse = fold.refusal(.lapse(Lapse(decision: Make.decision("1/QĐ-END"), date: Make.date("2199-12-31"), reason: "end")))
        #expect(lapse?.code == .invalidArgument)
        let carry = fold.refusal(.carryOver(CarryOver(decision: Make.decision("2/QĐ-END"), from: Make.decision("1/QĐ-END"), signed: Make.date("2199-12-31"),
                                                      lines: [AllocationLine(task: Make.task("END-2199#1"), amount: Make.triệu(1))])))
        #expect(carry?.code == .invalidArgument)
        #expect(carry?.message.contains("into 2200") == true, "\(String(describing: carry))")
        // Every record the books made reads back.
        var chain = RecordChain()
        for (_, event) in fold.events {
            let line = chain.encode([event])
            #expect(throws: Never.self) { _ = try line.dropLast().withUnsafeBytes { try RecordCodec.decode($0) } }
        }
    }
}
