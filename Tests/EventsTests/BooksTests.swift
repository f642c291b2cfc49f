import Foundation
import Testing
@testable import Events

/// The write model as a pure fold: `Books.decide` refuses or returns events, `Books.apply` folds
/// them in, `Books.undo` takes them back. No I/O.
@Suite struct BooksTests {

    // MARK: Helpers

    /// Books with the sample's agencies, plan, tasks and allocation (planned → funded included).
    static func funded() -> BooksFold {
        var fold = BooksFold()
        try! fold.run(Sample.setupCommands())
        return fold
    }

    /// Books with the setup and the three disbursements of seed 003.
    static func disbursed() -> BooksFold {
        var fold = BooksFold()
        try! fold.run(Sample.commands())
        return fold
    }

    static func events(_ outcome: CommandOutcome) -> [Event] {
        if case .record(let events) = outcome { return events }
        return []
    }

    /// A comparable summary of the books: counts and sums, ignoring dictionary order.
    struct Summary: Equatable, CustomStringConvertible {
        var agencies: Int
        var plans: Int
        var tasks: Int
        var decisions: Int
        var lines: Int
        var payments: Int
        var reversed: Int
        var allocated: Int64
        var disbursed: Int64
        var lastSeq: UInt64
        var statuses: [String]
        var taskCounts: [String]
        var lineSums: [String]

        init(_ books: Books) {
            agencies = books.agencies.count
            plans = books.plans.count
            tasks = books.tasks.count
            decisions = books.decisions.count
            lines = books.lines.count
            payments = books.payments.count
            reversed = books.payments.values.filter { $0.reversedSeq != 0 }.count
            allocated = books.lines.reduce(0) { $0 + $1.allocated.dong }
            disbursed = books.lines.reduce(0) { $0 + $1.disbursed.dong }
            lastSeq = books.lastSeq
            statuses = books.tasks.values.map { "\($0.event.id) \($0.status.rawValue) \($0.statusDate) changes \($0.changes.map(\.seq)) lines \($0.lines)" }.sorted()
            taskCounts = books.plans.values.map { "\($0.event.id) \($0.taskCount)" }.sorted()
            lineSums = books.lines.map { "\($0.decision) \($0.task) \($0.allocated.dong) \($0.disbursed.dong)" }
                + books.lineIndex.map { "\($0.key.decision)|\($0.key.task) → \($0.value)" }.sorted()
        }

        var description: String { "\(agencies) agencies, \(plans) plans, \(tasks) tasks, \(lines) lines, \(payments) payments (\(reversed) reversed), \(disbursed) of \(allocated) đ, seq \(lastSeq)" }
    }

    // MARK: The sample fold

    @Test("The sample of seed 003 folds to 600 triệu allocated and 8,046 triệu disbursed")
    func sampleFold() throws {
        let fold = Self.disbursed()
        let books = fold.books
        #expect(books.agencies.count == 2)
        #expect(books.plans[Sample.plan]?.taskCount == 3)
        #expect(books.tasks.count == 3)
        #expect(books.decisions.count == 1)
        #expect(books.lines.count == 3)
        #expect(books.lines.reduce(Money.zero) { $0 + $1.allocated } == Make.triệu(600))
        #expect(books.lines.reduce(Money.zero) { $0 + $1.disbursed } == Make.money("8,046 triệu"))
        #expect(books.line(decision: Sample.decision, task: Sample.task1)?.remaining == Money(dong: 100_000_000 - 3_402_000))
        #expect(books.line(decision: Make.decision("569/QD-UBND"), task: Sample.task1) != nil, "lines are found with the folded decision number")
        #expect(books.payments.count == 3)
        #expect(books.lastSeq == UInt64(fold.events.count))
        #expect(fold.events.count == 3 + 3 + 1 + 3 + 3, "agencies and plan, tasks, allocation, planned→funded ×3, disbursements")
    }

    // MARK: Unknown things

    @Test("A plan for an unregistered agency is refused with not_found")
    func unknownAgencyForPlan() {
        let fold = BooksFold()
        let error = fold.refusal(Sample.createPlan())
        #expect(error?.code == .notFound)
        #expect(error?.message == "agency BDT is not registered")
    }

    @Test("An allocation to an unregistered agency is refused with not_found")
    func unknownAgencyForAllocation() {
        let fold = Self.funded()
        var allocation = FundsAllocated(decision: Make.decision("1/QĐ-UBND"), signed: Make.date("2023-07-01"), fiscalYear: 2023,
                                        agency: Make.agency("SVHTTDL"), lines: [AllocationLine(task: Sample.task1, amount: Make.triệu(1))])
        #expect(fold.refusal(.allocate(Allocate(allocation)))?.code == .notFound)
        allocation.agency = Sample.bdt
        #expect(fold.refusal(.allocate(Allocate(allocation))) == nil)
    }

    @Test("A task of an unrecorded plan is refused with not_found")
    func unknownPlan() {
        var fold = BooksFold()
        try! fold.run([Sample.registerBDT()])
        let error = fold.refusal(Sample.addTask(1, "X"))
        #expect(error?.code == .notFound)
        #expect(error?.message == "plan 860/KH-BDT is not recorded")
    }

    @Test("Unknown tasks are refused with not_found wherever they are named")
    func unknownTasks() {
        let fold = Self.funded()
        let task4 = Make.task("860/KH-BDT#4")
        let disburse = fold.refusal(Sample.disburse(task4, Make.triệu(1), ref: "R"))
        #expect(disburse?.code == .notFound)
        #expect(disburse?.message == "task 860/KH-BDT#4 is not recorded; plan 860/KH-BDT has tasks #1–#3")
        let status = fold.refusal(.changeStatus(ChangeStatus(task: Make.task("KH-X#1"), to: .procuring, date: Sample.today, reason: "x")))
        #expect(status?.code == .notFound)
        #expect(status?.message == "task KH-X#1 is not recorded; plan KH-X is not recorded either")
        let allocation = fold.refusal(.allocate(Allocate(FundsAllocated(decision: Make.decision("2/QĐ-UBND"), signed: Make.date("2023-07-01"), fiscalYear: 2023,
                                                                        agency: Sample.bdt, lines: [AllocationLine(task: task4, amount: Make.triệu(1))]))))
        #expect(allocation?.code == .notFound)
        #expect(fold.refusal(.reverse(Reverse(ref: Make.ref("NOPE"), reason: "x")))?.code == .notFound)
    }

    @Test("A disbursement for a task with no allocation, or under a decision that does not fund it, is refused with not_found")
    func unfundedTask() {
        var fold = Self.funded()
        try! fold.run(Sample.addTask(4, "Chưa phân bổ"))
        let error = fold.refusal(Sample.disburse(Make.task("860/KH-BDT#4"), Make.triệu(1), ref: "R"))
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("has no allocation yet") == true)
        let wrongDecision = fold.refusal(Sample.disburse(Sample.task1, Make.triệu(1), ref: "R", decision: Make.decision("9/QĐ-UBND")))
        #expect(wrongDecision?.code == .notFound)
        #expect(wrongDecision?.message == "task 860/KH-BDT#1 has no allocation under 9/QĐ-UBND; it is funded by 569/QĐ-UBND (QNG, 2023)")
    }

    // MARK: Re-registration and conflicts

    @Test("Registering the same agency again is unchanged; differently is a conflict")
    func agencyReRegistration() throws {
        var fold = Self.funded()
        let outcome = try fold.run(.registerAgency(RegisterAgency(id: Make.agency("bdt"), name: "Ban Dân tộc tỉnh Quảng Ngãi")))
        #expect(outcome == .unchanged(seq: 1, what: "agency bdt is already registered"))
        let error = fold.refusal(.registerAgency(RegisterAgency(id: Sample.bdt, name: "Ban Dân tộc")))
        #expect(error?.code == .conflict)
        #expect(error?.message.contains("already registered as \"Ban Dân tộc tỉnh Quảng Ngãi\" (seq 1)") == true)
    }

    @Test("Creating the same plan again is unchanged; differently is a conflict")
    func planReCreation() throws {
        var fold = Self.funded()
        #expect(try fold.run(Sample.createPlan()) == .unchanged(seq: 3, what: "plan 860/KH-BDT is already recorded"))
        let different = PlanCreated(id: Sample.plan, agency: Sample.bdt, title: "Another title", issued: Make.date("2023-03-15"), period: Make.years(2023, 2023))
        #expect(fold.refusal(.createPlan(CreatePlan(different)))?.code == .conflict)
    }

    @Test("Adding the same task again is unchanged; differently is a conflict")
    func taskReAdding() throws {
        var fold = Self.funded()
        #expect(try fold.run(Sample.addTask(1, "Hệ thống an toàn thông tin cấp độ 2", total: Make.triệu(100))) == .unchanged(seq: 4, what: "task 860/KH-BDT#1 is already recorded"))
        let error = fold.refusal(Sample.addTask(1, "Hệ thống an toàn thông tin cấp độ 2", total: Make.triệu(101)))
        #expect(error?.code == .conflict)
        #expect(error?.message.hasPrefix("task 860/KH-BDT#1 already exists (seq 4") == true)
    }

    @Test("Recording the same decision again is unchanged; differently is a conflict")
    func decisionReRecording() throws {
        var fold = Self.funded()
        #expect(try fold.run(Sample.allocate()) == .unchanged(seq: 7, what: "decision 569/QĐ-UBND (QNG, 2023) is already recorded"))
        var changed = FundsAllocated(decision: Make.decision("569/QD-UBND"), signed: Make.date("2023-06-26"), fiscalYear: 2023, agency: Sample.bdt,
                                     lines: [AllocationLine(task: Sample.task1, amount: Make.triệu(100))])
        let error = fold.refusal(.allocate(Allocate(changed)))
        #expect(error?.code == .conflict)
        #expect(error?.message.hasPrefix("decision 569/QĐ-UBND (QNG, 2023) is already recorded (seq 7, 600.000.000 đ for BDT, budget year 2023)") == true)
        changed.lines = [AllocationLine(task: Sample.task1, amount: Make.triệu(100)), AllocationLine(task: Sample.task2, amount: Make.triệu(300)),
                         AllocationLine(task: Sample.task3, amount: Make.triệu(200))]
        #expect(try fold.run(.allocate(Allocate(changed))) == .unchanged(seq: 7, what: "decision 569/QĐ-UBND (QNG, 2023) is already recorded"),
                "the same decision written without diacritics is the same fact")
    }

    // MARK: Tasks

    @Test("Tasks are numbered in document order: only the next number is accepted")
    func taskNumbering() throws {
        var fold = BooksFold()
        try fold.run([Sample.registerBDT(), Sample.createPlan()])
        let skipped = fold.refusal(Sample.addTask(2, "Second first"))
        #expect(skipped?.code == .invalidArgument)
        #expect(skipped?.message == "tasks are numbered in document order: the next task of plan 860/KH-BDT is #1, not #2")
        try fold.run(Sample.addTask(1, "First"))
        #expect(fold.refusal(Sample.addTask(3, "Third"))?.message.contains("is #2, not #3") == true)
        try fold.run(Sample.addTask(2, "Second"))
        #expect(fold.books.plans[Sample.plan]?.taskCount == 2)
    }

    @Test("A task added with the plan alone takes the next number")
    func taskAutoNumber() throws {
        var fold = Self.funded()
        let outcome = try fold.run(.addTask(AddTask(TaskAdded(id: TaskID(plan: Make.plan("860/kh-bdt"), number: 1), name: "Thứ tư",
                                                              period: Make.years(2023, 2023), source: .provincial), autoNumber: true)))
        guard case .taskAdded(let added) = Self.events(outcome).first else {
            Issue.record("expected a task: \(outcome)")
            return
        }
        #expect(added.id.number == 4)
        #expect(added.id.plan.text == "860/KH-BDT", "the plan id is written as first recorded")
    }

    @Test("Yearly amounts outside the period or above the total are refused")
    func taskAmounts() {
        let fold = Self.funded()
        func add(_ yearly: [YearAmount], total: Money?) -> TrackerError? {
            fold.refusal(.addTask(AddTask(TaskAdded(id: Make.task("860/KH-BDT#4"), name: "T", period: Make.years(2023, 2024), total: total,
                                                    yearly: yearly, source: .provincial))))
        }
        #expect(add([YearAmount(year: 2025, amount: Make.triệu(1))], total: nil)?.message == "task 860/KH-BDT#4: an amount for 2025 is outside its period 2023–2024")
        #expect(add([YearAmount(year: 2023, amount: Make.triệu(3)), YearAmount(year: 2024, amount: Make.triệu(3))], total: Make.triệu(5))?.message
                == "task 860/KH-BDT#4: yearly amounts add up to 6.000.000 đ, more than its total 5.000.000 đ")
        #expect(add([], total: .zero)?.message == "task 860/KH-BDT#4: the total must be more than 0 đ")
        #expect(add([YearAmount(year: 2023, amount: Make.triệu(5))], total: Make.triệu(5)) == nil)
    }

    @Test("Yearly amounts whose sum overflows are refused, with or without a total")
    func taskYearlyOverflow() {
        let fold = Self.funded()
        let huge = [YearAmount(year: 2023, amount: Money(dong: .max)), YearAmount(year: 2024, amount: Money(dong: 1))]
        func add(total: Money?) -> TrackerError? {
            fold.refusal(.addTask(AddTask(TaskAdded(id: Make.task("860/KH-BDT#4"), name: "T", period: Make.years(2023, 2024), total: total,
                                                    yearly: huge, source: .provincial))))
        }
        #expect(add(total: Money(dong: .max))?.code == .invalidArgument)
        // Without a total nothing checks the sum, and TaskAdded.planned (used by every report) would trap on it.
        #expect(add(total: nil)?.code == .invalidArgument)
    }

    // MARK: Allocation

    @Test("An allocation of another agency's task is refused")
    func allocationToAnotherAgency() throws {
        var fold = Self.funded()
        try fold.run([Sample.createVPPlan(), Sample.addVPTask()])
        let allocation = FundsAllocated(decision: Make.decision("2/QĐ-UBND"), signed: Make.date("2023-07-01"), fiscalYear: 2023, agency: Sample.bdt,
                                        lines: [AllocationLine(task: Sample.vpTask1, amount: Make.triệu(5))])
        let error = fold.refusal(.allocate(Allocate(allocation)))
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "task VP-2022#1 belongs to agency VP-UBND, not BDT; a decision line must fund a task of its recipient agency")
    }

    @Test("Zero amounts, duplicate tasks and empty decisions are refused")
    func allocationLines() throws {
        var fold = Self.funded()
        try fold.run(Sample.addTask(4, "Bốn"))
        let task4 = Make.task("860/KH-BDT#4")
        func allocate(_ lines: [AllocationLine]) -> TrackerError? {
            fold.refusal(.allocate(Allocate(FundsAllocated(decision: Make.decision("2/QĐ-UBND"), signed: Make.date("2023-07-01"), fiscalYear: 2023,
                                                           agency: Sample.bdt, lines: lines))))
        }
        let zero = allocate([AllocationLine(task: task4, amount: .zero)])
        #expect(zero?.code == .invalidArgument)
        #expect(zero?.message == "decision 2/QĐ-UBND (QNG, 2023): the amount for 860/KH-BDT#4 must be more than 0 đ")
        let twice = allocate([AllocationLine(task: task4, amount: Make.triệu(1)), AllocationLine(task: Make.task("860/kh-bdt#4"), amount: Make.triệu(2))])
        #expect(twice?.code == .invalidArgument)
        #expect(twice?.message == "decision 2/QĐ-UBND (QNG, 2023) lists task 860/KH-BDT#4 twice; give one line per task")
        #expect(allocate([])?.message == "decision 2/QĐ-UBND (QNG, 2023) has no lines: give at least one task and amount")
        #expect(allocate([AllocationLine(task: task4, amount: Money(dong: .max)), AllocationLine(task: Sample.task1, amount: Money(dong: 1))])?.message
                == "decision 2/QĐ-UBND (QNG, 2023): its lines (9.223.372.036.854.775.808 đ) would bring the money allocated on every line, own and carried over, to 9.223.372.037.454.775.808 đ, more than the 9.223.372.036.854.775.807 đ a report can total (600.000.000 đ so far); amounts this large cannot be right")
    }

    @Test("A budget year outside the task's period is refused")
    func fiscalYearOutsidePeriod() {
        let fold = Self.funded()
        let error = fold.refusal(.allocate(Allocate(FundsAllocated(decision: Make.decision("3/QĐ-UBND"), signed: Make.date("2023-11-01"), fiscalYear: 2024,
                                                                   agency: Sample.bdt, lines: [AllocationLine(task: Sample.task1, amount: Make.triệu(1))]))))
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "task 860/KH-BDT#1 runs 2023; budget year 2024 is outside it")
    }

    @Test("A decision is signed in its budget year or the year before")
    func decisionSigningYear() throws {
        var fold = Self.funded()
        try fold.run(.addTask(AddTask(TaskAdded(id: Make.task("860/KH-BDT#4"), name: "Nhiều năm", period: Make.years(2021, 2025), source: .provincial))))
        let task4 = Make.task("860/KH-BDT#4")
        func allocate(signed: String, year: Int) -> TrackerError? {
            fold.refusal(.allocate(Allocate(FundsAllocated(decision: Make.decision("4/QĐ-UBND"), signed: Make.date(signed), fiscalYear: year,
                                                           agency: Sample.bdt, lines: [AllocationLine(task: task4, amount: Make.triệu(1))]))))
        }
        #expect(allocate(signed: "2022-12-20", year: 2023) == nil, "signed the year before")
        #expect(allocate(signed: "2023-01-10", year: 2023) == nil)
        let tooEarly = allocate(signed: "2021-12-20", year: 2023)
        #expect(tooEarly?.code == .invalidArgument)
        #expect(tooEarly?.message == "decision 4/QĐ-UBND (QNG, 2021) is signed 20/12/2021 but allocates for budget year 2023; a decision is signed in its budget year or the year before")
        #expect(allocate(signed: "2023-01-10", year: 2022)?.code == .invalidArgument, "signed after its budget year")
        #expect(allocate(signed: "2023-12-01", year: 2023)?.message == "decision 4/QĐ-UBND (QNG, 2023) is signed 01/12/2023, after today (30/11/2023)")
    }

    @Test("Allocating a planned task also moves it planned → funded on the signing date")
    func allocationFundsPlannedTasks() throws {
        var fold = BooksFold()
        try fold.run(Array(Sample.setupCommands().dropLast()))
        let outcome = try fold.run(Sample.allocate())
        let events = Self.events(outcome)
        #expect(events.count == 4)
        guard case .fundsAllocated(let allocated) = events.first else {
            Issue.record("the allocation comes first: \(events)")
            return
        }
        #expect(allocated.total == Make.triệu(600))
        for (event, task) in zip(events.dropFirst(), [Sample.task1, Sample.task2, Sample.task3]) {
            #expect(event == .taskStatusChanged(TaskStatusChanged(task: task, from: .planned, to: .funded, date: Make.date("2023-06-26"),
                                                                  reason: "funded by 569/QĐ-UBND (QNG, 2023)")))
            #expect(fold.books.tasks[task]?.status == .funded)
        }
    }

    @Test("Allocating a task already past funded, or deferred, emits only what is needed; a cancelled task cannot be funded")
    func allocationOfOtherStatuses() throws {
        var fold = Self.funded()
        try fold.run(.changeStatus(ChangeStatus(task: Sample.task1, to: .contracted, date: Make.date("2023-10-01"), reason: "hợp đồng")))
        try fold.run(.changeStatus(ChangeStatus(task: Sample.task2, to: .deferred, date: Make.date("2023-10-01"), reason: "hoãn")))
        try fold.run(.changeStatus(ChangeStatus(task: Sample.task3, to: .cancelled, date: Make.date("2023-10-01"), reason: "hủy")))
        func allocation(_ task: TaskID) -> Command {
            .allocate(Allocate(FundsAllocated(decision: Make.decision("5/QĐ-UBND"), signed: Make.date("2023-11-01"), fiscalYear: 2023,
                                              agency: Sample.bdt, lines: [AllocationLine(task: task, amount: Make.triệu(1))])))
        }
        #expect(Self.events(try fold.books.decide(allocation(Sample.task1), context: Sample.context)).count == 1, "contracted stays contracted")
        let deferred = Self.events(try fold.books.decide(allocation(Sample.task2), context: Sample.context))
        #expect(deferred.count == 2)
        #expect(deferred.last == .taskStatusChanged(TaskStatusChanged(task: Sample.task2, from: .deferred, to: .funded, date: Make.date("2023-11-01"),
                                                                      reason: "funded by 5/QĐ-UBND (QNG, 2023)")))
        let cancelled = fold.refusal(allocation(Sample.task3))
        #expect(cancelled?.code == .invalidTransition)
        #expect(cancelled?.message == "task 860/KH-BDT#3 is cancelled; it cannot be funded")
    }

    // MARK: Disbursement

    @Test("A disbursement beyond what remains is refused with exceeds_allocation, naming and detailing the four numbers")
    func exceedsAllocation() {
        let fold = Self.disbursed()
        let error = fold.refusal(Sample.disburse(Sample.task1, Make.triệu(97), ref: "UNC-2023-0099"))
        #expect(error?.code == .exceedsAllocation)
        #expect(error?.message == "disbursement of 97.000.000 đ exceeds what remains for 860/KH-BDT#1 under 569/QĐ-UBND (QNG, 2023): allocated 100.000.000 đ, already disbursed 3.402.000 đ, remaining 96.598.000 đ, requested 97.000.000 đ")
        #expect(error?.details == JSONObject([("allocated", .int(100_000_000)), ("disbursed", .int(3_402_000)),
                                              ("remaining", .int(96_598_000)), ("requested", .int(97_000_000))]))
    }

    @Test("Disbursing exactly what remains is accepted, and then one đồng more is refused")
    func exactRemaining() throws {
        var fold = Self.disbursed()
        try fold.run(Sample.disburse(Sample.task1, Money(dong: 96_598_000), ref: "UNC-LAST"))
        #expect(fold.books.line(decision: Sample.decision, task: Sample.task1)?.remaining == .zero)
        let error = fold.refusal(Sample.disburse(Sample.task1, Money(dong: 1), ref: "UNC-MORE"))
        #expect(error?.code == .exceedsAllocation)
        #expect(error?.details?["remaining"] == .int(0))
    }

    @Test("A zero disbursement is refused")
    func zeroDisbursement() {
        let error = Self.funded().refusal(Sample.disburse(Sample.task1, .zero, ref: "R0"))
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "a disbursement must be more than 0 đ")
    }

    @Test("Disbursement dates: not in the future, not before signing, not after 31/01 of the next year")
    func disbursementDates() {
        let fold = Self.funded()
        let future = fold.refusal(Sample.disburse(Sample.task1, Make.triệu(1), on: "2023-12-01", ref: "R"))
        #expect(future?.code == .invalidArgument)
        #expect(future?.message == "the disbursement date 01/12/2023 is after today (30/11/2023)")
        let early = fold.refusal(Sample.disburse(Sample.task1, Make.triệu(1), on: "2023-06-25", ref: "R"))
        #expect(early?.code == .invalidArgument)
        #expect(early?.message == "the disbursement date 25/06/2023 is before 569/QĐ-UBND (QNG, 2023) was signed (26/06/2023)")
        #expect(fold.refusal(Sample.disburse(Sample.task1, Make.triệu(1), on: "2023-06-26", ref: "R")) == nil, "the signing day itself is fine")

        var later = fold
        later.context = CommandContext(today: Make.date("2024-03-01"))
        #expect(later.refusal(Sample.disburse(Sample.task1, Make.triệu(1), on: "2024-01-31", ref: "R")) == nil, "31/01 of the next year is the last day")
        let lapsed = later.refusal(Sample.disburse(Sample.task1, Make.triệu(1), on: "2024-02-01", ref: "R"))
        #expect(lapsed?.code == .invalidArgument)
        #expect(lapsed?.message.hasPrefix("money of budget year 2023 under 569/QĐ-UBND (QNG, 2023) lapsed after 31/01/2024 (hủy dự toán)") == true)
    }

    @Test("The lapse date comes from the budget rules")
    func lapseDateRule() {
        var rules = BudgetRules()
        #expect(rules.lapseDate(of: 2023) == Make.date("2024-01-31"))
        rules.lapseDates = [(2000, 1, 31), (2026, 2, 30)]
        #expect(rules.lapseDate(of: 2025) == Make.date("2026-01-31"), "the rule of 2025 is the one from 2000")
        #expect(rules.lapseDate(of: 2027) == Make.date("2028-02-29"), "a day past the month's end falls back to its last day")
        #expect(rules.lapseDate(of: 2026) == Make.date("2027-02-28"))
    }

    @Test("A task funded by two decisions needs the decision named")
    func twoDecisions() throws {
        var fold = Self.funded()
        try fold.run(.allocate(Allocate(FundsAllocated(decision: Make.decision("700/QĐ-UBND"), signed: Make.date("2023-09-01"), fiscalYear: 2023,
                                                       agency: Sample.bdt, lines: [AllocationLine(task: Sample.task1, amount: Make.triệu(20))]))))
        let error = fold.refusal(Sample.disburse(Sample.task1, Make.triệu(1), ref: "R"))
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "task 860/KH-BDT#1 is funded by 2 decisions (569/QĐ-UBND (QNG, 2023), 700/QĐ-UBND (QNG, 2023)); say which pays with --decision")
        let outcome = try fold.run(Sample.disburse(Sample.task1, Make.triệu(1), ref: "R", decision: Make.decision("700/QD-UBND")))
        guard case .disbursementRecorded(let recorded) = Self.events(outcome).first else {
            Issue.record("expected a disbursement")
            return
        }
        #expect(recorded.decision.text == "700/QĐ-UBND@QNG/2023", "recorded with the decision's full key, its number as first written")
        #expect(fold.books.line(decision: Make.decision("700/QĐ-UBND"), task: Sample.task1)?.disbursed == Make.triệu(1))
        #expect(fold.books.line(decision: Sample.decision, task: Sample.task1)?.disbursed == .zero)
    }

    @Test("Nothing can be disbursed for a cancelled task")
    func cancelledTask() throws {
        var fold = Self.funded()
        try fold.run(.changeStatus(ChangeStatus(task: Sample.task1, to: .cancelled, date: Sample.today, reason: "hủy")))
        #expect(fold.refusal(Sample.disburse(Sample.task1, Make.triệu(1), ref: "R"))?.code == .invalidTransition)
    }

    // MARK: Idempotency

    @Test("The same payment reference with the same content is unchanged, at the first seq")
    func samePaymentTwice() throws {
        var fold = Self.disbursed()
        let seq = fold.books.payment(Make.ref("UNC-2023-0001"))?.seq
        #expect(seq == 11)
        // (Surrounding spaces are not part of a reference; its case is: see PaymentReferenceTests.)
        let outcome = try fold.run(Sample.disburse(Sample.task1, Make.money("3,402 triệu"), ref: " UNC-2023-0001 "))
        #expect(outcome == .unchanged(seq: 11, what: "payment UNC-2023-0001 is already recorded"))
        #expect(fold.books.line(decision: Sample.decision, task: Sample.task1)?.disbursed == Make.money("3,402 triệu"), "not counted twice")
        // Also when the line has since run out, or the decision is named this time.
        try fold.run(Sample.disburse(Sample.task1, Money(dong: 96_598_000), ref: "UNC-REST"))
        #expect(try fold.run(Sample.disburse(Sample.task1, Make.money("3,402 triệu"), ref: "UNC-2023-0001", decision: Sample.decision))
                == .unchanged(seq: 11, what: "payment UNC-2023-0001 is already recorded"))
    }

    @Test("The same payment reference with different content is a conflict")
    func samePaymentDifferentContent() {
        let fold = Self.disbursed()
        for command in [Sample.disburse(Sample.task1, Make.money("3,403 triệu"), ref: "UNC-2023-0001"),
                        Sample.disburse(Sample.task1, Make.money("3,402 triệu"), on: "2023-11-21", ref: "UNC-2023-0001"),
                        Sample.disburse(Sample.task2, Make.money("3,402 triệu"), ref: "UNC-2023-0001")] {
            let error = fold.refusal(command)
            #expect(error?.code == .conflict)
            #expect(error?.message.hasPrefix("payment reference UNC-2023-0001 is already recorded (seq 11: 3.402.000 đ on 20/11/2023 for 860/KH-BDT#1 under 569/QĐ-UBND (QNG, 2023))") == true)
        }
    }

    @Test("Reversal gives the amount back to the line, and the reversed reference cannot be reused")
    func reversal() throws {
        var fold = Self.disbursed()
        let before = fold.books.line(decision: Sample.decision, task: Sample.task1)!
        let outcome = try fold.run(.reverse(Reverse(ref: Make.ref("UNC-2023-0001"), reason: "nhập nhầm")))
        let events = Self.events(outcome)
        #expect(events == [.disbursementReversed(DisbursementReversed(ref: Make.ref("UNC-2023-0001"), task: Sample.task1, decision: Sample.decisionKey,
                                                                      amount: Make.money("3,402 triệu"), date: Make.date("2023-11-20"), reason: "nhập nhầm"))])
        // An error is corrected where it was made: by default on the payment's own date.
        #expect(fold.books.payment(Make.ref("UNC-2023-0001"))?.date == Make.date("2023-11-20"))
        let after = fold.books.line(decision: Sample.decision, task: Sample.task1)!
        #expect(after.disbursed == before.disbursed - Make.money("3,402 triệu"))
        #expect(after.remaining == Make.triệu(100))
        let seq = UInt64(fold.events.count)
        #expect(fold.books.payment(Make.ref("UNC-2023-0001"))?.reversedSeq == seq)
        // Reversing again is unchanged.
        #expect(try fold.run(.reverse(Reverse(ref: Make.ref("UNC-2023-0001"), reason: "again"))) == .unchanged(seq: seq, what: "payment UNC-2023-0001 is already reversed"))
        // The same request again records nothing (an import file loaded twice); another payment under it is a conflict.
        let paid = try #require(fold.books.payment(Make.ref("UNC-2023-0001"))?.seq)
        #expect(try fold.run(Sample.disburse(Sample.task1, Make.money("3,402 triệu"), ref: "UNC-2023-0001"))
                == .unchanged(seq: paid, what: "payment UNC-2023-0001 was recorded (seq \(paid)) and reversed (seq \(seq)); it is not recorded again, and a new payment needs a new reference"))
        let reuse = fold.refusal(Sample.disburse(Sample.task1, Make.money("3,403 triệu"), ref: "UNC-2023-0001"))
        #expect(reuse?.code == .conflict)
        #expect(reuse?.message == "payment reference UNC-2023-0001 was used for a disbursement reversed at seq \(seq); a new payment needs a new reference")
        // The whole allocation is available again.
        #expect(fold.refusal(Sample.disburse(Sample.task1, Make.triệu(100), ref: "UNC-NEW")) == nil)
    }

    @Test("A reversal cannot be dated before its disbursement or after today")
    func reversalDates() {
        let fold = Self.disbursed()
        #expect(fold.refusal(.reverse(Reverse(ref: Make.ref("UNC-2023-0001"), reason: "x", date: Make.date("2023-11-19"))))?.message
                == "the reversal date 19/11/2023 is before the disbursement's date 20/11/2023")
        #expect(fold.refusal(.reverse(Reverse(ref: Make.ref("UNC-2023-0001"), reason: "x", date: Make.date("2023-12-01"))))?.code == .invalidArgument)
    }

    // MARK: Status changes

    @Test("Status changes follow the graph; a correction is needed to go back")
    func statusChanges() throws {
        var fold = Self.funded()
        try fold.run(.changeStatus(ChangeStatus(task: Sample.task1, to: .inProgress, date: Make.date("2023-10-01"), reason: "thi công")))
        let back = fold.refusal(.changeStatus(ChangeStatus(task: Sample.task1, to: .procuring, date: Make.date("2023-10-02"), reason: "x")))
        #expect(back?.code == .invalidTransition)
        #expect(back?.message == "task 860/KH-BDT#1: moving back from in-progress to procuring is a correction (say so with --correction and a reason)")
        #expect(fold.refusal(.changeStatus(ChangeStatus(task: Sample.task1, to: .procuring, date: Make.date("2023-10-02"), reason: "x", correction: true))) == nil)
        let earlier = fold.refusal(.changeStatus(ChangeStatus(task: Sample.task1, to: .completed, date: Make.date("2023-09-30"), reason: "x")))
        #expect(earlier?.message == "task 860/KH-BDT#1 became in-progress on 01/10/2023; a later change cannot be dated 30/09/2023")
        #expect(fold.refusal(.changeStatus(ChangeStatus(task: Sample.task1, to: .completed, date: Make.date("2023-12-01"), reason: "x")))?.code == .invalidArgument)
        // The same change sent again is unchanged.
        let seq = UInt64(fold.events.count)
        #expect(try fold.run(.changeStatus(ChangeStatus(task: Sample.task1, to: .inProgress, date: Make.date("2023-10-01"), reason: "thi công")))
                == .unchanged(seq: seq, what: "task 860/KH-BDT#1 became in-progress on 01/10/2023 for the same reason"))
        let again = fold.refusal(.changeStatus(ChangeStatus(task: Sample.task1, to: .inProgress, date: Make.date("2023-10-03"), reason: "other")))
        #expect(again?.code == .invalidTransition)
        #expect(again?.message == "task 860/KH-BDT#1: the task is already in-progress")
    }

    @Test("A status change already in the task's history is unchanged, so an import file can be loaded again")
    func statusHistoryIdempotency() throws {
        var fold = Self.funded()
        let procuring = ChangeStatus(task: Sample.task1, to: .procuring, date: Make.date("2023-09-01"), reason: "chỉ định thầu")
        let contracted = ChangeStatus(task: Sample.task1, to: .contracted, date: Make.date("2023-10-01"), reason: "ký hợp đồng")
        try fold.run(.changeStatus(procuring))
        let procuringSeq = UInt64(fold.events.count)
        try fold.run(.changeStatus(contracted))
        // Sending the earlier change again does not move the task back, and is not refused as a backward move.
        #expect(try fold.run(.changeStatus(procuring)) == .unchanged(seq: procuringSeq, what: "task 860/KH-BDT#1 became procuring on 01/09/2023 for the same reason"))
        #expect(fold.books.tasks[Sample.task1]?.status == .contracted)
        #expect(fold.books.tasks[Sample.task1]?.changes.count == 3, "planned → funded, → procuring, → contracted")
    }

    @Test("The sample data file imports through the rules without a refusal, and importing it twice records nothing twice")
    func sampleDataFile() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../data/quang-ngai.tracker").standardized.path
        let text = try #require(FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }, "\(path)")
        let entries = try ImportFile.parse(text)
        #expect(entries.count > 50)
        var fold = BooksFold()
        for entry in entries {
            do throws(TrackerError) { try fold.run(entry.command) } catch {
                Issue.record("line \(entry.line): \(error.message)")
            }
        }
        let recorded = fold.events.count
        for entry in entries {
            let outcome = try fold.run(entry.command)
            if case .record(let events) = outcome { Issue.record("line \(entry.line) recorded again: \(events)") }
        }
        #expect(fold.events.count == recorded)
        let line569 = fold.books.lines.filter { $0.decision == Sample.decisionKey }
        #expect(line569.reduce(Money.zero) { $0 + $1.allocated } == Make.triệu(600))
        #expect(line569.reduce(Money.zero) { $0 + $1.disbursed } == Make.money("8,046 triệu"))
        #expect(fold.books.agencies.count == 3)
    }

    // MARK: Undo

    /// Commands that exercise every kind of event and undo.
    static func undoCommands() -> [Command] {
        Sample.commands() + [
            .reverse(Reverse(ref: Make.ref("UNC-2023-0002"), reason: "nhầm")),
            .changeStatus(ChangeStatus(task: Sample.task3, to: .contracted, date: Make.date("2023-11-25"), reason: "hợp đồng")),
            Sample.createVPPlan(),
            Sample.addVPTask(),
            .allocate(Allocate(FundsAllocated(decision: Make.decision("700/QĐ-UBND"), signed: Make.date("2023-09-01"), fiscalYear: 2023,
                                              agency: Sample.bdt, lines: [AllocationLine(task: Sample.task1, amount: Make.triệu(20)),
                                                                          AllocationLine(task: Sample.task3, amount: Make.triệu(5))]))),
            Sample.disburse(Sample.task1, Make.triệu(2), ref: "UNC-700-1", decision: Make.decision("700/QĐ-UBND")),
            .changeStatus(ChangeStatus(task: Sample.task3, to: .completed, date: Sample.today, reason: "xong")),
            .registerAgency(RegisterAgency(id: Make.agency("SVHTTDL"), name: "Sở Văn hóa, Thể thao và Du lịch")),
        ]
    }

    @Test("Undoing events newest first gives the books of the earlier prefix, at every cut point")
    func undoRestoresPrefix() throws {
        var fold = BooksFold()
        try fold.run(Self.undoCommands())
        let all = fold.events.map(\.event)
        #expect(all.count > 20)
        for keep in 0..<all.count {
            var books = BooksFold.fold(Array(all[..<keep]))
            var undos: [Books.Undo] = []
            for index in keep..<all.count { undos.append(books.applyUndoable(all[index], seq: UInt64(index + 1))) }
            #expect(Summary(books) == Summary(BooksFold.fold(all)), "applying the rest gives the full fold (keep \(keep))")
            for undo in undos.reversed() { books.undo(undo, restoringSeq: UInt64(keep)) }
            #expect(Summary(books) == Summary(BooksFold.fold(Array(all[..<keep]))), "undo back to \(keep) events")
        }
    }

    @Test("After an undo, the same commands decide the same way again")
    func undoThenRedo() throws {
        var fold = Self.disbursed()
        let mark = fold.events.count
        let command = Sample.disburse(Sample.task1, Make.triệu(50), ref: "UNC-UNDO")
        let events = Self.events(try fold.books.decide(command, context: Sample.context))
        let undo = fold.books.applyUndoable(events[0], seq: UInt64(mark + 1))
        #expect(fold.refusal(command) == nil)
        #expect(try fold.books.decide(command, context: Sample.context) == .unchanged(seq: UInt64(mark + 1), what: "payment UNC-UNDO is already recorded"))
        fold.books.undo(undo, restoringSeq: UInt64(mark))
        #expect(try fold.books.decide(command, context: Sample.context) == .record(events), "the reference is free again")
        #expect(fold.books.lastSeq == UInt64(mark))
    }

    @Test("apply ignores events that name unknown things instead of trapping")
    func applyIgnoresUnknown() {
        var books = Books()
        let undo = books.applyUndoable(.taskAdded(TaskAdded(id: Sample.task1, name: "x", period: Make.years(2023, 2023), source: .provincial)), seq: 1)
        #expect(books.tasks.isEmpty)
        #expect(books.lastSeq == 0)
        if case .none = undo {} else { Issue.record("expected no undo, got \(undo)") }
        books.apply(.disbursementRecorded(DisbursementRecorded(task: Sample.task1, decision: Sample.decision, amount: Make.triệu(1),
                                                              date: Sample.today, ref: Make.ref("R"))), seq: 2)
        #expect(books.payments.isEmpty)
        books.apply(.disbursementReversed(DisbursementReversed(ref: Make.ref("R"), task: Sample.task1, decision: Sample.decision,
                                                               amount: Make.triệu(1), date: Sample.today, reason: "x")), seq: 3)
        books.apply(.taskStatusChanged(TaskStatusChanged(task: Sample.task1, from: .planned, to: .funded, date: Sample.today, reason: "x")), seq: 4)
        #expect(books.tasks.isEmpty && books.lines.isEmpty)
    }
}
