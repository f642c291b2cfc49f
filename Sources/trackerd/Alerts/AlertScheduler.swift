import Dispatch
import Events
import Glibc
import Projections

/// Checks, at start and on a timer, every allocation line against the year-end checkpoints that
/// have passed by the daemon's clock, and records each alert that is due (once per line and
/// checkpoint: a restart or a second check raises nothing again).
final class AlertScheduler: @unchecked Sendable {
    private let live: LiveLedger
    private let writer: Writer
    private let clock: Clock
    /// Owned by `queue`; replaced by `reconfigure`.
    private var schedule: CheckpointSchedule
    private var rules: BudgetRules
    private var interval: Double
    private let log: DaemonLog
    private let queue = DispatchQueue(label: "trackerd.alerts")
    private var timer: DispatchSourceTimer?

    init(live: LiveLedger, writer: Writer, clock: Clock, schedule: CheckpointSchedule, rules: BudgetRules, interval: Double, log: DaemonLog) {
        self.live = live
        self.writer = writer
        self.clock = clock
        self.schedule = schedule
        self.rules = rules
        self.interval = interval
        self.log = log
    }

    /// Checks now (before the daemon serves, so no client sees a state about to change), then
    /// every `interval` seconds.
    func start() {
        queue.sync { check() }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(Int(interval * 1000)), repeating: .milliseconds(Int(interval * 1000)))
        timer.setEventHandler { [self] in check() }
        self.timer = timer
        timer.resume()
    }

    /// Takes reloaded checkpoints, budget rules and interval (SIGHUP), and checks at once against them.
    func reconfigure(schedule: CheckpointSchedule, rules: BudgetRules, interval: Double) {
        queue.async { [self] in
            self.schedule = schedule
            self.rules = rules
            if interval != self.interval {
                self.interval = interval
                timer?.schedule(deadline: .now() + .milliseconds(Int(interval * 1000)), repeating: .milliseconds(Int(interval * 1000)))
            }
            check()
        }
    }

    /// Checks as soon as possible (the simulated clock moved).
    func wake() { queue.async { [self] in check() } }

    /// Stops the timer; a check under way finishes.
    func stop() {
        timer?.cancel()
        queue.sync {}
    }

    private func check() {
        let today = clock.today()
        let due = live.read { (ledger, _) in
            ledger.dueAlerts(today: today, schedule: schedule, rules: rules, simulated: clock.isSimulated)
        }
        guard !due.isEmpty else { return }
        let actor = Actor(uid: getuid(), name: "trackerd")
        let results = writer.submitEach(due.map { .raiseAlert($0) }, actor: actor)
        for (alert, result) in zip(due, results) {
            if case .failure(let error, _) = result {
                log.error("could not record the \(alert.checkpoint) alert for \(alert.task) under \(alert.decision): \(error.message)")
            }
        }
    }
}
