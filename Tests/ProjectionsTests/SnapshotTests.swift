import Events
import Projections
import Testing

/// Snapshots give back exactly the books and the ledger they were made from.
@Suite("Snapshots round-trip the books and the ledger")
struct SnapshotTests {
    /// The sample data with every kind of fact on top: disbursements, a reversal, a carry-over,
    /// a lapse, status changes and alerts.
    static func richFold() throws -> Fold {
        var fold = try Fold.sample()
        fold.today = .on("2024-03-01")
        try fold.run(.disburse(Disburse(task: try TaskID("860/KH-BDT#1"), amount: .trieu(20), date: .on("2023-12-10"), ref: try PaymentRef("UNC-1"))))
        try fold.run(.disburse(Disburse(task: try TaskID("860/KH-BDT#3"), amount: .trieu(5), date: .on("2023-12-11"), ref: try PaymentRef("UNC-2"))))
        try fold.run(.reverse(Reverse(ref: try PaymentRef("UNC-2"), reason: "nhầm", date: .on("2023-12-12"))))
        try fold.run(.carryOver(CarryOver(decision: try DecisionRef("25/QĐ-UBND"), from: try DecisionRef("569/QĐ-UBND"), signed: .on("2024-01-15"),
                                          lines: [AllocationLine(task: try TaskID("860/KH-BDT#2"), amount: .trieu(250))])))
        try fold.run(.disburse(Disburse(task: try TaskID("860/KH-BDT#2"), decision: try DecisionRef("25/QĐ-UBND"), amount: .trieu(10),
                                        date: .on("2024-02-01"), ref: try PaymentRef("UNC-3"))))
        try fold.run(.lapse(Lapse(decision: try DecisionRef("569/QĐ-UBND"), date: .on("2024-02-15"), reason: "CV 1/STC")))
        for alert in fold.ledger.dueAlerts(today: .on("2024-02-20"), schedule: YearEndTests.schedule, rules: BudgetRules(), simulated: false) {
            try fold.run(.raiseAlert(alert))
        }
        return fold
    }

    static func roundTrip(_ fold: Fold) throws -> (Books, Ledger) {
        var w = BinaryWriter()
        fold.books.encode(to: &w)
        fold.ledger.encode(to: &w)
        return try w.bytes.withBytes { (raw) throws(TrackerError) -> (Books, Ledger) in
            var reader = BinaryReader(raw)
            let books = try Books(snapshot: &reader)
            let ledger = try Ledger(snapshot: &reader)
            guard reader.atEnd else { throw TrackerError(.corrupt, "bytes left over") }
            return (books, ledger)
        }
    }

    @Test("every report reads the same from the restored ledger, in every grouping and scope")
    func ledgerRoundTrip() throws {
        let fold = try Self.richFold()
        let (_, ledger) = try Self.roundTrip(fold)
        #expect(ledger.lastSeq == fold.ledger.lastSeq)
        #expect(ledger.lastHash == fold.ledger.lastHash)
        for asOf in ["2023-06-30", "2023-11-30", "2023-12-11", "2024-01-31", "2024-03-01"] {
            for throughSeq in [UInt64(40), fold.seq - 3, .max] {
                let scope = QueryScope(asOf: .on(asOf), throughSeq: throughSeq)
                for grouping in StatusGrouping.allCases {
                    for year in [nil, 2023, 2024] as [Int?] {
                        let query = StatusQuery(scope: scope, year: year, grouping: grouping)
                        #expect(try ledger.status(query) == fold.ledger.status(query), "\(grouping) \(asOf) \(throughSeq) \(String(describing: year))")
                    }
                }
                #expect(try ledger.tasks(TaskQuery(scope: scope)) == fold.ledger.tasks(TaskQuery(scope: scope)))
                #expect(try ledger.plans(scope: scope) == fold.ledger.plans(scope: scope))
                #expect(ledger.alerts(scope: scope).map(\.alert) == fold.ledger.alerts(scope: scope).map(\.alert))
            }
        }
        #expect(ledger.lastSeq(recordedBy: fold.time) == fold.ledger.lastSeq(recordedBy: fold.time))
        #expect(ledger.dueAlerts(today: .on("2025-03-01"), schedule: YearEndTests.schedule, rules: BudgetRules(), simulated: false)
                == fold.ledger.dueAlerts(today: .on("2025-03-01"), schedule: YearEndTests.schedule, rules: BudgetRules(), simulated: false))
    }

    @Test("the restored books decide every command as the original would")
    func booksRoundTrip() throws {
        let fold = try Self.richFold()
        let (books, _) = try Self.roundTrip(fold)
        #expect(books.lastSeq == fold.books.lastSeq)
        #expect(books.payments.count == fold.books.payments.count)
        #expect(books.lines.count == fold.books.lines.count)
        #expect(books.plannedSum == fold.books.plannedSum && books.allocatedSum == fold.books.allocatedSum)
        let context = CommandContext(today: .on("2025-01-10"))
        let commands: [Command] = [
            .disburse(Disburse(task: try TaskID("860/KH-BDT#1"), amount: .trieu(20), date: .on("2023-12-10"), ref: try PaymentRef("UNC-1"))),
            .disburse(Disburse(task: try TaskID("860/KH-BDT#2"), decision: try DecisionRef("25/QĐ-UBND"), amount: .trieu(500),
                               date: .on("2024-12-01"), ref: try PaymentRef("UNC-9"))),
            .disburse(Disburse(task: try TaskID("860/KH-BDT#2"), decision: try DecisionRef("25/QĐ-UBND"), amount: .trieu(5),
                               date: .on("2024-12-01"), ref: try PaymentRef("UNC-9"))),
            .reverse(Reverse(ref: try PaymentRef("UNC-2"), reason: "again")),
            .lapse(Lapse(decision: try DecisionRef("569/QĐ-UBND"), date: .on("2024-02-15"), reason: "CV 1/STC")),
            .changeStatus(ChangeStatus(task: try TaskID("860/KH-BDT#1"), to: .completed, date: .on("2024-12-20"), reason: "xong")),
            .allocate(Allocate(FundsAllocated(decision: try DecisionRef("569/QĐ-UBND"), signed: .on("2023-06-26"), fiscalYear: 2023,
                                              agency: try AgencyID("BDT"), lines: []))),
        ]
        for command in commands {
            let original: Result<CommandOutcome, TrackerError> = Result { () throws(TrackerError) in try fold.books.decide(command, context: context) }
            let restored: Result<CommandOutcome, TrackerError> = Result { () throws(TrackerError) in try books.decide(command, context: context) }
            #expect(original == restored, "\(command.operation)")
        }
    }

    @Test("a damaged snapshot is refused, never half-read")
    func damaged() throws {
        let fold = try Self.richFold()
        var w = BinaryWriter()
        fold.books.encode(to: &w)
        fold.ledger.encode(to: &w)
        let whole = w.bytes
        for cut in [1, 7, whole.count / 3, whole.count - 1] {
            let short = Array(whole.prefix(cut))
            #expect(throws: TrackerError.self) {
                try short.withBytes { (raw) throws(TrackerError) in
                    var reader = BinaryReader(raw)
                    _ = try Books(snapshot: &reader)
                    _ = try Ledger(snapshot: &reader)
                }
            }
        }
    }
}
