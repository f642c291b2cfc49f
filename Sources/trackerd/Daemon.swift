import Dispatch
import Events
import Foundation
import Glibc
import Projections

/// Settings the daemon starts with (from flags, environment and the configuration file).
struct DaemonSettings: Sendable {
    var dataDirectory: String
    var socketPath: String
    var importFile: String?
    var simulatedNow: Timestamp?
    var limits = Limits()
    var access = AccessPolicy()
    var logOptions = LogOptions()
    var rules = BudgetRules()
    var schedule = CheckpointSchedule(sets: [])
    var alertInterval: Double = 60
    var alertCommand: [String] = []
    var alertCommandTimeout: Double = 10
    var snapshotEvery: UInt64 = 1_000_000
}

/// Wires the pieces together: the store, the replay, the writer, the listener, the signals.
final class Daemon: @unchecked Sendable {
    private let settings: DaemonSettings
    private let clock: Clock
    private let log: DaemonLog
    private var store: LogStore?
    private var writer: Writer?
    private var loop: EventLoop?
    private var live: LiveLedger?
    private var snapshots: SnapshotStore?
    private let snapshotQueue = DispatchQueue(label: "trackerd.snapshots")
    private var scheduler: AlertScheduler?
    private var notifier: Notifier?
    private let hub = AlertHub()
    private var signalSource: DispatchSourceRead?
    private let shutdownOnce = LockedBox(false)

    init(settings: DaemonSettings) {
        self.settings = settings
        clock = Clock(simulated: settings.simulatedNow)
        log = DaemonLog(clock: clock)
    }

    /// Starts serving; returns only on a start-up failure (with the exit status). Shutdown exits the process.
    func run() -> Int32 {
        do throws(TrackerError) {
            try start()
        } catch {
            log.error(error.message)
            return 1
        }
        dispatchMain()
    }

    private func start() throws(TrackerError) {
        let address = try UnixSocketAddress(path: settings.socketPath)
        if clock.isSimulated {
            log.info("the clock is SIMULATED: business today is \(clock.today().vietnamese) (real time \(Timestamp.systemNow()))")
        }
        let started = Timestamp.systemNow()
        let (store, report) = try LogStore.open(directory: settings.dataDirectory, options: settings.logOptions)
        self.store = store
        for remark in report.remarks { log.warning(remark) }
        for cut in report.cutDescriptions { log.warning(cut) }
        if let quarantine = report.quarantineFile { log.warning("the torn tail (\(report.cutBytes) bytes) was kept in \(quarantine)") }

        var books = Books()
        var ledger = Ledger()
        var replayFrom: LogPosition? = nil
        let snapshots = SnapshotStore(layout: StoreLayout(directory: settings.dataDirectory))
        let (snapshot, ignored) = snapshots.loadLatest(head: store.head)
        if let ignored { log.warning(ignored) }
        if let snapshot {
            books = snapshot.books
            ledger = snapshot.ledger
            replayFrom = snapshot.position
        }
        // A full replay: room for the payments up front (about 380 bytes a record), not by doubling
        // as they come. (After a snapshot only the tail is replayed.)
        if snapshot == nil { books.reservePayments(Int(store.recordBytes() / 400)) }
        var lastTime: Int64 = ledger.recordTimes.last?.time ?? 0
        var previous = replayFrom?.hash ?? SHA256Digest.zero
        // Replay checks the chain as it goes: each record's hash over its bytes (in decode), its
        // seq and its prev; damage anywhere stops the start.
        var replayed = 0
        try LogReader(directory: settings.dataDirectory).forEachRecordPipelined(through: store.head, startingAt: replayFrom) { (record) throws(TrackerError) -> Bool in
            replayed += 1
            guard record.seq == ledger.lastSeq + 1, record.prev == previous else {
                throw TrackerError(.corrupt, "record \(record.seq) does not follow record \(ledger.lastSeq) in the chain; run `trackctl verify --offline` for details")
            }
            previous = record.hash
            books.apply(record.event, seq: record.seq)
            ledger.apply(record)
            lastTime = record.time.microseconds
            return true
        }
        guard ledger.lastSeq == store.head.seq else {
            throw TrackerError(.corrupt, "replay reached seq \(ledger.lastSeq) but the log's head is seq \(store.head.seq)")
        }
        let replaySeconds = Double(Timestamp.systemNow().microseconds - started.microseconds) / 1e6
        let startedFrom = snapshot.map { "snapshot at seq \($0.position.seq) and \(replayed) records of the log" } ?? "\(replayed) records of the log"
        let live = LiveLedger(ledger: ledger, position: store.head)
        let writer = Writer(store: store, books: books, live: live, clock: clock, log: log, rules: settings.rules, lastRecordTime: lastTime)
        self.writer = writer
        self.live = live
        self.snapshots = snapshots
        writer.snapshotEvery = settings.snapshotEvery
        writer.snapshotTaken(at: replayFrom?.seq ?? 0)
        writer.onSnapshotDue = { [weak self] books, position in self?.writeSnapshot(books: books, position: position) }
        if snapshot == nil && replayed >= 50_000 {
            // A replay that long is worth not repeating: write a snapshot now, in the background.
            writeSnapshot(books: books, position: store.head)
            writer.snapshotTaken(at: store.head.seq)
        }
        let notifier = settings.alertCommand.isEmpty ? nil
            : Notifier(command: settings.alertCommand, timeout: settings.alertCommandTimeout, log: log)
        self.notifier = notifier
        writer.onCommit = { [log, hub] records in
            for record in records {
                guard case .alertRaised(let alert) = record.event else { continue }
                let raised = Ledger.RaisedAlert(alert: alert, seq: record.seq, time: record.time)
                log.warning("ALERT \(alert.sentence)")
                hub.publish(raised)
                notifier?.notify(raised)
            }
        }
        writer.start()

        if let importFile = settings.importFile { try importAtStart(importFile, writer: writer) }

        let scheduler = AlertScheduler(live: live, writer: writer, clock: clock, schedule: settings.schedule, rules: settings.rules,
                                       interval: settings.alertInterval, log: log)
        self.scheduler = scheduler
        let handler = RequestHandler(live: live, writer: writer, clock: clock, log: log,
                                     layout: StoreLayout(directory: settings.dataDirectory), limits: settings.limits,
                                     hub: hub, scheduler: scheduler)
        let loop = try EventLoop(address: address, handler: handler, limits: settings.limits, access: settings.access, log: log, hub: hub)
        self.loop = loop
        installSignalHandlers()
        scheduler.start()
        loop.start()
        log.info("serving \(settings.dataDirectory) on \(address): \(store.head.seq) records, head \(store.head.hash.hex.prefix(16))…, from \(startedFrom), ready in \(String(format: "%.3f", replaySeconds)) s")
    }

    private func importAtStart(_ path: String, writer: Writer) throws(TrackerError) {
        let text: String
        do { text = String(decoding: try FileSystem.readFile(path), as: UTF8.self) } catch {
            throw TrackerError(.ioError, "cannot read the import file \(path): \(error)")
        }
        let entries: [ImportFile.Entry]
        do throws(ImportFile.LineError) { entries = try ImportFile.parse(text) } catch {
            throw TrackerError(.invalidArgument, "\(path): \(error)")
        }
        let actor = Actor(uid: getuid(), name: Socket.userName(getuid()))
        switch writer.submit(entries.map(\.command), actor: actor) {
        case .failure(let error, let index):
            let line = index.map { " line \(entries[$0].line):" } ?? ""
            throw TrackerError(error.code, "\(path):\(line) \(error.message); nothing was imported")
        case .success(let results):
            let recorded = results.filter(\.recorded).count
            log.info("imported \(path): \(recorded) of \(results.count) commands recorded, \(results.count - recorded) already recorded")
        }
    }

    /// Writes a snapshot in the background (the ledger is read now, at `position`).
    private func writeSnapshot(books: Books, position: LogPosition) {
        guard let live, let snapshots else { return }
        let ledger = live.read { (ledger, _) in copy ledger }
        snapshotQueue.async { [log] in
            let started = Timestamp.systemNow()
            do throws(TrackerError) {
                let written = try snapshots.write(books: books, ledger: ledger, position: position)
                let seconds = Double(Timestamp.systemNow().microseconds - started.microseconds) / 1e6
                log.info("snapshot at seq \(position.seq) written to \(written.path) (\(written.bytes) bytes, \(String(format: "%.2f", seconds)) s)")
            } catch {
                log.warning("could not write a snapshot: \(error.message)")
            }
        }
    }

    private func installSignalHandlers() {
        signal(SIGPIPE, SIG_IGN)
        signalSource = SignalPipe.install([SIGTERM, SIGINT], on: .main) { [self] signalNumber in shutdown(signal: signalNumber) }
    }

    private func shutdown(signal signalNumber: Int32) {
        let first = shutdownOnce.withLockedValue { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        log.info("received \(signalNumber == SIGTERM ? "SIGTERM" : "SIGINT"): finishing in-flight writes")
        loop?.stopAccepting()
        scheduler?.stop()
        writer?.stop()
        loop?.finish(within: 2)
        notifier?.drain()
        snapshotQueue.sync {}
        if let writer, let snapshots, let live, case let (books, head) = writer.finalState(), head.seq > 0, !snapshots.covers(head.seq) {
            do throws(TrackerError) {
                let ledger = live.read { (ledger, _) in copy ledger }
                let written = try snapshots.write(books: books, ledger: ledger, position: head)
                log.info("snapshot at seq \(head.seq) written to \(written.path)")
            } catch {
                log.warning("could not write the shutdown snapshot: \(error.message)")
            }
        }
        let head = store?.head
        store?.close()
        log.info("stopped cleanly at \(head.map { "\($0)" } ?? "an empty log")")
        exit(0)
    }
}
