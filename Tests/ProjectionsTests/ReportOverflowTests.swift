import Events
import Projections
import Testing

/// No sum a query makes can trap: the books refuse what would make a report's total overflow,
/// and a ledger folded from a log an older build accepted answers with an error instead.
@Suite("Report sums never trap")
struct ReportOverflowTests {
    /// A ledger of one agency, plan and task, and whatever `events` add (applied as a log gives them, unchecked).
    static func ledger(_ events: [Event]) throws -> Ledger {
        var fold = Fold(today: .on("2024-06-01"))
        try fold.run(.registerAgency(RegisterAgency(id: try AgencyID("OVF"), name: "Overflow")))
        try fold.run(.createPlan(CreatePlan(PlanCreated(id: try PlanID("OVF"), agency: try AgencyID("OVF"), title: "Large",
                                                        issued: .on("2023-01-02"), period: try YearSpan(first: 2023, last: 2024)))))
        try fold.run(.addTask(AddTask(TaskAdded(id: try TaskID("OVF#1"), name: "Large task", period: try YearSpan(first: 2023, last: 2024),
                                                source: .unspecified))))
        for event in events { fold.append(event) }
        return fold.ledger
    }

    static let nine = Money(dong: 9_000_000_000_000_000_000)

    @Test("a carry-over of 9e18 đ on top of its 9e18 đ line (an older build accepted it): tasks and status answer with an error, not a trap")
    func carriedOverLines() throws {
        let task = try TaskID("OVF#1")
        let ledger = try Self.ledger([
            .fundsAllocated(FundsAllocated(decision: try DecisionRef("1/QĐ-OVF"), signed: .on("2023-02-01"), fiscalYear: 2023,
                                           agency: try AgencyID("OVF"), lines: [AllocationLine(task: task, amount: Self.nine)])),
            .fundsCarriedOver(FundsCarriedOver(decision: try DecisionRef("2/QĐ-OVF"), signed: .on("2023-12-20"), from: try DecisionRef("1/QĐ-OVF"),
                                               fiscalYear: 2024, agency: try AgencyID("OVF"), lines: [AllocationLine(task: task, amount: Self.nine)])),
        ])
        let scope = QueryScope(asOf: .on("2024-06-01"))
        let tasks = trackerError { _ = try ledger.tasks(TaskQuery(scope: scope)) }
        #expect(tasks?.code == .invalidArgument)
        #expect(tasks?.message.contains("18.000.000.000.000.000.000 đ") == true, "\(String(describing: tasks))")
        #expect(trackerError { _ = try ledger.overdue(TaskQuery(scope: scope)) }?.code == .invalidArgument)
        // Own and carried-over money are totalled apart: each fits, every grouping answers.
        for grouping in StatusGrouping.allCases {
            #expect(throws: Never.self) { _ = try ledger.status(StatusQuery(scope: scope, grouping: grouping)) }
        }
        #expect(throws: Never.self) { _ = try ledger.plans(scope: scope) }
        _ = ledger.dueAlerts(today: .on("2024-06-01"), schedule: YearEndTests.schedule, rules: BudgetRules(), simulated: false)
    }

    @Test("as of a day between a payment and its reversal, with a second payment dated earlier, the line's disbursed sum is an error, not a trap")
    func paymentsBeforeAReversal() throws {
        let task = try TaskID("OVF#1")
        let decision = try DecisionRef("1/QĐ-OVF")
        let six = Money(dong: 6_000_000_000_000_000_000)
        let ledger = try Self.ledger([
            .fundsAllocated(FundsAllocated(decision: decision, signed: .on("2023-02-01"), fiscalYear: 2023, agency: try AgencyID("OVF"),
                                           lines: [AllocationLine(task: task, amount: six)])),
            .disbursementRecorded(DisbursementRecorded(task: task, decision: decision, amount: six, date: .on("2023-03-10"), ref: try PaymentRef("A"))),
            .disbursementReversed(DisbursementReversed(ref: try PaymentRef("A"), task: task, decision: decision, amount: six, date: .on("2023-03-20"), reason: "x")),
            .disbursementRecorded(DisbursementRecorded(task: task, decision: decision, amount: six, date: .on("2023-03-05"), ref: try PaymentRef("B"))),
        ])
        let before = QueryScope(asOf: .on("2023-03-15"))
        let status = trackerError { _ = try ledger.status(StatusQuery(scope: before)) }
        #expect(status?.code == .invalidArgument)
        #expect(status?.message.contains("12.000.000.000.000.000.000 đ") == true, "\(String(describing: status))")
        #expect(trackerError { _ = try ledger.tasks(TaskQuery(scope: before)) }?.code == .invalidArgument)
        // Today the reversal counts: 6e18 đ disbursed, 0 đ remaining.
        let now = try ledger.status(StatusQuery(scope: QueryScope(asOf: .on("2024-06-01"))))
        #expect(now.total.disbursed == six && now.total.remaining == .zero)
    }
}
