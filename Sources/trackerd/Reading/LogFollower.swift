import Dispatch
import Events
import Projections

/// Follows a log that another process writes, for a daemon that only reads it: every
/// `interval` seconds it reads the whole records written since the last look
/// (`ReadOnlyLog.newRecords`) and applies them to the live ledger, so the reader's answers
/// follow the writer's within about that time. It holds no file open between looks.
///
/// A log that no longer continues what was read (rewritten, or cut with `--accept-log-end` and
/// written again) is logged once as an error; the reader then serves what it read and stops
/// following.
final class LogFollower: @unchecked Sendable {
    private let reader: ReadOnlyLog
    private let live: LiveLedger
    private let log: DaemonLog
    private let onRecords: @Sendable ([Record]) -> Void
    private let queue = DispatchQueue(label: "trackerd.follow")
    private var timer: DispatchSourceTimer?
    /// Owned by `queue`.
    private var position: LogPosition
    private var stopped = false

    init(reader: ReadOnlyLog, from position: LogPosition, live: LiveLedger, log: DaemonLog,
         onRecords: @escaping @Sendable ([Record]) -> Void) {
        self.reader = reader
        self.position = position
        self.live = live
        self.log = log
        self.onRecords = onRecords
    }

    /// Looks for new records every `interval` seconds from now on.
    func start(interval: Double) {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler { [weak self] in self?.look() }
        self.timer = timer
        timer.resume()
    }

    /// Stops looking.
    func stop() {
        queue.sync {
            stopped = true
            timer?.cancel()
        }
    }

    private func look() {
        while !stopped {
            let increment: ReadOnlyLog.Increment
            do throws(TrackerError) { increment = try reader.newRecords(after: position) } catch {
                log.warning("could not read the records written after seq \(position.seq): \(error.message); trying again")
                return
            }
            if !increment.records.isEmpty {
                live.apply(increment.records, position: increment.position)
                position = increment.position
                onRecords(increment.records)
            }
            if let broken = increment.broken {
                log.error("\(broken). This reader no longer follows the log: it serves what it read, through seq \(position.seq); "
                    + "restart it to read the store as it is now")
                stopped = true
                timer?.cancel()
                return
            }
            if increment.records.count < 10_000 { return }
        }
    }
}
