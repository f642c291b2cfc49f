import Events
import Glibc

/// trackerd: serves the tracker's log and projections on a Unix socket.
let spec = CommandSpec(["trackerd"], summary: "trackerd — the tracker daemon: keeps the log of budget facts and serves its projections on a Unix socket.",
    options: [
        .value("data-dir", "DIR", "The store directory (default: $TRACKER_HOME, else $XDG_STATE_HOME/tracker, else ~/.local/state/tracker)."),
        .value("socket", "PATH", "The socket (default: $TRACKER_SOCKET, else trackerd.sock in the store directory)."),
        .value("config", "FILE", "Configuration file (default: trackerd.conf in the store directory, if present)."),
        .value("import", "FILE", "Load a file of commands at start (as `trackctl import` does); facts already recorded are not recorded twice."),
        .value("now", "TIME", "Simulate the clock from TIME (2023-12-01 or 2023-12-01T08:00) for a dry run; every output says it is simulated."),
        .value("accept-log-end", "SEQ", "Start although a snapshot or the head mark shows the log once reached further (or held other records): the operator accepts that it ends at SEQ. Logged and noted in quarantine/."),
        .flag("mirror", "Run as a national mirror: consume the provinces' records from NATS JetStream ([mirror] in the configuration), check every store's chain, and serve the national figures read-only (commands are refused with read_only)."),
        .flag("read-only", "Only read the store: serve every query, take no lock, write no file of the store, append nothing, raise no alerts; follow the records a writer adds. For a live store beside its writer, a stopped one, a backup or a copy on read-only media. Needs --socket."),
        .flag("exit-when-stdin-closes", "Stop when standard input reaches its end (for a daemon another program starts and owns, as `trackctl --store` does)."),
        .flag("default-config", "Print the default configuration (every key, documented) and exit: a start for /etc/tracker/trackerd.conf."),
        .flag("man", "Print the manual page trackerd(8) in roff and exit."),
        .flag("man-config", "Print the manual page trackerd.conf(5) in roff and exit."),
        .value("completion", "SHELL", "Print the completion of trackerd's options for SHELL (bash or zsh) and exit."),
        .flag("version", "Print the version."),
    ],
    discussion: """
    Stops cleanly on SIGTERM or SIGINT (in-flight writes finish, the socket is removed); SIGHUP reads the configuration again. \
    Logs one line per event of note to standard error (with <N> priorities under journald). Under systemd it reports \
    readiness (Type=notify), keeps a watchdog when asked, and serves on a socket systemd passes (socket activation).
    """)

let arguments: ParsedArguments
do throws(UsageError) {
    arguments = try ArgumentParser.parse(ProcessArguments.current(), spec: spec)
} catch {
    // The spec is trackerd's own: its name is already the program's.
    let message = error.message.hasPrefix("trackerd: ") ? String(error.message.dropFirst("trackerd: ".count)) : error.message
    StandardError.write("trackerd: \(message)\nRun 'trackerd --help' for usage.\n")
    exit(2)
}
if arguments.has("help") {
    print(spec.help(program: ""), terminator: "")
    exit(0)
}
if arguments.has("man") {
    print(Manual.daemonPage(spec), terminator: "")
    exit(0)
}
if arguments.has("man-config") {
    print(Manual.configurationPage(), terminator: "")
    exit(0)
}
if let shell = arguments.value("completion") {
    switch shell {
    case "bash": print(ShellCompletion.bash(program: "trackerd", commands: [], options: spec.options), terminator: "")
    case "zsh": print(ShellCompletion.zsh(program: "trackerd", commands: [], options: spec.options), terminator: "")
    default:
        StandardError.write("trackerd: --completion takes bash or zsh, not '\(shell)'\n")
        exit(2)
    }
    exit(0)
}
if arguments.has("default-config") {
    print(defaultConfiguration, terminator: "")
    exit(0)
}
if arguments.has("version") {
    print("trackerd \(TrackerVersion.string)")
    exit(0)
}

if arguments.has("mirror"), let flag = ["import", "accept-log-end", "now"].first(where: { arguments.value($0) != nil }) {
    StandardError.write("trackerd: --\(flag) is for a province's store; a mirror (--mirror) keeps no log of its own\n")
    exit(2)
}

Signals.unblockAll()

var settings: DaemonSettings
do throws(TrackerError) {
    settings = try DaemonSettings.load(arguments)
} catch {
    StandardError.write("trackerd: \(error.message)\n")
    exit(error.code == .invalidArgument || error.code == .badRequest ? 2 : 1)
}
if settings.simulatedNow == nil {
    // Every date the daemon writes comes from its clock: one the log could not read back is refused here.
    do throws(TrackerError) { try Clock.check(Timestamp.systemNow(), what: "the system clock") } catch {
        StandardError.write("trackerd: \(error.message); start with --now for a dry run on another date\n")
        exit(1)
    }
}
exit(arguments.has("mirror") ? MirrorDaemon(settings: settings).run() : Daemon(settings: settings, arguments: arguments).run())
