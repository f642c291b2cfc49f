import Events
import Projections

/// The ledger that queries read while the writer appends: one lock, many readers.
///
/// The writer applies each durable batch under the write lock (microseconds); queries hold the
/// read lock only while they compute their report.
final class LiveLedger: @unchecked Sendable {
    private let lock = ReadWriteLock()
    private var ledger: Ledger
    private var position: LogPosition

    init(ledger: Ledger, position: LogPosition) {
        self.ledger = ledger
        self.position = position
    }

    /// Runs `body` with the current ledger and the log position it reflects.
    func read<R, E: Error>(_ body: (borrowing Ledger, LogPosition) throws(E) -> R) throws(E) -> R {
        try lock.withReadLock { () throws(E) -> R in try body(ledger, position) }
    }

    /// The position of the last durable record.
    var head: LogPosition { lock.withReadLock { position } }

    /// Applies records that are now durable.
    func apply(_ records: [Record], position: LogPosition) {
        lock.withWriteLock {
            for record in records { ledger.apply(record) }
            self.position = position
        }
    }
}
