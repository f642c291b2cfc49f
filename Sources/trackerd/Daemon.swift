import Dispatch
import Events
import Foundation
import Glibc
import Projections

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
    private var marker: HeadMarker?
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
        var startUp = try StartUp.run(settings: settings, log: log)
        let store = startUp.store
        self.store = store
        // Moved out, so the writer and the live ledger hold the only references (no copy on write).
        let books = startUp.books
        let ledger = startUp.ledger
        (startUp.books, startUp.ledger) = (Books(), Ledger())
        let replayed = startUp.replayed
        let replaySeconds = Double(Timestamp.systemNow().microseconds - started.microseconds) / 1e6
        let startedFrom = startUp.snapshotSeq.map { "snapshot at seq \($0) and \(replayed) records of the log" } ?? "\(replayed) records of the log"
        let live = LiveLedger(ledger: ledger, position: store.head)
        self.live = live
        self.snapshots = startUp.snapshots
        let writer = startWriter(store: store, books: books, live: live, lastRecordTime: startUp.lastRecordTime,
                                 snapshotSeq: startUp.snapshotSeq, replayed: replayed)
        let marker = HeadMarker(layout: store.layout, key: store.key, live: live, log: log)
        self.marker = marker
        marker.start()

        if let importFile = settings.importFile { try importAtStart(importFile, writer: writer) }

        let scheduler = AlertScheduler(live: live, writer: writer, clock: clock, schedule: settings.schedule, rules: settings.rules,
                                       interval: settings.alertInterval, log: log)
        self.scheduler = scheduler
        let handler = RequestHandler(live: live, writer: writer, clock: clock, log: log,
                                     layout: store.layout, limits: settings.limits,
                                     hub: hub, scheduler: scheduler, reports: settings.reports)
        let loop = try EventLoop(address: address, handler: handler, limits: settings.limits, access: settings.access, log: log, hub: hub)
        self.loop = loop
        installSignalHandlers()
        scheduler.start()
        loop.start()
        log.info("serving \(store.layout.directory) on \(address): \(store.head.seq) records, head \(store.head.hash.hex.prefix(16))…, from \(startedFrom), ready in \(String(format: "%.3f", replaySeconds)) s")
    }

    /// Starts the single writer on the books and the live ledger the replay left, with its
    /// snapshots and what follows each durable batch (alerts to the log, followers and the command).
    private func startWriter(store: LogStore, books: Books, live: LiveLedger, lastRecordTime: Int64,
                             snapshotSeq: UInt64?, replayed: Int) -> Writer {
        let writer = Writer(store: store, books: books, live: live, clock: clock, log: log, rules: settings.rules,
                            lastRecordTime: lastRecordTime)
        self.writer = writer
        writer.snapshotEvery = settings.snapshotEvery
        writer.snapshotTaken(at: snapshotSeq ?? 0)
        writer.onSnapshotDue = { [weak self] books, position in self?.writeSnapshot(books: books, position: position) }
        if snapshotSeq == nil && replayed >= 50_000 {
            // A replay that long is worth not repeating: write a snapshot now, in the background.
            writeSnapshot(books: books, position: store.head)
            writer.snapshotTaken(at: store.head.seq)
        }
        let notifier = settings.alertCommand.isEmpty ? nil
            : Notifier(command: settings.alertCommand, timeout: settings.alertCommandTimeout, log: log)
        self.notifier = notifier
        writer.onCommit = { [log, hub] records in
            var late: [AlertRaised] = []
            for record in records {
                guard case .alertRaised(let alert) = record.event else { continue }
                // A late alert (its checkpoint passed long before the history was recorded) is
                // history, not news: recorded and listed, never pushed as a fresh warning.
                guard !alert.isLate else { late.append(alert); continue }
                let raised = Ledger.RaisedAlert(alert: alert, seq: record.seq, time: record.time)
                log.warning("ALERT \(alert.sentence)")
                hub.publish(raised)
                notifier?.notify(raised)
            }
            if let oldest = late.min(by: { $0.checkpointDate < $1.checkpointDate }) {
                log.info("recorded \(late.count) late alert\(late.count == 1 ? "" : "s") for checkpoints that passed before their history "
                         + "was recorded (the oldest \(oldest.checkpointDate.vietnamese)); not pushed as new: trackctl alerts lists them")
            }
        }
        writer.start()
        return writer
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
        if let head { marker?.stop(at: head) }
        store?.close()
        log.info("stopped cleanly at \(head.map { "\($0)" } ?? "an empty log")")
        exit(0)
    }
}
