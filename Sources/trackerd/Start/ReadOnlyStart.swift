import Events
import Projections

/// A start on a store opened only to read it (`trackerd --read-only`): no lock, no key, no file
/// written; the whole log replayed, every record re-hashed and chained, up to its last whole
/// record. Snapshots are not used: their tags are checked with the store's key, which is not
/// for other users to read (and a copy of a store need not carry it), so the reader trusts
/// nothing of the store but its log.
struct ReadOnlyStart {
    let log: ReadOnlyLog
    var ledger: Ledger
    var replayed: Int

    /// Opens the store at `settings.dataDirectory` read-only and replays it. Throws what
    /// `ReadOnlyLog.open` and `StartUp.replay` throw (`corrupt` naming the record).
    static func run(settings: DaemonSettings, log daemonLog: DaemonLog) throws(TrackerError) -> ReadOnlyStart {
        let store = try ReadOnlyLog.open(directory: settings.dataDirectory)
        if store.tailBytes > 0 {
            daemonLog.info("the \(store.tailBytes) bytes after record \(store.head.seq) are not a whole record (a batch being written, "
                + "or a torn write that the writer cuts at its next start): they are not read")
        }
        var ledger = Ledger()
        let (replayed, _) = try StartUp.replay(store.layout, through: store.head, from: nil, lastSeq: 0) { record in
            ledger.apply(record)
        }
        return ReadOnlyStart(log: store, ledger: ledger, replayed: replayed)
    }
}
