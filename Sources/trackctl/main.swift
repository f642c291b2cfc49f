import Events
import Glibc

/// trackctl: the command-line client of trackerd.
let subcommands: [Subcommand] = [
    Subcommand(spec: StatusCommand.spec, run: StatusCommand.run),
    Subcommand(spec: TaskCommands.overdueSpec) { (args) throws(Failure) in try TaskCommands.runTasks(args, overdue: true) },
    Subcommand(spec: TaskCommands.tasksSpec) { (args) throws(Failure) in try TaskCommands.runTasks(args, overdue: false) },
    Subcommand(spec: TaskCommands.plansSpec, run: TaskCommands.runPlans),
    Subcommand(spec: TaskCommands.agenciesSpec, run: TaskCommands.runAgencies),
    Subcommand(spec: ReportCommand.spec, run: ReportCommand.run),
] + CommandSyntax.specs.map(WriteCommand.subcommand) + [
    Subcommand(spec: ImportCommand.spec, run: ImportCommand.run),
    Subcommand(spec: LogCommand.spec, run: LogCommand.run),
    Subcommand(spec: VerifyCommand.spec, run: VerifyCommand.run),
    Subcommand(spec: StoreCommands.headSpec, run: StoreCommands.runHead),
    Subcommand(spec: StoreCommands.backupSpec, run: StoreCommands.runBackup),
    Subcommand(spec: AlertsCommand.spec, run: AlertsCommand.run),
    Subcommand(spec: ClockCommand.spec, run: ClockCommand.run),
    Subcommand(spec: BenchCommand.spec, run: BenchCommand.run),
]

@MainActor
func overview() -> String {
    var text = """
    trackctl — record and query the province's IT budget: plans, allocations (QĐ), disbursements (giải ngân).

    Usage: trackctl COMMAND [arguments] [options]

    Commands:

    """
    let width = subcommands.map { $0.spec.name.count }.max()! + 2
    for subcommand in subcommands {
        text += "  " + subcommand.spec.name.padding(toDisplayWidth: width) + subcommand.spec.summary + "\n"
    }
    text += """

    Run 'trackctl COMMAND --help' for a command's arguments and options.
    The daemon is found at --socket, $TRACKER_SOCKET, or trackerd.sock in the store ($TRACKER_HOME, else ~/.local/state/tracker).
    Exit status: 0 done, 1 refused or failed, 2 usage error.

    """
    return text
}

Signals.unblockAll()
let words = ProcessArguments.current()
if words.isEmpty || words == ["--help"] || words == ["help"] || words == ["-h"] {
    Terminal.say(TerminalText(escapedParts: overview()), terminator: "")
    exit(words.isEmpty ? 2 : 0)
}
if words == ["--version"] {
    Terminal.say("trackctl \(TrackerVersion.string)")
    exit(0)
}
let match = subcommands
    .sorted { $0.spec.words.count > $1.spec.words.count }
    .first { words.starts(with: $0.spec.words) }
guard let subcommand = match else {
    Terminal.complain("trackctl: unknown command '\(words.prefix(2).joined(separator: " "))'\nRun 'trackctl --help' for the list of commands.")
    exit(2)
}
do throws(Failure) {
    let args: ParsedArguments
    do throws(UsageError) { args = try ArgumentParser.parse(Array(words.dropFirst(subcommand.spec.words.count)), spec: subcommand.spec) } catch {
        throw Failure.usage(error.message)
    }
    if args.has("help") {
        Terminal.say(TerminalText(escapedParts: subcommand.spec.help(program: "trackctl")), terminator: "")
        exit(0)
    }
    try subcommand.run(args)
    exit(0)
} catch {
    switch error {
    case .usage(let message):
        Terminal.complain("trackctl: \(message)\nRun 'trackctl \(subcommand.spec.name) --help' for usage.")
        exit(2)
    case .failed(let message):
        Terminal.complain("trackctl: \(message)")
        exit(1)
    }
}
