import Dispatch
import Events
import Glibc

/// Keeps `<store>/head.mark` (`HeadMark`) close behind the log's head, off the acknowledgement
/// path: a timer on a queue of its own looks at the live head once a second and rewrites the mark
/// when the head has moved (so a new segment is marked within a second too); the start and the
/// shutdown write it at once.
///
/// No write of a clerk waits for it; the cost is one small synced file a second while records
/// come in. What it leaves open: records acknowledged in the last second before a crash can be cut
/// at a record boundary without the next start noticing (docs/architecture.md, "What the store
/// defends against").
final class HeadMarker: @unchecked Sendable {
    private let layout: StoreLayout
    private let key: SipHashKey
    private let live: LiveLedger
    private let log: DaemonLog
    private let queue = DispatchQueue(label: "trackerd.head-mark")
    private var timer: DispatchSourceTimer?
    /// Owned by `queue`.
    private var written: LogPosition?
    private var failing = false

    static let interval = 1.0

    init(layout: StoreLayout, key: SipHashKey, live: LiveLedger, log: DaemonLog) {
        self.layout = layout
        self.key = key
        self.live = live
        self.log = log
    }

    /// Marks the head now (in the background), then once a second while it moves.
    func start() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: .milliseconds(Int(Self.interval * 1000)), leeway: .milliseconds(100))
        timer.setEventHandler { [self] in mark(live.head) }
        self.timer = timer
        timer.resume()
    }

    /// Stops the timer and marks `head` (the final one, after the writer stopped), waiting for it.
    func stop(at head: LogPosition) {
        timer?.cancel()
        queue.sync { mark(head) }
    }

    /// Runs on `queue`.
    private func mark(_ head: LogPosition) {
        guard head.seq > 0, head != written else { return }
        do throws(Errno) {
            try HeadMark(position: head, written: Timestamp.systemNow().description).write(to: layout, key: key)
            written = head
            if failing {
                failing = false
                log.info("the head mark \(layout.headMark) is written again (seq \(head.seq))")
            }
        } catch {
            if !failing { log.warning("cannot write the head mark \(layout.headMark): \(error); a cut of the log's end may go unnoticed until it is written again") }
            failing = true
        }
    }
}
