import Events

/// The manual pages of the daemon, made from its command spec and its default configuration:
/// trackerd(8) and trackerd.conf(5) (`trackerd --man`, `--man-config`; scripts/install writes them).
enum Manual {
    static func daemonPage(_ spec: CommandSpec) -> String {
        ManualPage(
            name: "trackerd", section: 8, summary: "the tracker daemon: the log of a province's IT budget facts and its projections",
            program: spec,
            description: [
                "trackerd keeps one append-only, hash-chained log of the budget facts of a province's agencies (plans, tasks, allocation decisions, disbursements, status changes, year-end alerts) in a store directory, and serves its projections on a Unix socket, one JSON request and one JSON answer per line, to trackctl(1) and any other client. A write is answered only once it is on disk (fdatasync). One daemon holds a store (an flock on its directory); a second is refused with the first one's pid.",
                "At start the store is checked before it is served: every record replayed is re-hashed, a snapshot is believed only with a tag under the store's key, and a log shorter than a snapshot or the head mark proves it was is refused with the ways on (a backup, or --accept-log-end). The daemon raises the year-end alerts of its configuration, once per allocation line and checkpoint, as records of the log.",
                "With --read-only it only reads a store: a live one beside its writer, a stopped one, a backup, a copy on media nobody can write. It takes no lock, writes no file of the store, appends nothing, raises no alerts, refuses commands with read_only, and reads the records a writer adds.",
            ],
            sections: [
                ManualPage.Section("Signals", [
                    "SIGTERM, SIGINT: stop cleanly (writes in flight finish, the socket is removed, a snapshot is written). SIGHUP: read the configuration again; its roles, checkpoints, budget rules, alert command and limits apply from then on, and a file that does not load is refused with its reason, the configuration in force staying.",
                ]),
                ManualPage.Section("Systemd", [
                    "Under systemd (trackerd.service, trackerd.socket) trackerd serves on the socket systemd passes (LISTEN_FDS), reports readiness and its state on NOTIFY_SOCKET (Type=notify: READY=1 once serving, STATUS=, STOPPING=1), sends WATCHDOG=1 when WatchdogSec= is set, and, when its standard error is the journal (JOURNAL_STREAM), starts each log line with its priority instead of a time. trackerd-backup.timer takes a nightly backup and keeps its head where the operator chose.",
                ]),
                ManualPage.Section("Files", [
                    "STORE/log/*.ndjson: the log, one JSON record per line. STORE/trackerd.conf: the configuration (trackerd.conf(5)), unless --config names another. STORE/store.key: the key of the tags of snapshots and the head mark (mode 0600). STORE/head.mark, STORE/snapshots/, STORE/quarantine/. STORE/trackerd.sock: the socket by default (mode 0660).",
                ]),
                ManualPage.Section("Environment", [
                    "TRACKER_HOME: the store directory when --data-dir is not given (else $XDG_STATE_HOME/tracker, else ~/.local/state/tracker). TRACKER_SOCKET: the socket when --socket is not given.",
                ]),
                ManualPage.Section("Exit status", ["0 a clean stop; 1 a start refused or failed (the message says why); 2 a usage error."]),
            ],
            seeAlso: ["trackctl(1)", "trackerd.conf(5)", "systemd.socket(5)"], version: TrackerVersion.string).roff
    }

    static func configurationPage() -> String {
        ManualPage(
            name: "trackerd.conf", section: 5, summary: "the configuration of trackerd(8)",
            description: [
                "trackerd reads trackerd.conf in its store directory at start, or the file given with --config, and again on SIGHUP. The format is key = value lines in [sections]; # starts a comment; blank lines are ignored; keys are case-insensitive; a byte order mark at the start is passed over. A bad line stops a start (or is refused by a reload) with a message naming the file, the line and the key. Without a file the defaults below apply; on a new store trackerd writes them out.",
            ],
            sections: [
                ManualPage.Section("Roles", [
                    "[roles] maps callers, by the uid and gid the socket reports (SO_PEERCRED), to a role: viewer (queries), clerk (also disburse, reverse, task status), admin (also agencies, plans, tasks, allocations, carry-over, lapse, import, backup). Entries are user NAME, uid N, group NAME or gid N = ROLE; default = ROLE or none for everyone else who can open the socket. The daemon's own user is always admin. A role may be for some agencies only: user lan = clerk of BDT, SVHTTDL. Such a caller's command on what another agency holds is refused (forbidden, naming it); its queries see its agencies only; log, verify and backup need a role for every agency.",
                ]),
                ManualPage.Section("Reloading", [
                    "On SIGHUP (systemctl reload trackerd) [roles], [checkpoints], [budget], [alerts] and [limits] apply from then on (a connection's role is taken when it connects; a command is decided under the budget rules in force when it is written); [store] and heavy_queries_at_once at the next start.",
                ]),
                ManualPage.Section("Defaults", ["Every key with its default, as trackerd --default-config prints it:"], example: defaultConfiguration),
            ],
            seeAlso: ["trackerd(8)", "trackctl(1)"], version: TrackerVersion.string).roff
    }
}
