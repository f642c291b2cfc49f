/// The command-line form of every command, shared by `trackctl` and by import files.
///
/// One grammar for both means a line of an import file is exactly what you would type after
/// `trackctl`, and `trackctl import` reports its errors the same way.
public enum CommandSyntax {
    static let noteOption = OptionSpec.value("note", "TEXT", "Free remarks (kept in the log with the fact).")

    /// Every command that changes the books.
    public static let specs: [CommandSpec] = [
        CommandSpec(["agency", "add"], summary: "Register an agency (cơ quan).",
                    positionals: [PositionalSpec("AGENCY", "Short id, e.g. BDT")],
                    options: [.value("name", "NAME", "Full name, e.g. \"Ban Dân tộc tỉnh Quảng Ngãi\".", required: true), noteOption]),
        CommandSpec(["plan", "create"], summary: "Record a plan (kế hoạch) of an agency.",
                    positionals: [PositionalSpec("PLAN", "The plan's number (560/KH-BDT), or a name for an unnumbered one (BDT-2023)")],
                    options: [.value("agency", "AGENCY", "The issuing agency.", required: true),
                              .value("title", "TEXT", "The plan's title.", required: true),
                              .value("date", "DATE", "The date on the document (2021-08-27 or 27/08/2021).", required: true),
                              .value("period", "YEARS", "Budget years covered: 2023 or 2021-2025.", required: true),
                              noteOption]),
        CommandSpec(["task", "add"], summary: "Add a task (nhiệm vụ) to a plan.",
                    positionals: [PositionalSpec("TASK", "PLAN#N (the next number of the plan), or PLAN alone to take the next number")],
                    options: [.value("name", "TEXT", "The task's name.", required: true),
                              .value("objective", "TEXT", "Its objective (mục tiêu)."),
                              .value("period", "YEARS", "Implementation period: 2023 or 2023-2025.", required: true),
                              .value("total", "AMOUNT", "Total estimated cost over the period (tổng kinh phí)."),
                              .value("yearly", "YEAR=AMOUNT", "Amount the plan asks for in one year, e.g. 2023=78tr.", repeatable: true),
                              .value("source", "SOURCE", "Funding source: " + FundingSource.allCases.map(\.rawValue).joined(separator: ", ") + "."),
                              .value("unit", "TEXT", "Implementing unit (đơn vị thực hiện)."),
                              .value("due", "DATE", "Explicit due date (default: 31/12 of the period's last year)."),
                              noteOption],
                    discussion: "Amounts are Vietnamese: 78tr, 78 triệu, 1.700 triệu, 1,7 tỷ, 600.000.000 đ or plain đồng."),
        CommandSpec(["allocate"], summary: "Record an allocation decision (quyết định phân bổ) for an agency's tasks.",
                    positionals: [PositionalSpec("DECISION", "The decision's number, e.g. 569/QĐ-UBND")],
                    options: [.value("agency", "AGENCY", "The recipient agency.", required: true),
                              .value("year", "YEAR", "The budget year the money belongs to.", required: true),
                              .value("date", "DATE", "The signing date.", required: true),
                              .value("line", "TASK=AMOUNT", "One line: a task and its amount, e.g. 860/KH-BDT#1=100tr.", required: true, repeatable: true),
                              noteOption]),
        CommandSpec(["disburse"], summary: "Record a disbursement (giải ngân) against a task's allocation.",
                    positionals: [PositionalSpec("TASK", "The task paid for, e.g. 860/KH-BDT#1"),
                                  PositionalSpec("AMOUNT", "The amount: 3,402 triệu, 3402000, 3.402.000 đ")],
                    options: [.value("date", "DATE", "The day the money moved.", required: true),
                              .value("ref", "REF", "Payment reference (số chứng từ / ủy nhiệm chi); sending the same one again records nothing twice.", required: true),
                              .value("decision", "DECISION", "The decision whose line pays; needed only when the task is funded by more than one."),
                              noteOption],
                    discussion: "A disbursement larger than what remains on the allocation line is refused, naming allocated, disbursed, remaining and requested."),
        CommandSpec(["reverse"], summary: "Reverse a recorded disbursement in full (a compensating entry; nothing is erased).",
                    positionals: [PositionalSpec("REF", "The payment reference of the disbursement")],
                    options: [.value("reason", "TEXT", "Why.", required: true),
                              .value("date", "DATE", "The reversal's date (default: today).")]),
        CommandSpec(["task", "status"], summary: "Move a task to another status.",
                    positionals: [PositionalSpec("TASK", "The task, e.g. 860/KH-BDT#1"),
                                  PositionalSpec("STATUS", TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))],
                    options: [.value("date", "DATE", "The day of the change.", required: true),
                              .value("reason", "TEXT", "Why (auditors read it).", required: true),
                              .flag("correction", "Allow a move the status graph otherwise refuses (back, or out of completed/cancelled), to correct a mistake.")],
                    discussion: "planned → funded → procuring → contracted → in-progress → completed (steps may be skipped); any open status → deferred or cancelled; deferred → back on the main line."),
        CommandSpec(["carry-over"], summary: "Record a carry-over decision (chuyển nguồn): unspent money of a line moves to the next budget year as a line of its own.",
                    positionals: [PositionalSpec("DECISION", "The carry-over decision's number")],
                    options: [.value("from", "DECISION", "The decision the money comes from.", required: true),
                              .value("date", "DATE", "The signing date.", required: true),
                              .value("line", "TASK=AMOUNT", "A task of that decision and the amount that moves, e.g. 860/KH-BDT#2=250tr.", required: true, repeatable: true),
                              noteOption],
                    discussion: "The new lines belong to the next budget year and are shown apart from that year's own money; the old lines keep their disbursements and lose what moved."),
        CommandSpec(["lapse"], summary: "Record that what remains on a decision's lines lapsed (hủy dự toán) after the year's deadline.",
                    positionals: [PositionalSpec("DECISION", "The decision whose money lapses")],
                    options: [.value("date", "DATE", "The date of the cancellation (after 31/01 of the next year).", required: true),
                              .value("reason", "TEXT", "The letter or decision that cancels it.", required: true),
                              .value("task", "TASK", "Only this task's line (default: every line with money left).")]),
    ]

    /// The spec whose words start `tokens`, and the remaining tokens.
    public static func match(_ tokens: [String]) -> (spec: CommandSpec, rest: [String])? {
        for spec in specs.sorted(by: { $0.words.count > $1.words.count }) where tokens.starts(with: spec.words) {
            return (spec, Array(tokens.dropFirst(spec.words.count)))
        }
        return nil
    }

    /// Parses a whole command (its words included) into a `Command`.
    public static func parse(_ tokens: [String]) throws(UsageError) -> Command {
        guard let (spec, rest) = match(tokens) else {
            throw UsageError("unknown command '\(tokens.prefix(2).joined(separator: " "))'; commands are: " + specs.map(\.name).joined(separator: ", "))
        }
        let args = try ArgumentParser.parse(rest, spec: spec)
        if args.has("help") { throw UsageError("\(spec.name): --help asks for help; it is not a command to record") }
        do {
            return try build(spec.words, args)
        } catch {
            throw UsageError("\(spec.name): \(error.message)")
        }
    }

    /// Builds the command from parsed arguments; value errors come back as `TrackerError`.
    public static func build(_ words: [String], _ args: ParsedArguments) throws(TrackerError) -> Command {
        let note = args.value("note")
        switch words {
        case ["agency", "add"]:
            return .registerAgency(RegisterAgency(id: try AgencyID(args.positionals[0]), name: try requiredText(args, "name"), note: optionalText(note)))
        case ["plan", "create"]:
            return .createPlan(CreatePlan(PlanCreated(id: try PlanID(args.positionals[0]), agency: try AgencyID(args.value("agency")!),
                                                      title: try requiredText(args, "title"), issued: try BusinessDate.parse(args.value("date")!),
                                                      period: try YearSpan.parse(args.value("period")!), note: optionalText(note))))
        case ["task", "add"]:
            let target = args.positionals[0]
            let autoNumber = !target.contains("#")
            let id = autoNumber ? TaskID(plan: try PlanID(target), number: 1) : try TaskID(target)
            var yearly: [YearAmount] = []
            for entry in args.all("yearly") {
                let (year, amount) = try pair(entry, option: "yearly", example: "2023=78tr")
                let parsedYear = try parseFiscalYear(year)
                if yearly.contains(where: { $0.year == parsedYear }) {
                    throw TrackerError(.invalidArgument, "--yearly gives \(parsedYear) twice")
                }
                yearly.append(YearAmount(year: parsedYear, amount: try money(amount)))
            }
            let task = TaskAdded(id: id, name: try requiredText(args, "name"), objective: optionalText(args.value("objective")),
                                 period: try YearSpan.parse(args.value("period")!), total: try args.value("total").map { (text) throws(TrackerError) in try money(text) },
                                 yearly: yearly.sorted { $0.year < $1.year },
                                 source: try args.value("source").map { (text) throws(TrackerError) in try FundingSource.parse(text) } ?? .unspecified,
                                 unit: optionalText(args.value("unit")), due: try args.value("due").map { (text) throws(TrackerError) in try BusinessDate.parse(text) },
                                 note: optionalText(note))
            return .addTask(AddTask(task, autoNumber: autoNumber))
        case ["allocate"]:
            var lines: [AllocationLine] = []
            for entry in args.all("line") {
                let (task, amount) = try pair(entry, option: "line", example: "860/KH-BDT#1=100tr")
                lines.append(AllocationLine(task: try TaskID(task), amount: try money(amount)))
            }
            return .allocate(Allocate(FundsAllocated(decision: try DecisionRef(args.positionals[0]), signed: try BusinessDate.parse(args.value("date")!),
                                                     fiscalYear: try parseFiscalYear(args.value("year")!), agency: try AgencyID(args.value("agency")!),
                                                     lines: lines, note: optionalText(note))))
        case ["disburse"]:
            return .disburse(Disburse(task: try TaskID(args.positionals[0]),
                                      decision: try args.value("decision").map { (text) throws(TrackerError) in try DecisionRef(text) },
                                      amount: try money(args.positionals[1]), date: try BusinessDate.parse(args.value("date")!),
                                      ref: try PaymentRef(args.value("ref")!), note: optionalText(note)))
        case ["reverse"]:
            return .reverse(Reverse(ref: try PaymentRef(args.positionals[0]), reason: try requiredText(args, "reason"),
                                    date: try args.value("date").map { (text) throws(TrackerError) in try BusinessDate.parse(text) }))
        case ["task", "status"]:
            return .changeStatus(ChangeStatus(task: try TaskID(args.positionals[0]), to: try TaskStatus.parse(args.positionals[1]),
                                              date: try BusinessDate.parse(args.value("date")!), reason: try requiredText(args, "reason"),
                                              correction: args.has("correction")))
        case ["carry-over"]:
            var lines: [AllocationLine] = []
            for entry in args.all("line") {
                let (task, amount) = try pair(entry, option: "line", example: "860/KH-BDT#2=250tr")
                lines.append(AllocationLine(task: try TaskID(task), amount: try money(amount)))
            }
            return .carryOver(CarryOver(decision: try DecisionRef(args.positionals[0]), from: try DecisionRef(args.value("from")!),
                                        signed: try BusinessDate.parse(args.value("date")!), lines: lines, note: optionalText(note)))
        case ["lapse"]:
            return .lapse(Lapse(decision: try DecisionRef(args.positionals[0]),
                                task: try args.value("task").map { (text) throws(TrackerError) in try TaskID(text) },
                                date: try BusinessDate.parse(args.value("date")!), reason: try requiredText(args, "reason")))
        default:
            throw TrackerError(.unknownOperation, "unknown command '\(words.joined(separator: " "))'")
        }
    }

    private static func money(_ text: String) throws(TrackerError) -> Money {
        do { return try Money.parse(text) } catch { throw TrackerError(.invalidArgument, error.message) }
    }

    private static func optionalText(_ text: String?) -> String? {
        guard let text else { return nil }
        let normalized = Text.normalized(text)
        return normalized.isEmpty ? nil : normalized
    }

    private static func requiredText(_ args: ParsedArguments, _ name: String) throws(TrackerError) -> String {
        guard let text = optionalText(args.value(name)) else { throw TrackerError(.invalidArgument, "--\(name) is empty") }
        return text
    }

    private static func pair(_ entry: String, option: String, example: String) throws(TrackerError) -> (String, String) {
        guard let equals = entry.lastIndex(of: "="), equals != entry.startIndex, entry.index(after: equals) != entry.endIndex else {
            throw TrackerError(.invalidArgument, "--\(option) '\(entry)' must be written like \(example)")
        }
        return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
    }
}
