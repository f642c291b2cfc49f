import Events
import Glibc

/// The daemon's one source of "now" for business logic (today's date, alert checkpoints).
///
/// Real by default: the system's `CLOCK_REALTIME` (which `faketime` also steers). With
/// `--now`, simulated: it starts at the given instant and runs at real speed; `clock.set` (an
/// admin operation, allowed only then) moves it, which is how tests cross a checkpoint. Every
/// output produced under a simulated clock says so. Record times in the log are always real.
final class Clock: @unchecked Sendable {
    private struct State {
        var simulatedBase: Timestamp?
        var realAnchor: Int64 = 0
    }
    private let state: LockedBox<State>

    /// A real clock, or a simulated one starting at `simulated`.
    init(simulated: Timestamp? = nil) {
        state = LockedBox(State(simulatedBase: simulated, realAnchor: Clock.monotonicMicros()))
    }

    /// Whether the clock is simulated.
    var isSimulated: Bool { state.withLockedValue { $0.simulatedBase != nil } }

    /// Now, by this clock.
    func now() -> Timestamp {
        state.withLockedValue { state in
            guard let base = state.simulatedBase else { return Timestamp.systemNow() }
            return Timestamp(microseconds: base.microseconds + (Clock.monotonicMicros() - state.realAnchor))
        }
    }

    /// Today in Asia/Ho_Chi_Minh, by this clock.
    func today() -> BusinessDate { BusinessDate(vietnamAt: now()) }

    /// Moves a simulated clock to `time`; false for a real clock.
    func set(_ time: Timestamp) -> Bool {
        state.withLockedValue { state in
            guard state.simulatedBase != nil else { return false }
            state.simulatedBase = time
            state.realAnchor = Clock.monotonicMicros()
            return true
        }
    }

    private static func monotonicMicros() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }
}
