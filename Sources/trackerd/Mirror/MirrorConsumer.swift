import Dispatch
import Events
import Foundation
import Glibc
import Projections

/// Consumes the provinces' records from JetStream for `trackerd --mirror`, checks each store's
/// chain (`MirrorChain`), and folds what passes into the national ledger the mirror serves.
///
/// A durable pull consumer (`[mirror] durable`) over `[mirror] subjects`, acknowledged with
/// `ack_policy: all` only once a state file (`MirrorState`) covering the acknowledged position is
/// written: the position never runs ahead of the state. At start the consumer is made again
/// from the state's position (the first message after it), so what the last run received but had
/// not yet saved is delivered again; records already applied are passed over by seq.
final class MirrorConsumer: @unchecked Sendable {
    private let settings: MirrorSettings
    private let layout: StoreLayout
    private let live: LiveLedger
    private let log: DaemonLog
    private var chain: MirrorChain
    private var streamSeq: UInt64
    private var mirrorSeq: UInt64
    private var sinceSnapshot = 0
    private var lastSnapshot = monotonicNow()
    private var lastAck: String?
    /// The state file being written (`startWriting`): the acknowledgement it allows, and how the
    /// writing ended (nil while it goes on; then the error, if any).
    private var writing: (ack: String?, outcome: LockedBox<TrackerError??>)?
    private let stateWriter = DispatchQueue(label: "trackerd-mirror-state")
    private let published: LockedBox<(stores: [MirroredStore], streamSeq: UInt64, connected: Bool, lastError: String?)>
    private let stopping = LockedBox(false)
    private let stopped = ConditionLock()
    private var done = false

    /// Records asked for by one pull request, and folded at most at once.
    static let batch = 1000
    /// Records asked for ahead of those received: the pull requests kept outstanding.
    static let ahead = 4 * batch

    init(settings: MirrorSettings, layout: StoreLayout, state: MirrorState, live: LiveLedger, log: DaemonLog) {
        self.settings = settings
        self.layout = layout
        self.live = live
        self.log = log
        chain = MirrorChain(stores: state.stores)
        streamSeq = state.streamSeq
        mirrorSeq = state.mirrorSeq
        published = LockedBox((state.stores, state.streamSeq, false, nil))
    }

    /// The stores mirrored, the stream position, and the connection's state (for `hello`).
    var status: (stores: [MirroredStore], streamSeq: UInt64, connected: Bool, lastError: String?) { published.withLockedValue { $0 } }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "trackerd-mirror"
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Stops after the batch in hand, writes the state and acknowledges it (waits up to `seconds`).
    func stop(within seconds: Double) {
        stopping.withLockedValue { $0 = true }
        stopped.withLock { while !done { if !stopped.wait(seconds: seconds) { break } } }
    }

    private func run() {
        var connection: NATSConnection? = nil
        var consumerReady = false
        var pulls: [(reply: String, left: Int)] = []
        var serverIndex = 0
        var failures = 0
        var lastWarning = -1e9
        let api = settings.connection.apiPrefix
        let stream = settings.connection.streamName
        log.info("mirror: consuming \(settings.subjects) from stream \(stream) as \(settings.durable), from stream seq \(streamSeq + 1)")
        while !stopping.withLockedValue({ $0 }) {
            do throws(TrackerError) {
                if connection == nil {
                    let servers = settings.connection.servers
                    let server = servers[serverIndex % servers.count]
                    serverIndex += 1
                    connection = try NATSConnection(server: server, name: "trackerd mirror", user: settings.connection.user,
                                                    password: settings.connection.password, token: settings.connection.token,
                                                    timeout: settings.connection.ackTimeout)
                    published.withLockedValue { $0.connected = true; $0.lastError = nil }
                    log.info("mirror: connected to \(server)")
                }
                guard let nats = connection else { continue }
                if !consumerReady {
                    try makeConsumer(nats, api: api, stream: stream)
                    consumerReady = true
                    pulls = []
                }
                // Pull requests are kept outstanding ahead of the work, so that the server sends
                // the next batch while this one is checked and folded.
                while pulls.reduce(0, { $0 + $1.left }) < Self.ahead {
                    let reply = try nats.requestPull("\(api).CONSUMER.MSG.NEXT.\(stream).\(settings.durable)",
                                                     payload: Array("{\"batch\":\(Self.batch),\"expires\":1000000000}".utf8))
                    pulls.append((reply, Self.batch))
                }
                let pulled = try nats.receive(max: Self.batch, timeout: 1 + settings.connection.ackTimeout)
                let messages = pulled.messages
                settle(&pulls, received: messages.count, ended: pulled.ended)
                // Nothing at all within the time: every request has expired (a second at most).
                if messages.isEmpty && pulled.ended.isEmpty { pulls = [] }
                if !messages.isEmpty { fold(messages) }
                failures = 0
                try acknowledgeWritten(nats, waiting: false)
                if writing == nil,
                   sinceSnapshot >= settings.snapshotEvery || (sinceSnapshot > 0 && (messages.isEmpty || monotonicNow() - lastSnapshot > 5)) {
                    startWriting()
                }
            } catch {
                // Acknowledgements belong to the consumer of this connection, which is made again
                // (from the saved position) on the next: none of them is sent there.
                lastAck = nil
                writing?.ack = nil
                connection?.close()
                connection = nil
                consumerReady = false
                failures += 1
                published.withLockedValue { $0.connected = false; $0.lastError = error.message }
                let now = monotonicNow()
                if now - lastWarning >= 30 {
                    log.warning("mirror: \(error.message); serving what it has (through stream seq \(streamSeq)) and trying again")
                    lastWarning = now
                }
                usleep(useconds_t(min(5, 0.1 * Double(1 << min(failures, 6))) * 1_000_000))
            }
        }
        if let nats = connection { try? acknowledgeWritten(nats, waiting: true) } else { stateWriter.sync {} }
        if let nats = connection { try? saveAndAcknowledge(nats) } else { try? save() }
        stopped.withLock {
            done = true
            stopped.broadcast()
        }
    }

    /// Counts `received` messages against the outstanding pull requests (the server serves one
    /// client's requests in order) and drops those it ended (`ended`: their reply subjects).
    private func settle(_ pulls: inout [(reply: String, left: Int)], received: Int, ended: [String]) {
        var received = received
        while received > 0, !pulls.isEmpty {
            let taken = min(received, pulls[0].left)
            pulls[0].left -= taken
            received -= taken
            if pulls[0].left == 0 { pulls.removeFirst() }
        }
        for reply in ended {
            if let index = pulls.firstIndex(where: { $0.reply == reply }) { pulls.removeSubrange(0...index) }
        }
    }

    /// Makes the durable consumer again, from the first message after the saved position.
    private func makeConsumer(_ nats: NATSConnection, api: String, stream: String) throws(TrackerError) {
        _ = try nats.request("\(api).CONSUMER.DELETE.\(stream).\(settings.durable)", payload: [], timeout: settings.connection.ackTimeout)
        var w = JSONWriter(capacity: 512)
        w.beginObject()
        w.key("stream_name"); w.string(stream)
        w.key("config")
        w.beginObject()
        w.key("durable_name"); w.string(settings.durable)
        if streamSeq == 0 {
            w.key("deliver_policy"); w.string("all")
        } else {
            w.key("deliver_policy"); w.string("by_start_sequence")
            w.key("opt_start_seq"); w.int(Int64(streamSeq + 1))
        }
        w.key("ack_policy"); w.string("all")
        w.key("ack_wait"); w.int(Int64(3600) * 1_000_000_000)
        w.key("max_ack_pending"); w.int(Int64(max(settings.snapshotEvery * 2, 100_000)))
        w.key("filter_subject"); w.string(settings.subjects)
        w.key("replay_policy"); w.string("instant")
        w.endObject()
        w.endObject()
        let reply = try nats.request("\(api).CONSUMER.DURABLE.CREATE.\(stream).\(settings.durable)", payload: w.bytes, timeout: settings.connection.ackTimeout)
        if let status = reply.headers?.status, reply.payload.isEmpty {
            throw TrackerError(.unavailable, "JetStream does not answer (status \(status)): is the stream \(stream) there?")
        }
        do { _ = try JetStreamReply.object(reply.payload) } catch {
            throw TrackerError(.unavailable, "cannot make the consumer \(settings.durable) on stream \(stream): \(error)")
        }
    }

    /// Checks and folds a batch; the ledger takes the records that pass under one write lock.
    private func fold(_ messages: [NATSMessage]) {
        var records: [Record] = []
        for message in messages {
            guard let ack = message.replyTo, let seq = Self.streamSeq(ofAck: ack) else { continue }
            if seq <= streamSeq { continue }
            streamSeq = seq
            lastAck = ack
            let outcome: MirrorChain.Outcome
            switch Result(catching: { () throws(TrackerError) in try LogEnvelope.read(message.payload) }) {
            case .success(.record(let envelope)): outcome = chain.receive(subject: message.subject, envelope: envelope)
            default: outcome = chain.refuse(subject: message.subject, why: "stream seq \(seq) on \(message.subject) is not a record envelope")
            }
            switch outcome {
            case .apply(let record):
                mirrorSeq += 1
                records.append(Record(seq: mirrorSeq, time: record.time, actor: record.actor, event: record.event, prev: record.prev, hash: record.hash))
            case .passOver: break
            case .stop(let why): log.error("ALARM mirror: STOPPED \(why); the other stores go on")
            }
        }
        sinceSnapshot += messages.count
        if let last = records.last {
            live.apply(records, position: LogPosition(seq: mirrorSeq, hash: last.hash, segment: 1, offset: 0))
        }
        let stores = chain.stores.values.sorted { $0.province < $1.province }
        published.withLockedValue { $0.stores = stores; $0.streamSeq = streamSeq }
    }

    /// Starts writing the state on `stateWriter`, off this thread: checking and folding go on
    /// meanwhile (the state is a copy; the ledger's storage is shared until it changes). Its
    /// acknowledgement waits for the file: `acknowledgeWritten`.
    private func startWriting() {
        let state = live.read { (ledger, _) in
            MirrorState(streamSeq: streamSeq, mirrorSeq: mirrorSeq, stores: Array(chain.stores.values), ledger: copy ledger)
        }
        let outcome = LockedBox<TrackerError??>(nil)
        let layout = layout
        writing = (lastAck, outcome)
        lastAck = nil
        sinceSnapshot = 0
        lastSnapshot = monotonicNow()
        stateWriter.async {
            let error: TrackerError?
            do throws(TrackerError) { try state.write(layout); error = nil } catch let failure { error = failure }
            outcome.withLockedValue { $0 = .some(error) }
        }
    }

    /// Once the state being written is on disk, acknowledges everything through it (waiting for
    /// it if `waiting`). A write that failed is an error; its position is acknowledged by the
    /// next state written.
    private func acknowledgeWritten(_ nats: NATSConnection, waiting: Bool) throws(TrackerError) {
        guard let current = writing else { return }
        if waiting { stateWriter.sync {} }
        guard let ended = current.outcome.withLockedValue({ $0 }) else { return }
        writing = nil
        if let error = ended {
            if lastAck == nil { lastAck = current.ack }
            sinceSnapshot = max(sinceSnapshot, 1)
            throw error
        }
        if let ack = current.ack { try nats.publish(ack, payload: Array("+ACK".utf8)) }
    }

    /// Writes the state, then acknowledges everything through it.
    private func saveAndAcknowledge(_ nats: NATSConnection) throws(TrackerError) {
        try save()
        if let ack = lastAck {
            try nats.publish(ack, payload: Array("+ACK".utf8))
            lastAck = nil
        }
    }

    private func save() throws(TrackerError) {
        let state = live.read { (ledger, _) in
            MirrorState(streamSeq: streamSeq, mirrorSeq: mirrorSeq, stores: Array(chain.stores.values), ledger: copy ledger)
        }
        try state.write(layout)
        sinceSnapshot = 0
        lastSnapshot = monotonicNow()
    }

    /// The stream sequence in an acknowledgement subject: `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.…`
    /// (9 tokens), or with a domain and account hash before the stream (12 tokens and more).
    static func streamSeq(ofAck subject: String) -> UInt64? {
        // Read from the bytes (no strings made): count the tokens, then read the one number.
        var subject = subject
        return subject.withUTF8 { bytes -> UInt64? in
            let dot = UInt8(ascii: ".")
            var tokens = 1
            for byte in bytes where byte == dot { tokens += 1 }
            guard tokens >= 9 else { return nil }
            let wanted = tokens >= 12 ? 7 : 5
            var index = 0
            for _ in 0..<wanted {
                while bytes[index] != dot { index += 1 }
                index += 1
            }
            var value: UInt64 = 0
            var digits = 0
            while index < bytes.count, bytes[index] != dot {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39, digits < 19 else { return nil }
                value = value * 10 + UInt64(byte - 0x30)
                digits += 1
                index += 1
            }
            return digits > 0 ? value : nil
        }
    }
}
