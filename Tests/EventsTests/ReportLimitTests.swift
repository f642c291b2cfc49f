import Foundation
import Testing
@testable import Events

/// Commands whose effect would let a report's total pass Int64 are refused with the numbers.
@Suite struct ReportLimitTests {
    static let nine = Money(dong: 9_000_000_000_000_000_000)

    /// The sample's setup plus a task OVF-1#1 of BDT funded with `amount` under 1/QĐ-OVF.
    static func funded(_ amount: Money) throws -> BooksFold {
        var fold = BooksFold(context: CommandContext(today: Make.date("2024-06-01")))
        try fold.run(Sample.setupCommands())
        try fold.run(.createPlan(CreatePlan(PlanCreated(id: Make.plan("OVF-1"), agency: Sample.bdt, title: "Large", issued: Make.date("2023-01-02"),
                                                        period: Make.years(2023, 2024)))))
        try fold.run(.addTask(AddTask(TaskAdded(id: Make.task("OVF-1#1"), name: "Large", period: Make.years(2023, 2024), source: .unspecified))))
        try fold.run(.allocate(Allocate(FundsAllocated(decision: Make.decision("1/QĐ-OVF"), signed: Make.date("2023-02-01"), fiscalYear: 2023,
                                                       agency: Sample.bdt, lines: [AllocationLine(task: Make.task("OVF-1#1"), amount: amount)]))))
        return fold
    }

    @Test("a carry-over counts with the lines it came from: 9e18 đ carried over in full is refused, naming the sums")
    func carryOver() throws {
        var fold = try Self.funded(Self.nine)
        #expect(fold.books.allocatedSum == Money(dong: 9_000_000_000_600_000_000))
        let carry = Command.carryOver(CarryOver(decision: Make.decision("2/QĐ-OVF"), from: Make.decision("1/QĐ-OVF"), signed: Make.date("2023-12-20"),
                                                lines: [AllocationLine(task: Make.task("OVF-1#1"), amount: Self.nine)]))
        let error = fold.refusal(carry)
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "carry-over 2/QĐ-OVF (QNG, 2023): its lines (9.000.000.000.000.000.000 đ) would bring the money allocated on every line, own and carried over, to 18.000.000.000.600.000.000 đ, more than the 9.223.372.036.854.775.807 đ a report can total (9.000.000.000.600.000.000 đ so far); amounts this large cannot be right")
        #expect(error?.details?["recorded"] == .int(9_000_000_000_600_000_000))
        // A smaller one fits, and counts.
        try fold.run(.carryOver(CarryOver(decision: Make.decision("3/QĐ-OVF"), from: Make.decision("1/QĐ-OVF"), signed: Make.date("2023-12-20"),
                                          lines: [AllocationLine(task: Make.task("OVF-1#1"), amount: Money(dong: 1_000_000))])))
        #expect(fold.books.allocatedSum == Money(dong: 9_000_000_000_601_000_000))
    }

    @Test("disbursements count without their reversals: paying 6e18 đ again after a reversal is refused")
    func grossDisbursements() throws {
        let six = Money(dong: 6_000_000_000_000_000_000)
        var fold = try Self.funded(six)
        try fold.run(.disburse(Disburse(task: Make.task("OVF-1#1"), amount: six, date: Make.date("2023-03-10"), ref: Make.ref("A"))))
        try fold.run(.reverse(Reverse(ref: Make.ref("A"), reason: "twice", date: Make.date("2023-03-20"))))
        #expect(fold.books.disbursedGross == six)
        let again = fold.refusal(.disburse(Disburse(task: Make.task("OVF-1#1"), amount: six, date: Make.date("2023-03-05"), ref: Make.ref("B"))))
        #expect(again?.code == .invalidArgument)
        #expect(again?.message.hasPrefix("the disbursement (6.000.000.000.000.000.000 đ) would bring the disbursements recorded, reversals not subtracted") == true,
                "\(String(describing: again))")
        // What the books keep is what a replay or a snapshot gives back.
        let replayed = BooksFold.fold(fold.events.map(\.event))
        #expect(replayed.disbursedGross == fold.books.disbursedGross && replayed.allocatedSum == fold.books.allocatedSum)
        var restored = replayed
        restored.restoreSums()
        #expect(restored.disbursedGross == six && restored.allocatedSum == replayed.allocatedSum)
    }
}
