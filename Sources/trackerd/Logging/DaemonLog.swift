import Events
import Glibc

/// The daemon's own log: one line per event of note on standard error, each stamped with the real
/// time, the pid and (when the clock is simulated) the simulated date.
final class DaemonLog: @unchecked Sendable {
    private let lock = LockedBox(())
    private let pid = getpid()
    private let clock: Clock

    init(clock: Clock) { self.clock = clock }

    /// Writes one line.
    func info(_ message: String) { write("", message) }

    /// Writes one line marked as a warning.
    func warning(_ message: String) { write("warning: ", message) }

    /// Writes one line marked as an error.
    func error(_ message: String) { write("error: ", message) }

    private func write(_ level: String, _ message: String) {
        var line = "\(Timestamp.systemNow()) trackerd[\(pid)]: "
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
