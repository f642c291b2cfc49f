import Events
import Foundation
import Projections

/// A start that trusts nothing unchecked: the store opened under its lock and checked against its
/// durable marks (`LogStore.open`), the newest snapshot used only when its tag checks under the
/// store's key, and every record replayed after it re-hashed and chained.
struct StartUp {
    let store: LogStore
    let snapshots: SnapshotStore
    var books: Books
    var ledger: Ledger
    /// The seq of the snapshot started from, nil for a full replay.
    var snapshotSeq: UInt64?
    /// Records replayed from the log.
    var replayed = 0
    /// The time of the last record (record times never go backwards).
    var lastRecordTime: Int64

    /// Opens the store at `settings.dataDirectory` and rebuilds the books and the ledger.
    ///
    /// Throws `conflict` when another daemon holds the store, `corrupt` naming the record when the
    /// log is damaged before its tail, and `corrupt` with both seqs when a snapshot or the head
    /// mark proves the log once reached further (or held other records) than it does now.
    static func run(settings: DaemonSettings, log: DaemonLog) throws(TrackerError) -> StartUp {
        var candidate: SnapshotStore.Candidate? = nil
        var ignored: String? = nil
        let (store, report) = try LogStore.open(directory: settings.dataDirectory, options: settings.logOptions) { layout, key in
            (candidate, ignored) = SnapshotStore(layout: layout, key: key.key).newest(keyIsNew: key.created)
            return candidate.map { [$0.mark] } ?? []
        }
        if report.keyCreated { log.info("made the store key \(store.layout.key) (mode 600): it tags this store's snapshots and head mark") }
        if report.idCreated { log.info("made the store id \(store.id) (\(store.layout.id)): it names this store in the change stream") }
        for remark in report.remarks { log.warning(remark) }
        for cut in report.cutDescriptions { log.warning(cut) }
        if let quarantine = report.quarantineFile { log.warning("the torn tail (\(report.cutBytes) bytes) was kept in \(quarantine)") }
        if let ignored { log.warning(ignored) }
        let snapshots = SnapshotStore(layout: store.layout, key: store.key)
        if let path = candidate?.path, report.acceptedLoss?.marks.contains(where: { $0.path == path }) == true {
            candidate = nil   // moved aside by the acceptance: it covers records given up
        }
        var loaded: SnapshotStore.Loaded? = nil
        if let found = candidate {
            do throws(TrackerError) { loaded = try snapshots.load(found) } catch {
                log.warning(snapshots.setAside(found.path, because: error.message))
            }
            candidate = nil   // unmapped
        }
        var books = loaded?.books ?? Books()
        var ledger = loaded?.ledger ?? Ledger()
        ledger.defaultProvince = settings.rules.province
        books.defaultProvince = settings.rules.province
        let position = loaded?.position
        loaded = nil   // the books and the ledger are uniquely referenced: replay changes them in place
        do throws(TrackerError) {
            let (replayed, lastTime) = try replay(store, from: position, books: &books, ledger: &ledger)
            if let remark = store.prepareForAppends() { log.warning(remark) }
            return StartUp(store: store, snapshots: snapshots, books: books, ledger: ledger, snapshotSeq: position?.seq,
                           replayed: replayed, lastRecordTime: lastTime)
        } catch {
            store.abandon()
            throw error
        }
    }

    /// Replays the log after `position` (all of it when nil), checking every record's hash, seq
    /// and prev.
    /// Returns the records replayed and the time of the last record.
    private static func replay(_ store: LogStore, from position: LogPosition?, books: inout Books,
                               ledger: inout Ledger) throws(TrackerError) -> (Int, Int64) {
        // A full replay: room for the payments up front (about 380 bytes a record), not by doubling
        // as they come. (After a snapshot only the tail is replayed.)
        if position == nil { books.reservePayments(Int(store.recordBytes() / 400)) }
        let (replayed, lastTime) = try replay(store.layout, through: store.head, from: position, lastSeq: ledger.lastSeq) { record in
            books.apply(record.event, seq: record.seq)
            ledger.apply(record)
        }
        return (replayed, lastTime ?? ledger.recordTimes.last?.time ?? 0)
    }

    /// Replays the records of the store at `layout` after `position` (all when nil) through
    /// `head`, checking every record's hash, seq (the first after `lastSeq`) and prev, and gives
    /// each to `apply`. Returns the records replayed and the time of the last one (nil: none).
    /// Damage is `corrupt`, naming the record and the way on.
    static func replay(_ layout: StoreLayout, through head: LogPosition, from position: LogPosition?, lastSeq: UInt64,
                       _ apply: (Record) -> Void) throws(TrackerError) -> (Int, Int64?) {
        var lastTime: Int64? = nil
        var previous = position?.hash ?? SHA256Digest.zero
        var expected = lastSeq + 1
        var replayed = 0
        do throws(TrackerError) {
            try LogReader(directory: layout.directory).forEachRecordPipelined(through: head, startingAt: position) { (record) throws(TrackerError) -> Bool in
                guard record.seq == expected, record.prev == previous else {
                    throw TrackerError(.corrupt, record.seq == expected
                        ? "record \(record.seq) does not follow record \(expected - 1): its prev hash differs"
                        : "record \(expected) is missing or out of place: record \(record.seq) follows record \(expected - 1)")
                }
                replayed += 1
                expected += 1
                previous = record.hash
                apply(record)
                lastTime = record.time.microseconds
                return true
            }
        } catch {
            throw TrackerError(.corrupt, "\(error.message). This is damage to recorded history, so trackerd does not start on it: run "
                + "`trackctl verify --offline --data-dir \(layout.directory)` for details and restore the damaged segment from a backup")
        }
        guard expected - 1 == head.seq else {
            throw TrackerError(.corrupt, "replay reached seq \(expected - 1) but the log's head is seq \(head.seq)")
        }
        return (replayed, lastTime)
    }
}
