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
    Subcommand(spec: ManualCommands.completionSpec) { (args) throws(Failure) in try ManualCommands.runCompletion(args) },
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

    Run 'trackctl help COMMAND' (or 'trackctl COMMAND --help', -h) for a command's arguments and options.
    The daemon is found at --socket, $TRACKER_SOCKET, or trackerd.sock in the store ($TRACKER_HOME, else ~/.local/state/tracker).
    Exit status: 0 done, 1 refused or failed, 2 usage error.

    """
    return text
}

Signals.unblockAll()
var words = ProcessArguments.current()

// `--store DIR`, anywhere: the command reads a store from its files, through a private read-only reader.
var store: String? = nil
if let index = words.firstIndex(where: { $0 == "--store" || $0.hasPrefix("--store=") }) {
    if words[index] == "--store" {
        guard index + 1 < words.count else {
            Terminal.complain("trackctl: --store needs a directory: trackctl --store DIR COMMAND")
            exit(2)
        }
        store = words[index + 1]
        words.removeSubrange(index...(index + 1))
    } else {
        store = String(words[index].dropFirst("--store=".count))
        words.remove(at: index)
    }
    if let other = words.first(where: { ["--socket", "--data-dir"].contains($0.split(separator: "=").first.map(String.init) ?? $0) }) {
        Terminal.complain("trackctl: --store reads the store with a reader of its own; leave out \(other)")
        exit(2)
    }
}

// Options before the command (`trackctl --data-dir /srv/x status`) go after it, where every command takes them.
let valueOptions = Set(subcommands.flatMap { $0.spec.options.filter { $0.value != nil }.map { "--" + $0.name } })
var leading: [String] = []
while let first = words.first, first.hasPrefix("-"), first != "--" {
    leading.append(words.removeFirst())
    if valueOptions.contains(first), let value = words.first {
        leading.append(value)
        words.removeFirst()
    }
}
if words.isEmpty {
    if leading == ["--version"] {
        Terminal.say("trackctl \(TrackerVersion.string)")
        exit(0)
    }
    let asked = leading.contains("--help") || leading.contains("-h")
    Terminal.say(TerminalText(escapedParts: overview()), terminator: "")
    exit(asked ? 0 : 2)
}

/// The subcommand `words` start with (the longest match), if any.
@MainActor
func subcommand(of words: [String]) -> Subcommand? {
    subcommands.sorted { $0.spec.words.count > $1.spec.words.count }.first { words.starts(with: $0.spec.words) }
}

/// The commands whose first word is `group` (`agency` → `agency add`), when it is a group.
@MainActor
func group(_ word: String) -> [Subcommand] {
    subcommands.filter { $0.spec.words.count > 1 && $0.spec.words[0] == word }
}

/// The listing of a group's commands.
@MainActor
func groupListing(_ members: [Subcommand]) -> TerminalText {
    let width = members.map { $0.spec.name.count }.max()! + 2
    var text = "trackctl \(members[0].spec.words[0]): its commands are\n\n"
    for member in members { text += "  " + member.spec.name.padding(toDisplayWidth: width) + member.spec.summary + "\n" }
    return TerminalText(escapedParts: text + "\nRun 'trackctl help \(members[0].spec.words[0]) COMMAND' (or add --help) for one command's arguments and options.\n")
}

/// Says that `words` name no command, naming only the unknown words, with the nearest command.
@MainActor
func unknownCommand(_ words: [String]) -> Never {
    let members = group(words[0])
    let unknown: String
    let meant: String
    if !members.isEmpty, words.count > 1 {
        unknown = words[0] + " " + words[1]
        meant = Suggestion.phrase(for: words[1], among: members.map { $0.spec.words[1] }) { "'\(words[0]) \($0)'" }
    } else {
        unknown = words[0]
        let firsts = Array(Set(subcommands.map { $0.spec.words[0] })).sorted()
        meant = Suggestion.phrase(for: words[0], among: firsts) { "'\($0)'" }
    }
    Terminal.complain("trackctl: unknown command '\(unknown)'\(meant)\nRun 'trackctl --help' for the list of commands.")
    exit(2)
}

// `trackctl help [COMMAND]`; `trackctl help --roff`: the manual page trackctl(1).
if words[0] == "help" {
    if words.dropFirst() == ["--roff"] {
        print(ManualCommands.manualPage(), terminator: "")
        exit(0)
    }
    let topic = Array(words.dropFirst())
    if topic.isEmpty {
        Terminal.say(TerminalText(escapedParts: overview()), terminator: "")
        exit(0)
    }
    if let found = subcommand(of: topic) {
        Terminal.say(TerminalText(escapedParts: found.spec.help(program: "trackctl")), terminator: "")
        exit(0)
    }
    let members = group(topic[0])
    if topic.count == 1 && !members.isEmpty {
        Terminal.say(groupListing(members), terminator: "")
        exit(0)
    }
    unknownCommand(topic)
}

guard let subcommand = subcommand(of: words) else {
    let members = group(words[0])
    if !members.isEmpty && (words.count == 1 || words[1].hasPrefix("-")) {
        // A group word alone (`trackctl agency`): its commands.
        Terminal.say(groupListing(members), terminator: "")
        exit(words.count == 1 || words.contains("--help") || words.contains("-h") ? 0 : 2)
    }
    unknownCommand(words)
}
do throws(Failure) {
    let args: ParsedArguments
    do throws(UsageError) {
        args = try ArgumentParser.parse(Array(words.dropFirst(subcommand.spec.words.count)) + leading, spec: subcommand.spec)
    } catch {
        throw Failure.usage(error.message)
    }
    if args.has("help") {
        Terminal.say(TerminalText(escapedParts: subcommand.spec.help(program: "trackctl")), terminator: "")
        exit(0)
    }
    if let store {
        privateReader = try PrivateReader.start(store: store)
        atexit { privateReader?.stop() }
        setenv(DefaultPaths.socketVariable, privateReader!.socketPath, 1)
        Terminal.complain("reading the store at \(store) from its files, read-only (trackctl --store: no daemon; nothing is written)")
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
