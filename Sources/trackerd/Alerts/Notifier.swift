import Dispatch
import Events
import Foundation
import Glibc
import Projections

/// Hands each alert, as one JSON object on standard input, to the command named in the
/// configuration (for mail or chat), one at a time, with a time limit. A failure is logged and
/// never stops the daemon.
final class Notifier: @unchecked Sendable {
    /// Owned by `queue`; replaced by `reconfigure`. Empty: no command, alerts are not handed on.
    private var arguments: [String]
    private var timeout: Double
    private let log: DaemonLog
    private let queue = DispatchQueue(label: "trackerd.notifier")

    init(command arguments: [String], timeout: Double, log: DaemonLog) {
        self.arguments = arguments
        self.timeout = timeout
        self.log = log
    }

    /// Takes a reloaded command (SIGHUP) for the alerts that come next.
    func reconfigure(command arguments: [String], timeout: Double) {
        queue.async { [self] in
            self.arguments = arguments
            self.timeout = timeout
        }
    }

    func notify(_ alert: Ledger.RaisedAlert) {
        var w = JSONWriter()
        alert.encode(to: &w)
        w.bytes.append(0x0A)
        let input = w.bytes
        queue.async { [self] in run(input, about: alert) }
    }

    /// Waits for the notifications queued so far, at most `seconds` (shutdown must not hang on a bad command).
    func drain(seconds: Double = 5) {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        _ = done.wait(timeout: .now() + seconds)
    }

    private func run(_ input: [UInt8], about alert: Ledger.RaisedAlert) {
        guard !arguments.isEmpty else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            log.warning("alert command \(arguments[0]) could not start for alert seq \(alert.seq): \(error.localizedDescription)")
            return
        }
        // Write on the side, so a command that never reads cannot block us past the time limit.
        let writer = DispatchQueue(label: "trackerd.notifier.stdin")
        writer.async {
            let handle = stdin.fileHandleForWriting
            signal(SIGPIPE, SIG_IGN)
            // A command that exits without reading all of it (EPIPE) is not an error of ours.
            _ = try? input.withBytes { (raw) throws(Errno) in try FileDescriptor(rawValue: handle.fileDescriptor).writeAll(raw) }
            try? handle.close()
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            _ = systemCall { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            log.warning("alert command \(arguments[0]) took longer than \(Int(timeout)) s for alert seq \(alert.seq); it was killed")
            return
        }
        process.waitUntilExit()
        if process.terminationReason != .exit || process.terminationStatus != 0 {
            log.warning("alert command \(arguments[0]) failed for alert seq \(alert.seq) (\(process.terminationReason == .exit ? "exit status" : "signal") \(process.terminationStatus))")
        }
    }
}
