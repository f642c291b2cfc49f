import Events
import Glibc

/// `trackctl completion SHELL` and the manual page trackctl(1): both made from the command specs
/// of this build, so they say what trackctl parses (scripts/install writes them in place).
enum ManualCommands {
    static let completionSpec = CommandSpec(["completion"], summary: "Print the shell completion of trackctl's commands and options (bash or zsh).",
        positionals: [PositionalSpec("SHELL", "bash or zsh")],
        discussion: """
        For bash: trackctl completion bash > /etc/bash_completion.d/trackctl (or source it from ~/.bashrc). For zsh:
        trackctl completion zsh > a directory of $fpath, named _trackctl. scripts/install puts both in place.
        """)

    /// The options every command takes besides its own, as the manual lists them.
    static let globalSpec = CommandSpec(["trackctl"], summary: "",
        options: [.value("store", "DIR", "Read the store at DIR from its files, read-only, with no daemon (a stopped store, a backup, a copy): a private trackerd --read-only answers the one command."),
                  .value("socket", "PATH", "trackerd's socket (default: $TRACKER_SOCKET, else trackerd.sock in the store directory)."),
                  .value("data-dir", "DIR", "The store directory, to find the default socket (default: $TRACKER_HOME, else ~/.local/state/tracker)."),
                  .flag("json", "Print the daemon's answer as JSON (money in whole đồng), for the commands that answer."),
                  .flag("quiet", "No progress on standard error (import, verify, backup)."),
                  .flag("version", "Print the version.")])

    @MainActor
    static func runCompletion(_ args: ParsedArguments) throws(Failure) {
        let specs = subcommands.map(\.spec)
        switch args.positionals[0] {
        case "bash": print(ShellCompletion.bash(program: "trackctl", commands: specs), terminator: "")
        case "zsh": print(ShellCompletion.zsh(program: "trackctl", commands: specs), terminator: "")
        default: throw Failure.usage("completion: the shell is bash or zsh, not '\(args.positionals[0])'")
        }
    }

    /// trackctl(1), in roff.
    @MainActor
    static func manualPage() -> String {
        ManualPage(
            name: "trackctl", section: 1,
            summary: "record and query the province's IT budget: plans, allocations (QĐ), disbursements (giải ngân)",
            program: globalSpec, commands: subcommands.map(\.spec),
            description: [
                "trackctl is the client of trackerd(8), which keeps one hash-chained log of the budget facts of a province's agencies and serves its projections on a Unix socket. Every command below is one request to the daemon; options may come before or after the command, and every command takes --help (or -h), as does trackctl help COMMAND.",
                "Money is written the Vietnamese way: 3,402 triệu, 20tr, 1.700 triệu, 1,7 tỷ, 600.000.000 đ or plain đồng; dates as 2023-11-30 or 30/11/2023. A refused command appends nothing and names the numbers behind the refusal.",
                "With --store DIR a command reads a store from its files, read-only, with no daemon running: a stopped store, a backup, a copy on read-only media. trackctl starts a trackerd --read-only of its own for the one command and says so.",
            ],
            sections: [
                ManualPage.Section("Environment", [
                    "TRACKER_SOCKET: the daemon's socket, when --socket is not given. TRACKER_HOME: the store directory (default $XDG_STATE_HOME/tracker, else ~/.local/state/tracker), whose trackerd.sock is the default socket. TMPDIR: where --store makes its private directory.",
                ]),
                ManualPage.Section("Exit status", ["0 done; 1 refused or failed (the message says which, with its code); 2 a usage error."]),
                ManualPage.Section("Examples", [], example: """
                trackctl status --as-of 2023-11-30 --by agency
                trackctl disburse 860/KH-BDT#1 "20 triệu" --date 2023-12-15 --ref UNC-2023-0412
                trackctl import data/quang-ngai.tracker
                trackctl --store /media/audit/tracker-backup verify
                trackctl head --output /srv/heads/tracker-head
                """),
            ],
            seeAlso: ["trackerd(8)", "trackerd.conf(5)"], version: TrackerVersion.string).roff
    }
}
