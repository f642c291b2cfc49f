import Events
import Projections
import Testing

/// Alerts at the end of the years the log holds: every date they carry reads back.
@Suite("Alerts at the end of the calendar")
struct CalendarEdgeTests {
    @Test("on 31/12/2199 the alerts due for budget years 2198 and 2199 carry only dates the log can read back; 31/01/2200 is never due")
    func lastDay() throws {
        var fold = Fold(today: .on("2199-12-31"))
        try fold.run(.registerAgency(RegisterAgency(id: try AgencyID("END"), name: "End")))
        try fold.run(.createPlan(CreatePlan(PlanCreated(id: try PlanID("END"), agency: try AgencyID("END"), title: "Last years",
                                                        issued: .on("2197-06-01"), period: try YearSpan(first: 2198, last: 2199)))))
        try fold.run(.addTask(AddTask(TaskAdded(id: try TaskID("END#1"), name: "Last task", period: try YearSpan(first: 2198, last: 2199),
                                                source: .unspecified))))
        for (decision, year, signed) in [("1/QĐ-END", 2198, "2198-01-10"), ("2/QĐ-END", 2199, "2199-01-10")] {
            try fold.run(.allocate(Allocate(FundsAllocated(decision: try DecisionRef(decision), signed: .on(signed), fiscalYear: year,
                                                           agency: try AgencyID("END"), lines: [AllocationLine(task: try TaskID("END#1"), amount: .trieu(10))]))))
        }
        let due = fold.ledger.dueAlerts(today: .on("2199-12-31"), schedule: YearEndTests.schedule, rules: BudgetRules(), simulated: true)
        // 2198: all six checkpoints, its 31/01 lapse in 2199; 2199: up to 15/12 (31/12 is not over, 31/01/2200 never comes).
        #expect(due.filter { $0.fiscalYear == 2198 }.count == 6)
        #expect(Set(due.filter { $0.fiscalYear == 2199 }.map(\.checkpoint)) == ["30/09", "31/10", "30/11", "15/12"])
        for alert in due {
            #expect(alert.deadline <= BusinessDate.last && alert.checkpointDate <= BusinessDate.last && alert.raisedOn == BusinessDate.last)
            // Written and read back as the log would.
            var w = JSONWriter()
            alert.encode(to: &w)
            guard case .object(let body) = try JSONParser().parse(w.bytes) else { Issue.record("not an object"); continue }
            #expect(try AlertRaised(body: body, version: AlertRaised.version) == alert)
        }
    }
}
