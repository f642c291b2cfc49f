import Events
import Glibc

/// The daemon's own log: one line per event of note on standard error, each stamped with the real
/// time, the pid and (when the clock is simulated) the simulated date; under journald
/// (`JOURNAL_STREAM`), with a `<N>` priority instead of the time and pid.
final class DaemonLog: @unchecked Sendable {
    private let lock = LockedBox(())
    private let pid = getpid()
    private let clock: Clock

    init(clock: Clock) { self.clock = clock }

    /// Writes one line.
    func info(_ message: String) { write("", message, priority: 6) }

    /// Writes one line marked as a warning.
    func warning(_ message: String) { write("warning: ", message, priority: 4) }

    /// Writes one line marked as an error.
    func error(_ message: String) { write("error: ", message, priority: 3) }

    /// One line: the time and pid, or, when standard error is the journal (which records both),
    /// the syslog priority as `<N>` (6 info, 4 warning, 3 error) for it to read.
    private func write(_ level: String, _ message: String, priority: Int) {
        var line = Systemd.logsToJournal ? "<\(priority)>" : "\(Timestamp.systemNow()) trackerd[\(pid)]: "
        if clock.isSimulated { line += "[simulated \(clock.today().vietnamese)] " }
        line += level + message.replacingNewlines() + "\n"
        lock.withLockedValue { _ in StandardError.write(line) }
    }
}

extension String {
    /// The text on one line (newlines shown as ⏎), so each log entry stays one line.
    func replacingNewlines() -> String {
        contains("\n") ? split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " ⏎ ") : self
    }
}
