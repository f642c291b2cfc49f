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
}

/// Wires the pieces together: the store, the replay, the writer, the listener, the signals.
final class Daemon: @unchecked Sendable {
    private let settings: DaemonSettings
    private let clock: Clock
    private let log: DaemonLog
    private var store: LogStore?
    private var writer: Writer?
    private var loop: EventLoop?
    private var scheduler: AlertScheduler?
    private var notifier: Notifier?
    private let hub = AlertHub()
    private var signalSources: [DispatchSourceSignal] = []
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
        // About 380 bytes a record: room for the payments up front, not by doubling as they come.
        books.reservePayments(Int(store.recordBytes() / 400))
        var lastTime: Int64 = 0
        var previous = SHA256Digest.zero
        // Replay checks the chain as it goes: each record's hash over its bytes (in decode), its
        // seq and its prev; damage anywhere stops the start.
        try LogReader(directory: settings.dataDirectory).forEachRecordPipelined(through: store.head) { (record) throws(TrackerError) -> Bool in
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
        let live = LiveLedger(ledger: ledger, position: store.head)
        let writer = Writer(store: store, books: books, live: live, clock: clock, log: log, rules: settings.rules, lastRecordTime: lastTime)
        self.writer = writer
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
        log.info("serving \(settings.dataDirectory) on \(address): \(store.head.seq) records, head \(store.head.hash.hex.prefix(16))…, ready in \(String(format: "%.3f", replaySeconds)) s")
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

    private func installSignalHandlers() {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
            source.setEventHandler { [self] in shutdown(signal: signalNumber) }
            source.resume()
            signalSources.append(source)
        }
        signal(SIGPIPE, SIG_IGN)
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
        let head = store?.head
        store?.close()
        log.info("stopped cleanly at \(head.map { "\($0)" } ?? "an empty log")")
        exit(0)
    }
}
