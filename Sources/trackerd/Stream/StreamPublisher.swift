import Events
import Foundation
import Glibc
import Projections

/// Publishes every durable record of the store to JetStream, in order, each exactly once.
///
/// Off the write path: a thread of its own follows the log (woken when records become durable)
/// and reads them back from the segment files, so a clerk's acknowledgement never waits for
/// NATS. Each record goes to `PREFIX.PROVINCE.STORE` as the envelope
/// `{"store":…,"seq":…,"record":<the stored bytes>}`, with the headers `Nats-Msg-Id: STORE:SEQ`
/// and `Nats-Expected-Last-Subject-Sequence:` the stream sequence the previous record of this
/// store received (0 before the first); the next record is sent only once this one is
/// acknowledged. At start (and after the stream was lost) it asks the stream for the last
/// message of its subject and goes on after it, once it has checked that message is the record
/// the log holds at that seq.
///
/// While NATS cannot be reached, records wait (the backlog: in `hello` and in the daemon's log)
/// and the daemon records as ever; the backlog drains when NATS is back. A lost acknowledgement
/// is retried with the same message id, which JetStream recognises as a duplicate within its
/// window. A refusal for a wrong expected sequence, or a duplicate of a message it did not send,
/// means someone else writes on this store's subject (or the stream holds another history of this
/// store): it stops publishing, raises an alarm (`hello`, the log), and recording goes on.
final class StreamPublisher: @unchecked Sendable {
    private let settings: StreamSettings
    private let store: StoreID
    let subject: String
    private let layout: StoreLayout
    private let live: LiveLedger
    private let log: DaemonLog
    private let wake = ConditionLock()
    private var woken = false
    private let state: LockedBox<StreamStatus>

    /// Records read back from the log and sent in one go at most (one acknowledgement each).
    private static let batchRecords = 512

    init(settings: StreamSettings, store: StoreID, province: ProvinceCode, layout: StoreLayout, live: LiveLedger, log: DaemonLog) {
        self.settings = settings
        self.store = store
        self.layout = layout
        self.live = live
        self.log = log
        subject = settings.subject(province: province, store: store)
        state = LockedBox(StreamStatus(subject: subject, published: 0, backlog: live.head.seq, connected: false))
    }

    /// Where publishing stands now (for `hello`).
    var status: StreamStatus {
        let head = live.head.seq
        return state.withLockedValue { status in
            var copy = status
            copy.backlog = head > status.published ? head - status.published : 0
            return copy
        }
    }

    /// Starts publishing on a thread of its own.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "trackerd-stream"
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Records became durable: publish them now (any thread; never waits).
    func recordsCommitted() {
        wake.withLock {
            woken = true
            wake.signal()
        }
    }

    /// Waits until woken or `seconds` pass.
    private func sleep(_ seconds: Double) {
        wake.withLock {
            if !woken { _ = wake.wait(seconds: seconds) }
            woken = false
        }
    }

    // MARK: The publishing thread

    /// Where the subject stands in the stream: the last seq of this store it holds and that
    /// message's stream sequence (for the next expected-sequence header).
    private struct Position {
        var published: UInt64
        var streamSeq: UInt64
    }

    private func run() {
        var connection: NATSConnection? = nil
        var position: Position? = nil
        var serverIndex = 0
        var failures = 0
        var lastWarning = -1e9
        // After a lost connection the first record sent may be one the stream took before the
        // acknowledgement was lost: its duplicate acknowledgement is then expected, not an alarm.
        var mayBeDuplicate = false
        log.info("stream: publishing \(store) to \(subject) on stream \(settings.streamName) via \(settings.servers.map(\.description).joined(separator: ", "))")
        while true {
            if state.withLockedValue({ $0.alarm != nil }) {
                sleep(3600)
                continue
            }
            do throws(TrackerError) {
                if connection == nil {
                    let server = settings.servers[serverIndex % settings.servers.count]
                    serverIndex += 1
                    connection = try NATSConnection(server: server, name: "trackerd \(store)", user: settings.user,
                                                    password: settings.password, token: settings.token, timeout: settings.ackTimeout)
                    state.withLockedValue { $0.connected = true; $0.lastError = nil }
                    log.info("stream: connected to \(server)")
                }
                guard let nats = connection else { continue }
                if position == nil {
                    // Where the subject stands is asked again after every reconnection: the stream
                    // may have taken a record whose acknowledgement was lost.
                    position = try resume(nats)
                    state.withLockedValue { $0.published = position!.published }
                }
                let head = live.head
                guard var at = position, at.published < head.seq else {
                    if failures > 0 || lastWarning > 0 {
                        log.info("stream: backlog drained: published through seq \(head.seq)")
                        failures = 0
                        lastWarning = -1e9
                    }
                    sleep(1)
                    continue
                }
                for (seq, bytes) in try records(after: at.published, through: head) {
                    let ack = try publish(nats, seq: seq, record: bytes, expected: at.streamSeq, mayBeDuplicate: mayBeDuplicate)
                    mayBeDuplicate = false
                    at = Position(published: seq, streamSeq: ack)
                    position = at
                    state.withLockedValue { $0.published = seq }
                }
            } catch let error where error.code == .conflict {
                // Someone else writes on this subject: stop for good, keep recording.
                log.error("ALARM stream: publishing STOPPED: \(error.message). Records are still recorded here; publishing starts again only when trackerd is restarted, after an operator has looked")
                state.withLockedValue { $0.alarm = error.message; $0.connected = false }
                connection?.close()
                connection = nil
            } catch {
                // The engine is away (or slow, or electing a leader): try again later.
                connection?.close()
                connection = nil
                position = nil
                mayBeDuplicate = true
                failures += 1
                let backlog = status.backlog
                state.withLockedValue { $0.connected = false; $0.lastError = error.message }
                let now = monotonicNow()
                if now - lastWarning >= 30 {
                    log.warning("stream: \(error.message); \(backlog) records waiting (backlog); recording goes on and publishing resumes when NATS answers")
                    lastWarning = now
                }
                sleep(min(5, 0.1 * Double(1 << min(failures, 6))))
            }
        }
    }

    /// Makes the stream when it is missing, then finds where this store's subject stands in it:
    /// its last message, checked against the record the log holds at that message's seq.
    private func resume(_ nats: NATSConnection) throws(TrackerError) -> Position {
        let info = try api(nats, "\(settings.apiPrefix).STREAM.INFO.\(settings.streamName)", payload: [])
        if case .failure(let error) = info {
            guard error.isStreamNotFound else { throw TrackerError(.unavailable, "stream \(settings.streamName): \(error.description)") }
            let config = JetStreamReply.streamConfiguration(name: settings.streamName, prefix: settings.subjectPrefix, replicas: settings.replicas)
            if case .failure(let error) = try api(nats, "\(settings.apiPrefix).STREAM.CREATE.\(settings.streamName)", payload: config), error.errorCode != 10058 {
                throw TrackerError(.unavailable, "cannot create the stream \(settings.streamName): \(error.description)")
            }
            log.info("stream: made the stream \(settings.streamName) for \(settings.subjectPrefix).> with \(settings.replicas) replicas")
        }
        var request = JSONWriter(capacity: 128)
        request.beginObject()
        request.key("last_by_subj"); request.string(subject)
        request.endObject()
        let reply = try nats.request("\(settings.apiPrefix).STREAM.MSG.GET.\(settings.streamName)", payload: request.bytes, timeout: settings.ackTimeout)
        try checkStatus(reply)
        let stored: JetStreamReply.StoredMessage
        do { stored = try JetStreamReply.storedMessage(reply.payload) } catch let error as JetStreamReply.APIError where error.isNoMessage {
            log.info("stream: \(subject) holds nothing yet: publishing from seq 1")
            return Position(published: 0, streamSeq: 0)
        } catch {
            throw TrackerError(.unavailable, "cannot read the last message of \(subject): \(error)")
        }
        let envelope: LogEnvelope
        do throws(TrackerError) {
            guard case .record(let read) = try LogEnvelope.read(stored.data) else { throw TrackerError(.badRequest, "no record in it") }
            envelope = read
        } catch {
            throw TrackerError(.conflict, "the last message on \(subject) (stream seq \(stored.seq)) is not a record of this store: \(error.message)")
        }
        guard envelope.store == store.text else {
            throw TrackerError(.conflict, "the last message on \(subject) (stream seq \(stored.seq)) names store \(envelope.store), not this store \(store)")
        }
        let head = live.head
        guard envelope.seq <= head.seq else {
            throw TrackerError(.conflict, "the stream holds record \(envelope.seq) of this store, but its log ends at seq \(head.seq): was it restored from an older backup? Publishing again would fork \(subject)")
        }
        var local: [UInt8]? = nil
        try LogReader(directory: layout.directory).forEachLine(from: envelope.seq, through: head) { (line) throws(TrackerError) -> Bool in
            if line.seq == envelope.seq { local = Array(line.bytes) }
            return false
        }
        guard local == envelope.record else {
            throw TrackerError(.conflict, "record \(envelope.seq) in the stream (stream seq \(stored.seq)) differs from record \(envelope.seq) of this store's log: the stream holds another history of this store")
        }
        log.info("stream: \(subject) holds this store's records through seq \(envelope.seq) (stream seq \(stored.seq)): publishing from seq \(envelope.seq + 1) (\(head.seq - envelope.seq) records waiting)")
        return Position(published: envelope.seq, streamSeq: stored.seq)
    }

    /// Up to `batchRecords` records after `seq`, through `head`, as stored.
    private func records(after seq: UInt64, through head: LogPosition) throws(TrackerError) -> [(UInt64, [UInt8])] {
        var batch: [(UInt64, [UInt8])] = []
        var expected = seq + 1
        try LogReader(directory: layout.directory).forEachLine(from: seq + 1, through: head) { (line) throws(TrackerError) -> Bool in
            guard line.seq == expected else {
                throw TrackerError(.corrupt, "record \(expected) is missing from the log where the stream needs it (found \(line.seq))")
            }
            batch.append((line.seq, Array(line.bytes)))
            expected += 1
            return batch.count < Self.batchRecords
        }
        return batch
    }

    /// Publishes one record and waits for its acknowledgement; returns the stream sequence it got.
    private func publish(_ nats: NATSConnection, seq: UInt64, record: [UInt8], expected: UInt64, mayBeDuplicate: Bool) throws(TrackerError) -> UInt64 {
        let headers = NATSHeaders(fields: [("Nats-Msg-Id", "\(store):\(seq)"), ("Nats-Expected-Last-Subject-Sequence", String(expected))])
        let payload = record.withUnsafeBytes { LogEnvelope.encoded(store: store.text, seq: seq, record: $0) }
        let reply = try nats.request(subject, headers: headers, payload: payload, timeout: settings.ackTimeout)
        try checkStatus(reply)
        let ack: JetStreamReply.Ack
        do { ack = try JetStreamReply.ack(reply.payload) } catch let error as JetStreamReply.APIError where error.isWrongLastSequence {
            throw TrackerError(.conflict, "JetStream refused record \(seq) on \(subject): \(error.description) (this daemon expected \(expected)): someone else has published on this store's subject")
        } catch {
            throw TrackerError(.unavailable, "JetStream did not take record \(seq): \(error)")
        }
        if ack.duplicate && !mayBeDuplicate {
            throw TrackerError(.conflict, "JetStream already held a message with id \(store):\(seq) (stream seq \(ack.seq)) that this daemon did not send: someone else has published on this store's subject")
        }
        return ack.seq
    }

    /// A JetStream API request: its JSON answer, or its API error.
    private func api(_ nats: NATSConnection, _ subject: String, payload: [UInt8]) throws(TrackerError) -> Result<JSONObject, JetStreamReply.APIError> {
        let reply = try nats.request(subject, payload: payload, timeout: settings.ackTimeout)
        try checkStatus(reply)
        do { return .success(try JetStreamReply.object(reply.payload)) } catch let error as JetStreamReply.APIError {
            return .failure(error)
        } catch {
            throw TrackerError(.unavailable, "JetStream's answer to \(subject) is not JSON: \(error)")
        }
    }

    /// A reply that is only a status (503: nobody answers, JetStream is not there or not ready).
    private func checkStatus(_ reply: NATSMessage) throws(TrackerError) {
        guard let status = reply.headers?.status, reply.payload.isEmpty else { return }
        throw TrackerError(.unavailable, status == 503 ? "JetStream does not answer on \(reply.subject.isEmpty ? subject : "its subjects") (no responders): no stream for \(subject), or JetStream is not ready"
                                                        : "NATS answered status \(status) \(reply.headers?.statusDescription ?? "")")
    }
}
