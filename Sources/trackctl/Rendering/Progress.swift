import Dispatch
import Events
import Foundation
import Glibc

/// Progress of a long operation on standard error, for a person watching: shown only when
/// standard error is a terminal, not with `--quiet`, and only once the operation has taken more
/// than a second. One line, rewritten in place, cleared at the end.
final class Progress: @unchecked Sendable {
    private let enabled: Bool
    private let started = Date()
    private let lock = NSLock()
    private var shown = false
    private var timer: DispatchSourceTimer?

    /// Progress for a command run with `args` (its `--quiet` turns it off).
    init(_ args: ParsedArguments) {
        enabled = !args.has("quiet") && isatty(2) == 1
    }

    /// Shows `text` as the current state, once a second has passed.
    func update(_ text: @autoclosure () -> String) {
        guard enabled, Date().timeIntervalSince(started) >= 1 else { return }
        let line = text()
        lock.withLock {
            shown = true
            StandardError.write("\r\u{1B}[K" + Terminal.escape(line))
        }
    }

    /// Shows `label` and the seconds elapsed, every half second from the first second on, while
    /// `body` runs (a request whose answer takes long: verify, backup, an import's commit).
    func whileWaiting<T, E: Error>(_ label: String, _ body: () throws(E) -> T) throws(E) -> T {
        if enabled {
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + 1, repeating: 0.5)
            timer.setEventHandler { [self] in update("\(label)… \(Int(Date().timeIntervalSince(started))) s") }
            self.timer = timer
            timer.resume()
        }
        defer {
            timer?.cancel()
            timer = nil
        }
        return try body()
    }

    /// Clears the progress line, if one was shown.
    func finish() {
        timer?.cancel()
        lock.withLock {
            if shown { StandardError.write("\r\u{1B}[K") }
            shown = false
        }
    }
}

/// `--quiet`: no progress on standard error.
let quietOption = OptionSpec.flag("quiet", "Show no progress on standard error (it is shown only on a terminal, after a second).")
