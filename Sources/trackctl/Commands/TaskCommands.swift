import Events
import Projections

/// `trackctl overdue`, `trackctl tasks` and `trackctl plans`.
enum TaskCommands {
    static let overdueSpec = CommandSpec(["overdue"], summary: "List tasks not completed past their deadline, most overdue first.",
        options: [.value("agency", "AGENCY", "Only this agency."), .value("plan", "PLAN", "Only this plan.")]
                 + scopeOptions + [jsonOption] + connectionOptions,
        discussion: "A task's deadline is its due date, or else 31/12 of the last year of its period.")

    static let tasksSpec = CommandSpec(["tasks"], summary: "List tasks with their status and outcome (completed on time / late, not completed within deadline / overdue).",
        options: [.value("agency", "AGENCY", "Only this agency."), .value("plan", "PLAN", "Only this plan."),
                  .value("search", "TEXT", "Only tasks whose id, name, objective or unit contains TEXT (case, diacritics and đ/Đ ignored: \"so hoa\" finds \"Số hoá\")."),
                  .value("history", "TASK", "Instead of the list: one task's history (how it was added and revised, its status changes, its money), by date.")]
                 + scopeOptions + [jsonOption] + connectionOptions)

    static let plansSpec = CommandSpec(["plans"], summary: "List plans (kế hoạch) with their tasks and planned totals.",
        options: [.value("agency", "AGENCY", "Only this agency."), .value("search", "TEXT", "Only plans whose number or title contains TEXT.")]
                 + scopeOptions + [jsonOption] + connectionOptions)

    static let agenciesSpec = CommandSpec(["agencies"], summary: "List every agency (cơ quan), with its plans, tasks, planned and allocated money.",
        options: [.value("search", "TEXT", "Only agencies whose id or name contains TEXT.")] + scopeOptions + [jsonOption] + connectionOptions)

    static func runAgencies(_ args: ParsedArguments) throws(Failure) {
        let parameters = try queryParameters(args)
        let client = try connect(args)
        let result = try request(client, .agencies) { w in parameters.encode(to: &w) }
        if args.has("json") { printJSON(result); return }
        var agencies: [AgencySummary] = []
        do throws(TrackerError) {
            for case .object(let object) in try result.array("agencies") { agencies.append(try AgencySummary(json: object)) }
        } catch { throw Failure(error) }
        if agencies.isEmpty { Terminal.say("No agencies registered."); return }
        var table = Table([.init("Agency"), .init("Name", maxWidth: 50), .init("Plans", .right), .init("Tasks", .right),
                           .init("Planned", .right), .init("Allocated (held)", .right), .init("Lineage", maxWidth: 60)])
        for agency in agencies {
            table.add([agency.id, agency.name, String(agency.planCount), String(agency.taskCount), Money.cell(agency.planned),
                       agency.allocated.description, agency.lineage])
        }
        Terminal.say(table.render(), terminator: "")
    }

    static func runTasks(_ args: ParsedArguments, overdue: Bool) throws(Failure) {
        if !overdue, let task = args.value("history") { return try runHistory(args, task: task) }
        let parameters = try queryParameters(args)
        let client = try connect(args)
        let result = try request(client, overdue ? .overdue : .tasks) { w in parameters.encode(to: &w) }
        if args.has("json") { printJSON(result); return }
        let report: TaskReport
        do throws(TrackerError) { report = try TaskReport(json: result) } catch { throw Failure(error) }
        var text: TerminalText = overdue ? "Overdue tasks (not completed past their deadline)\n" : "Tasks\n"
        text += scopeLine(result, asOf: report.asOf, throughSeq: report.throughSeq) + "\n\n"
        if report.tasks.isEmpty {
            Terminal.say(text + (overdue ? "No task is overdue.\n" : "No tasks in this scope.\n"), terminator: "")
            return
        }
        var table = Table([.init("Task"), .init("Name", maxWidth: 44), .init("Status"), .init("Since"), .init("Deadline"),
                           .init(overdue ? "Days overdue" : "Outcome", overdue ? .right : .left)])
        for task in report.tasks {
            table.add([task.task, task.name, task.status.rawValue, task.statusDate.vietnamese, task.deadline.vietnamese,
                       overdue ? String(task.daysLate ?? 0) : task.outcome.label + (task.daysLate.map { " (\($0) days)" } ?? "")])
        }
        text += table.render()
        if !overdue {
            let counts = report.counts
            text += "\n\(TaskOutcome.allCases.compactMap { outcome in counts[outcome].map { "\($0) \(outcome.label)" } }.joined(separator: "; "))\n"
        }
        Terminal.say(text, terminator: "")
    }

    static func runHistory(_ args: ParsedArguments, task text: String) throws(Failure) {
        let task: TaskID
        do throws(TrackerError) { task = try TaskID(text) } catch { throw Failure.usage("tasks --history: \(error.message)") }
        let parameters = try queryParameters(args)
        let client = try connect(args)
        let result = try request(client, .taskHistory) { w in
            w.key("task"); w.string(task.description)
            parameters.encode(to: &w)
        }
        if args.has("json") { printJSON(result); return }
        var entries: [TaskHistoryEntry] = []
        do throws(TrackerError) {
            for case .object(let object) in try result.array("history") { entries.append(try TaskHistoryEntry(json: object)) }
        } catch { throw Failure(error) }
        var table = Table([.init("Date"), .init("Seq", .right), .init("What"), .init("", maxWidth: 100)])
        for entry in entries { table.add([entry.date.vietnamese, String(entry.seq), entry.kind, entry.text]) }
        Terminal.say("History of task \(task)\n" + scopeLine(result, asOf: parameters.asOf, throughSeq: nil) + "\n\n" + table.render(), terminator: "")
    }

    static func runPlans(_ args: ParsedArguments) throws(Failure) {
        let parameters = try queryParameters(args)
        let client = try connect(args)
        let result = try request(client, .plans) { w in parameters.encode(to: &w) }
        if args.has("json") { printJSON(result); return }
        var plans: [PlanSummary] = []
        do throws(TrackerError) {
            for case .object(let object) in try result.array("plans") { plans.append(try PlanSummary(json: object)) }
        } catch { throw Failure(error) }
        if plans.isEmpty { Terminal.say("No plans recorded."); return }
        var table = Table([.init("Plan"), .init("Agency"), .init("Dated"), .init("Period"), .init("Tasks", .right), .init("Planned", .right), .init("Title", maxWidth: 50)])
        for plan in plans {
            table.add([plan.id, plan.agency, plan.issued.vietnamese, plan.period, String(plan.taskCount), Money.cell(plan.planned), plan.title])
        }
        Terminal.say(table.render(), terminator: "")
    }
}
