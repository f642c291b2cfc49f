import Dispatch
import Events
import Foundation
import Glibc
import Projections

/// Wires the pieces together: the store, the replay, the writer, the listener, the signals.
final class Daemon: @unchecked Sendable {
    private let settings: DaemonSettings
    /// The command line the settings came from: SIGHUP reads the configuration again with it.
    private let arguments: ParsedArguments
    /// The settings in force (the last configuration read); owned by the main queue.
    private var current: DaemonSettings
    private var handler: RequestHandler?
    private let clock: Clock
    private let log: DaemonLog
    private var store: LogStore?
    private var writer: Writer?
    private var loop: EventLoop?
    private var live: LiveLedger?
    private var snapshots: SnapshotStore?
    private var marker: HeadMarker?
    private var follower: LogFollower?
    private var watchdog: DispatchSourceTimer?
    private let snapshotQueue = DispatchQueue(label: "trackerd.snapshots")
    private var scheduler: AlertScheduler?
    private var notifier: Notifier?
    private let hub = AlertHub()
    /// Publishing to JetStream, when `[stream]` is configured.
    private var publisher: StreamPublisher?
    /// The event loop, once made: told of each durable batch (for log followers).
    private let committedLoop = LockedBox<EventLoop?>(nil)
    private var signalSource: DispatchSourceRead?
    private let shutdownOnce = LockedBox(false)

    init(settings: DaemonSettings, arguments: ParsedArguments) {
        self.settings = settings
        self.arguments = arguments
        current = settings
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
        // The socket systemd made and passed (socket activation), else the one trackerd makes.
        let passed = try Systemd.activatedListener()
        let address = try UnixSocketAddress(path: passed?.path ?? settings.socketPath)
        let activated = passed?.0
        Systemd.notify("STATUS=reading the store \(settings.dataDirectory)")
        if clock.isSimulated {
            log.info("the clock is SIMULATED: business today is \(clock.today().vietnamese) (real time \(Timestamp.systemNow()))")
        }
        for remark in settings.remarks { log.warning(remark) }
        if settings.exitWhenStdinCloses { stopWhenStandardInputCloses() }
        if settings.readOnly { return try startReadOnly(address: address, activated: activated) }
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
        let publisher = settings.stream.enabled
            ? StreamPublisher(settings: settings.stream, store: store.id, province: settings.province, layout: store.layout, live: live, log: log)
            : nil
        self.publisher = publisher
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
                                     hub: hub, scheduler: scheduler, reports: settings.reports,
                                     storeID: store.id, province: settings.province, streamStatus: { publisher?.status })
        self.handler = handler
        let loop = try EventLoop(address: address, activated: activated, handler: handler, limits: settings.limits, access: settings.access,
                                 log: log, hub: hub, live: live, layout: store.layout)
        self.loop = loop
        committedLoop.withLockedValue { $0 = loop }
        installSignalHandlers()
        scheduler.start()
        loop.start()
        publisher?.start()
        log.info("serving \(store.layout.directory) on \(address)\(activated == nil ? "" : " (passed by systemd)"): \(store.head.seq) records, head \(store.head.hash.hex.prefix(16))…, from \(startedFrom), ready in \(String(format: "%.3f", replaySeconds)) s")
        ready("serving \(store.layout.directory): \(store.head.seq) records")
    }

    /// Serves the store read-only: no lock, no key, no file of the store written; the log replayed
    /// to its last whole record and followed while a writer adds to it; commands refused with
    /// `read_only`; no alerts raised (those in the log are served, and followers get the ones a
    /// writer records).
    private func startReadOnly(address: UnixSocketAddress, activated: FileDescriptor?) throws(TrackerError) {
        let started = Timestamp.systemNow()
        var startUp = try ReadOnlyStart.run(settings: settings, log: log)
        let reader = startUp.log
        let ledger = startUp.ledger
        startUp.ledger = Ledger()
        let live = LiveLedger(ledger: ledger, position: reader.head)
        self.live = live
        let follower = LogFollower(reader: reader, from: reader.head, live: live, log: log) { [hub, committedLoop] records in
            committedLoop.withLockedValue { $0 }?.recordsCommitted()
            for record in records {
                // A late alert is not pushed as new here either (see startWriter).
                guard case .alertRaised(let alert) = record.event, !alert.isLate else { continue }
                hub.publish(Ledger.RaisedAlert(alert: alert, seq: record.seq, time: record.time))
            }
        }
        self.follower = follower
        // The store's id, read and never made (a store made before ids has none until its writer starts).
        let storeID = try? StoreID.load(reader.layout)
        let handler = RequestHandler(live: live, writer: nil, clock: clock, log: log, layout: reader.layout, limits: settings.limits,
                                     hub: hub, scheduler: nil, storeID: storeID ?? nil, province: settings.province)
        self.handler = handler
        let loop = try EventLoop(address: address, activated: activated, handler: handler, limits: settings.limits, access: settings.access,
                                 log: log, hub: hub, live: live, layout: reader.layout)
        self.loop = loop
        committedLoop.withLockedValue { $0 = loop }
        installSignalHandlers()
        follower.start(interval: settings.followInterval)
        loop.start()
        let seconds = Double(Timestamp.systemNow().microseconds - started.microseconds) / 1e6
        log.info("serving \(reader.layout.directory) READ-ONLY on \(address): \(reader.head.seq) records, head \(reader.head.hash.hex.prefix(16))…, "
            + "\(startUp.replayed) replayed and re-hashed in \(String(format: "%.3f", seconds)) s; it takes no lock, appends nothing, raises no alerts, "
            + "and reads the records a writer adds every \(String(format: "%g", settings.followInterval)) s")
        ready("serving \(reader.layout.directory) read-only: \(reader.head.seq) records")
    }

    /// Tells systemd the daemon serves (the socket answers from now on), and starts the
    /// watchdog's keep-alives when it asks for them.
    private func ready(_ status: String) {
        Systemd.notify("READY=1\nSTATUS=\(status)")
        watchdog = Systemd.startWatchdog(on: .main)
    }

    /// Stops the daemon when standard input reaches its end or fails (the program that started
    /// it has ended).
    private func stopWhenStandardInputCloses() {
        Thread.detachNewThread { [self] in
            var byte: UInt8 = 0
            // Blocking reads of nothing that matters, until the end (0) or an error.
            while case .success(let n) = systemCall({ read(0, &byte, 1) }), n > 0 {}
            DispatchQueue.main.async { self.shutdown(reason: "standard input closed") }
        }
    }

    /// Starts the single writer on the books and the live ledger the replay left, with its
    /// snapshots and what follows each durable batch (log followers and the stream told; alerts to
    /// the log, followers and the command).
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
        let notifier = Notifier(command: settings.alertCommand, timeout: settings.alertCommandTimeout, log: log)
        self.notifier = notifier
        writer.onCommit = { [log, hub, committedLoop, publisher] records in
            committedLoop.withLockedValue { $0 }?.recordsCommitted()
            publisher?.recordsCommitted()
            var late: [AlertRaised] = []
            for record in records {
                guard case .alertRaised(let alert) = record.event else { continue }
                // A late alert (its checkpoint passed long before the history was recorded) is
                // history, not news: recorded and listed, never pushed as a fresh warning.
                guard !alert.isLate else { late.append(alert); continue }
                let raised = Ledger.RaisedAlert(alert: alert, seq: record.seq, time: record.time)
                log.warning("ALERT \(alert.sentence)")
                hub.publish(raised)
                notifier.notify(raised)
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
        signalSource = SignalPipe.install([SIGTERM, SIGINT, SIGHUP], on: .main) { [self] signalNumber in
            if signalNumber == SIGHUP { return reload() }
            shutdown(reason: "received \(signalNumber == SIGTERM ? "SIGTERM" : "SIGINT")")
        }
    }

    /// SIGHUP: reads the configuration again and puts its roles, checkpoints, budget rules, alert
    /// command and limits in force; a file that does not load is refused with its reason, and the
    /// configuration in force stays. `[store]` (the province among it) and `heavy_queries_at_once`
    /// take effect at the next start (the log, the books and the lanes' threads are made with them).
    private func reload() {
        let path = arguments.value("config") ?? settings.dataDirectory + "/trackerd.conf"
        // A file gone (moved aside, or an editor saving by renaming at that moment) is not a file
        // of defaults: the configuration in force stays.
        guard FileSystem.exists(path) else {
            log.error("SIGHUP: the configuration \(path) is missing, so it was not reloaded, and the one in force stays")
            return
        }
        let fresh: DaemonSettings
        do throws(TrackerError) { fresh = try DaemonSettings.load(arguments) } catch {
            log.error("SIGHUP: the configuration \(path) was not reloaded, and the one in force stays: \(error.message)")
            return
        }
        loop?.reconfigure(limits: fresh.limits, access: fresh.access)
        handler?.reconfigure(limits: fresh.limits)
        // The province is the store's: the books were keyed with it, so it stays until the next start.
        var rules = fresh.rules
        rules.province = current.rules.province
        writer?.reconfigure(rules: rules)
        scheduler?.reconfigure(schedule: fresh.schedule, rules: rules, interval: fresh.alertInterval)
        notifier?.reconfigure(command: fresh.alertCommand, timeout: fresh.alertCommandTimeout)
        for remark in fresh.remarks { log.warning(remark) }
        var later: [String] = []
        if fresh.logOptions.segmentBytes != current.logOptions.segmentBytes || fresh.snapshotEvery != current.snapshotEvery
            || fresh.rules.province != current.rules.province { later.append("[store]") }
        if fresh.limits.heavyQueries != current.limits.heavyQueries { later.append("heavy_queries_at_once") }
        let access = fresh.access
        log.info("SIGHUP: reloaded the configuration \(path): roles (\(access.users.count) users, \(access.groups.count) groups, "
            + "default \(access.defaultRole?.name ?? "none")), checkpoints, budget rules\(rules.sameRules(as: current.rules) ? "" : " (changed)"), "
            + "alert command \(fresh.alertCommand.isEmpty ? "none" : fresh.alertCommand[0]), limits"
            + (later.isEmpty ? "" : "; \(later.joined(separator: ", ")) changed, which \(later.count == 1 ? "takes" : "take") effect at the next start"))
        // What takes effect at the next start stays as the daemon runs with it, so that the next
        // SIGHUP compares with what is in force.
        var inForce = fresh
        inForce.rules.province = current.rules.province
        inForce.province = current.province
        inForce.logOptions = current.logOptions
        inForce.snapshotEvery = current.snapshotEvery
        inForce.limits.heavyQueries = current.limits.heavyQueries
        current = inForce
        Systemd.notify("STATUS=serving; configuration reloaded")
    }

    private func shutdown(reason: String) {
        let first = shutdownOnce.withLockedValue { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        log.info("\(reason): finishing in-flight writes")
        Systemd.notify("STOPPING=1\nSTATUS=stopping (\(reason))")
        watchdog?.cancel()
        loop?.stopAccepting()
        follower?.stop()
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
