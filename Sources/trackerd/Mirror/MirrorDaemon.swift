import Dispatch
import Events
import Foundation
import Glibc
import Projections

/// `trackerd --mirror`: a national view built from the stream. It keeps no log of its own: its
/// directory holds its lock, its id, its configuration, its socket and `mirror.state` (the folded
/// state with the stream position it covers). It consumes `[mirror]`'s subjects, checks every
/// store's chain, and serves the national figures read-only over its socket.
final class MirrorDaemon: @unchecked Sendable {
    private let settings: DaemonSettings
    private let clock: Clock
    private let log: DaemonLog
    private var lock: StoreLock?
    private var loop: EventLoop?
    private var consumer: MirrorConsumer?
    private var signalSource: DispatchSourceRead?
    private let shutdownOnce = LockedBox(false)

    init(settings: DaemonSettings) {
        self.settings = settings
        clock = Clock(simulated: settings.simulatedNow)
        log = DaemonLog(clock: clock)
    }

    /// Starts serving; returns only on a start-up failure (with the exit status).
    func run() -> Int32 {
        do throws(TrackerError) { try start() } catch {
            log.error(error.message)
            return 1
        }
        dispatchMain()
    }

    private func start() throws(TrackerError) {
        guard settings.mirror.connection.enabled else {
            throw TrackerError(.invalidArgument, "trackerd --mirror needs [mirror] servers = nats://… in its configuration (docs/configuration.md)")
        }
        let address = try UnixSocketAddress(path: settings.socketPath)
        do { try FileSystem.createDirectory(settings.dataDirectory) } catch {
            throw TrackerError(.ioError, "cannot create the mirror's directory \(settings.dataDirectory): \(error)")
        }
        let resolved: String
        do { resolved = try FileSystem.resolvedPath(settings.dataDirectory) } catch {
            throw TrackerError(.ioError, "cannot resolve \(settings.dataDirectory): \(error)")
        }
        let layout = StoreLayout(directory: resolved)
        if FileSystem.exists(layout.log) {
            throw TrackerError(.invalidArgument, "\(resolved) holds a province's log: a mirror keeps a directory of its own")
        }
        let lock = try StoreLock.take(layout)
        self.lock = lock
        let id = try StoreID.loadOrCreate(layout)
        var state = MirrorState()
        do throws(TrackerError) {
            if let saved = try MirrorState.read(layout) { state = saved }
        } catch {
            let aside = MirrorState.path(layout) + ".ignored"
            unlink(aside)
            rename(MirrorState.path(layout), aside)
            log.warning("mirror: \(error.message); it was moved to \(aside) and the national view is rebuilt from the stream's first message")
        }
        state.ledger.defaultProvince = settings.province.text
        let live = LiveLedger(ledger: state.ledger, position: LogPosition(seq: state.mirrorSeq, hash: state.ledger.lastHash, segment: 1, offset: 0))
        let consumer = MirrorConsumer(settings: settings.mirror, layout: layout, state: state, live: live, log: log)
        self.consumer = consumer
        let context = QueryContext(live: live, clock: clock, log: log, layout: layout, limits: settings.limits, readOnly: true,
                                   storeID: id.id, province: settings.province)
        let handler = MirrorRequestHandler(context: context, consumer: consumer)
        let loop = try EventLoop(address: address, handler: handler, limits: settings.limits, access: settings.access, log: log,
                                 hub: AlertHub(), live: live, layout: layout)
        self.loop = loop
        signal(SIGPIPE, SIG_IGN)
        signalSource = SignalPipe.install([SIGTERM, SIGINT], on: .main) { [self] signalNumber in shutdown(signal: signalNumber) }
        consumer.start()
        loop.start()
        let stopped = state.stores.filter { $0.stopped != nil }.count
        log.info("serving the national mirror \(resolved) on \(address): \(state.stores.count) stores (\(stopped) stopped), through stream seq \(state.streamSeq), read-only")
    }

    private func shutdown(signal signalNumber: Int32) {
        let first = shutdownOnce.withLockedValue { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        log.info("received \(signalNumber == SIGTERM ? "SIGTERM" : "SIGINT"): saving the mirror's state")
        loop?.stopAccepting()
        consumer?.stop(within: 10)
        loop?.finish(within: 2)
        lock?.release()
        log.info("stopped cleanly")
        exit(0)
    }
}
