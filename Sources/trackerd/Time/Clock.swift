import Events
import Glibc

/// The daemon's one source of "now" for business logic (today's date, alert checkpoints).
///
/// Real by default: the system's `CLOCK_REALTIME` (which `faketime` also steers). With
/// `--now`, simulated: it starts at the given instant and runs at real speed; `clock.set` (an
/// admin operation, allowed only then) moves it, which is how tests cross a checkpoint. Every
/// output produced under a simulated clock says so. Record times in the log are always real.
///
/// Every date the daemon writes comes from this clock or from dates already in the log, so the
/// clock is held to the range the log's reader accepts (`Clock.check`): at start (`--now`, or the
/// real clock), at `clock.set`, and by the writer before each batch (a clock can run out of the
/// range while the daemon runs).
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

    /// Today in Asia/Ho_Chi_Minh, by this clock; for a clock that has run out of the log's years,
    /// the nearest day within them (the writer refuses to record anything then, see `todayToRecord`).
    func today() -> BusinessDate {
        let now = now()
        return BusinessDate(vietnamAt: now) ?? (now < Timestamp(startOf: .first) ? .first : .last)
    }

    /// Today, for deciding commands whose records carry it; refuses when the clock has run out of
    /// the years the log can hold (the simulated clock runs on from where it was set).
    func todayToRecord() throws(TrackerError) -> BusinessDate {
        let now = now()
        guard let today = BusinessDate(vietnamAt: now), Timestamp.recordable.contains(now) else {
            throw TrackerError(.unavailable, "the daemon's \(isSimulated ? "simulated " : "")clock reads \(Clock.describe(now)), outside the years the log can hold (\(BusinessDate.validYears.lowerBound)–\(BusinessDate.validYears.upperBound)); nothing was recorded. " + (isSimulated ? "Move it back with clock.set." : "Set the system clock right."))
        }
        return today
    }

    /// Moves a simulated clock to `time`; false for a real clock. The caller checks `time` first.
    func set(_ time: Timestamp) -> Bool {
        state.withLockedValue { state in
            guard state.simulatedBase != nil else { return false }
            state.simulatedBase = time
            state.realAnchor = Clock.monotonicMicros()
            return true
        }
    }

    /// The days the clock may read when the daemon starts or the clock is set: 01/01/1950 to
    /// 31/12/2198. The log holds the years 1950–2199; the year-end of the clock's own budget year
    /// (the 31/01 lapse date, checkpoints of January) falls in the year after, which must be
    /// one the log can hold too.
    static let days: ClosedRange<BusinessDate> = BusinessDate.first...BusinessDate(year: BusinessDate.validYears.upperBound - 1, month: 12, day: 31)!

    /// Refuses a clock reading `time` (`what` names it: "--now", "the system clock") unless its
    /// business day is within `days` and it is a record time the reader accepts, naming the range.
    static func check(_ time: Timestamp, what: String) throws(TrackerError) {
        if let today = BusinessDate(vietnamAt: time), days.contains(today), Timestamp.recordable.contains(time) { return }
        throw TrackerError(.invalidArgument, "\(what) reads \(describe(time)); the daemon's clock must read a day from \(days.lowerBound.vietnamese) to \(days.upperBound.vietnamese) (in UTC from \(Timestamp.recordable.lowerBound)): the log holds dates of \(BusinessDate.validYears.lowerBound)–\(BusinessDate.validYears.upperBound), and each budget year closes in the next (31/01)")
    }

    /// `01/01/2200 06:00 in Asia/Ho_Chi_Minh (2199-12-31T23:00:00.000000Z)`.
    static func describe(_ time: Timestamp) -> String {
        let local = time.microseconds / 1_000_000 + Int64(BusinessDate.vietnamOffset(at: time))
        let seconds = ((local % 86400) + 86400) % 86400
        let clock = "\(seconds / 3600 < 10 ? "0" : "")\(seconds / 3600):\(seconds / 60 % 60 < 10 ? "0" : "")\(seconds / 60 % 60)"
        return "\(BusinessDate.vietnameseText(at: time)) \(clock) in Asia/Ho_Chi_Minh (\(time))"
    }

    private static func monotonicMicros() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }
}
