import Events
import Foundation
import Glibc
import Projections
import Testing
import TestSupport

/// trackerd publishing its log to a real NATS JetStream (Debian's nats-server on loopback):
/// every durable record once, in order, under `PREFIX.PROVINCE.STORE`, through restarts, crashes
/// and outages; someone else writing on the subject stops publishing with an alarm.
@Suite("Publishing to JetStream: every record once, in order, through crashes and outages", .serialized,
       .enabled(if: NATSServers.binary != nil, "nats-server is not installed (scripts/test installs it)"))
struct StreamPublishTests {
    /// The configuration of a daemon publishing to `servers`; `extra` lines of `[stream]` (an
    /// `ack_timeout_seconds` there replaces the 2 s given otherwise: a key is given once).
    static func configuration(_ servers: String, province: String = "QNG", replicas: Int = 1, extra: String = "") -> String {
        TrackerProcess.testConfiguration + "province = \(province)\n[checkpoints]\n[stream]\nservers = \(servers)\nstream = T\nreplicas = \(replicas)\n"
            + (extra.contains("ack_timeout_seconds") ? "" : "ack_timeout_seconds = 2\n") + extra
    }

    /// The daemon's `hello` result.
    static func hello(_ daemon: TrackerProcess) -> JSONObject? { hello(socket: daemon.socket) }

    /// The `hello` result of the daemon on `socket`.
    static func hello(socket: String) -> JSONObject? {
        guard case .object(let result)? = LineClient(socket: socket)?.call(#"{"id":1,"op":"hello"}"#)?["result"] else { return nil }
        return result
    }

    /// Waits until the daemon's stream state shows everything published.
    static func waitDrained(_ daemon: TrackerProcess, seconds: Double = 120, sourceLocation: SourceLocation = #_sourceLocation) {
        waitUntil("trackerd published everything (backlog 0)", seconds: seconds, sourceLocation: sourceLocation) {
            guard let hello = hello(daemon), case .int(let head)? = hello["head", "seq"] else { return false }
            return hello["stream", "backlog"] == .int(0) && hello["stream", "published"] == .int(head)
        }
    }

    /// The store's lines as stored.
    static func stored(_ daemon: TrackerProcess) throws -> [[UInt8]] {
        try daemon.segments().flatMap { path in
            try Data(contentsOf: URL(fileURLWithPath: path)).split(separator: 0x0A).map { Array($0) }.filter { !$0.isEmpty && $0[0] != 0 }
        }
    }

    /// Checks that the stream holds the store's records exactly once each, in order, each as the
    /// envelope of the stored bytes with the message id STORE:SEQ.
    static func expectStreamHoldsLog(_ daemon: TrackerProcess, client: NATSTestClient, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let hello = hello(daemon), case .string(let subject)? = hello["stream", "subject"], case .string(let id)? = hello["store_id"] else {
            Issue.record("no stream subject in hello", sourceLocation: sourceLocation)
            return
        }
        let messages = try client.messages(stream: "T", subject: subject)
        let lines = try stored(daemon)
        #expect(messages.count == lines.count, "the stream holds \(messages.count) messages of \(subject), the log \(lines.count) records", sourceLocation: sourceLocation)
        for (index, (message, line)) in zip(messages, lines).enumerated() {
            let seq = UInt64(index + 1)
            #expect(message.headers?["Nats-Msg-Id"] == "\(id):\(seq)", sourceLocation: sourceLocation)
            guard case .record(let envelope) = try LogEnvelope.read(message.data) else {
                Issue.record("message \(message.seq) is no envelope", sourceLocation: sourceLocation)
                return
            }
            #expect(envelope.store == id && envelope.seq == seq && envelope.record == line, "record \(seq) differs in the stream", sourceLocation: sourceLocation)
            if envelope.record != line { return }
        }
    }


    @Test("every durable record is published once, in order, with its id; an outage leaves a backlog that drains; a SIGKILL mid-publish resumes without gap or duplicate")
    func publishes() throws {
        let nats = try NATSServers(count: 1)
        let daemon = try TrackerProcess(configuration: Self.configuration(nats.urls, province: "KTM"))
        try daemon.importOneTask(total: "100 tỷ", allocated: "100 tỷ")
        for n in 1...20 { _ = try daemon.ok("disburse", "P#1", "1000", "--date", "2023-02-01", "--ref", "A-\(n)") }
        Self.waitDrained(daemon)
        let client = try #require(NATSTestClient(port: nats.clientPorts[0]))
        let hello = try #require(Self.hello(daemon))
        #expect(hello["stream", "subject"] == .string("tracker.KTM.\(hello["store_id"].map { if case .string(let s) = $0 { s } else { "" } } ?? "")"))
        try Self.expectStreamHoldsLog(daemon, client: client)

        // NATS goes away: the daemon records on, shows its backlog, and drains it when NATS is back.
        nats.stop(0)
        _ = try daemon.ok("import", try daemon.payments(50, prefix: "B"))
        waitUntil("hello shows a backlog of 50 while NATS is away") { Self.hello(daemon)?["stream", "backlog"] == .int(50) }
        #expect(Self.hello(daemon)?["stream", "connected"] == .bool(false))
        #expect(daemon.daemonLog.contains("records waiting (backlog); recording goes on"))
        try nats.start(0)
        Self.waitDrained(daemon)
        #expect(daemon.daemonLog.contains("stream: backlog drained"))
        try Self.expectStreamHoldsLog(daemon, client: try #require(NATSTestClient(port: nats.clientPorts[0])))

        // Killed while publishing a backlog: the next start asks the stream where it stands.
        _ = try daemon.ok("import", try daemon.payments(2000, prefix: "C"))
        daemon.crash()
        try daemon.start()
        _ = try daemon.ok("disburse", "P#1", "1000", "--date", "2023-02-01", "--ref", "D-1")
        Self.waitDrained(daemon)
        try Self.expectStreamHoldsLog(daemon, client: try #require(NATSTestClient(port: nats.clientPorts[0])))
        #expect(!daemon.daemonLog.contains("ALARM"))
    }

    @Test("a message published on the store's subject by someone else stops publishing with an alarm in hello and the log, and recording goes on")
    func forgedMessageRaisesAlarm() throws {
        let nats = try NATSServers(count: 1)
        let daemon = try TrackerProcess(configuration: Self.configuration(nats.urls))
        try daemon.importOneTask(total: "100 tỷ", allocated: "100 tỷ")
        Self.waitDrained(daemon)
        let hello = try #require(Self.hello(daemon))
        guard case .string(let subject)? = hello["stream", "subject"], case .string(let id)? = hello["store_id"] else { return }
        let client = try #require(NATSTestClient(port: nats.clientPorts[0]))
        // A forged record 6, bypassing the daemon (no expected sequence: any writer can do this).
        let forged = Array("{\"store\":\"\(id)\",\"seq\":6,\"record\":{\"seq\":6}}".utf8)
        let ack = try #require(client.request(subject, headers: NATSHeaders(fields: [("Nats-Msg-Id", "forger-1")]), payload: forged))
        #expect(try JetStreamReply.ack(ack.payload).duplicate == false)
        _ = try daemon.ok("disburse", "P#1", "1000", "--date", "2023-02-01", "--ref", "E-1")
        let alarm = waitFor("an alarm in hello") { () -> String? in
            if case .string(let text)? = Self.hello(daemon)?["stream", "alarm"] { return text }
            return nil
        }
        #expect(alarm?.contains("someone else has published on this store's subject") == true)
        #expect(daemon.daemonLog.contains("ALARM stream: publishing STOPPED"))
        // Recording goes on; the record waits in the backlog.
        _ = try daemon.ok("disburse", "P#1", "1000", "--date", "2023-02-01", "--ref", "E-2")
        #expect(Self.hello(daemon)?["stream", "backlog"] == .int(2))
        // A restart does not publish over the forged message either: the stream's last message is not this store's record.
        #expect(daemon.stop() == 0)
        try daemon.start()
        waitUntil("the restarted daemon raised the alarm again") { Self.hello(daemon)?["stream", "alarm"] != nil }
        #expect(try client.messages(stream: "T", subject: subject).count == 6)
    }

    @Test("a message someone else published with the id of the store's next record is taken for what it is: a duplicate this daemon did not send stops publishing with an alarm")
    func foreignDuplicateRaisesAlarm() throws {
        let nats = try NATSServers(count: 1)
        let daemon = try TrackerProcess(configuration: Self.configuration(nats.urls))
        try daemon.importOneTask(total: "100 tỷ", allocated: "100 tỷ")
        Self.waitDrained(daemon)
        let hello = try #require(Self.hello(daemon))
        guard case .string(let subject)? = hello["stream", "subject"], case .string(let id)? = hello["store_id"] else { return }
        let client = try #require(NATSTestClient(port: nats.clientPorts[0]))
        // Record 6 does not exist yet; a forger publishes under its id, with the right expected sequence.
        let forged = Array("{\"store\":\"\(id)\",\"seq\":6,\"record\":{\"seq\":6}}".utf8)
        let reply = try #require(client.request(subject, headers: NATSHeaders(fields: [("Nats-Msg-Id", "\(id):6"), ("Nats-Expected-Last-Subject-Sequence", "5")]),
                                                payload: forged))
        #expect(try JetStreamReply.ack(reply.payload).duplicate == false)
        _ = try daemon.ok("disburse", "P#1", "1000", "--date", "2023-02-01", "--ref", "G-1")
        let alarm = waitFor("an alarm in hello") { () -> String? in
            if case .string(let text)? = Self.hello(daemon)?["stream", "alarm"] { return text }
            return nil
        }
        #expect(alarm?.contains("already held a message with id \(id):6") == true)
        #expect(try client.messages(stream: "T", subject: subject).count == 6)
    }
}
