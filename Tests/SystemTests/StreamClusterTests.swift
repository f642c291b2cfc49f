import Dispatch
import Events
import Foundation
import Glibc
import Projections
import Testing
import TestSupport

/// Two provinces' daemons publishing to a real three-node JetStream cluster (a stream of three
/// replicas) under concurrent load, through a node killed, the whole cluster stopped, and a
/// daemon killed mid-publish; and a daemon reaching the cluster through a local leaf node.
///
/// Slower than the other suites (a cluster's elections take seconds): run when
/// `TRACKER_STREAM_CLUSTER_TESTS=1` (set by .ci/run).
@Suite("JetStream cluster: two provinces, every acknowledged record once and in order", .serialized,
       .enabled(if: NATSServers.binary != nil && ProcessInfo.processInfo.environment["TRACKER_STREAM_CLUSTER_TESTS"] == "1",
                "set TRACKER_STREAM_CLUSTER_TESTS=1 (with nats-server installed) to run the cluster tests"))
struct StreamClusterTests {
    /// Disburses 1.000 đ `count` times on the one-task store from `threads` connections at once;
    /// returns the refs the daemon acknowledged as recorded.
    static func load(_ socket: String, prefix: String, count: Int, threads: Int = 4) -> Set<String> {
        let acknowledged = LockedRefs()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            guard let client = LineClient(socket: socket) else { return }
            for n in stride(from: thread, to: count, by: threads) {
                let ref = "\(prefix)-\(n)"
                let answer = client.call(#"{"id":1,"op":"disburse","task":"P#1","amount":1000,"date":"2023-02-01","ref":"\#(ref)"}"#)
                if answer?["result", "recorded"] == .bool(true) { acknowledged.insert(ref) }
            }
        }
        return acknowledged.refs
    }

    /// The refs and the sum of the disbursements the stream holds for the daemon's store.
    static func disbursements(in client: NATSTestClient, of daemon: TrackerProcess) throws -> (refs: Set<String>, total: Int64) {
        guard let hello = StreamPublishTests.hello(daemon), case .string(let subject)? = hello["stream", "subject"] else { return ([], 0) }
        var refs = Set<String>()
        var total: Int64 = 0
        for message in try client.messages(stream: "T", subject: subject) {
            guard case .record(let envelope) = try LogEnvelope.read(message.data),
                  case .disbursementRecorded(let payment) = try envelope.record.withUnsafeBytes({ try RecordCodec.decode($0) }).event else { continue }
            refs.insert(payment.ref.text)
            total += payment.amount.dong
        }
        return (refs, total)
    }

    /// The daemon's own total disbursed (`status --json`).
    static func statusTotal(_ daemon: TrackerProcess) throws -> Int64? {
        if case .int(let total)? = try daemon.json("status", "--as-of", "2023-12-31")["total", "disbursed"] { return total }
        return nil
    }

    @Test("two provinces under load: a node SIGKILLed and restarted, the whole cluster stopped and started, a daemon SIGKILLed mid-publish; the stream holds every acknowledged record once, in order, and its sums equal each province's status")
    func cluster() throws {
        let nats = try NATSServers(count: 3)
        let provinces = try ["QNG", "KTM"].map { province in
            try TrackerProcess(configuration: StreamPublishTests.configuration(nats.urls, province: province, replicas: 3, extra: "ack_timeout_seconds = 3\n"))
        }
        for daemon in provinces { try daemon.importOneTask(total: "100 tỷ", allocated: "100 tỷ") }
        let during = [LockedRefs(), LockedRefs()]
        let sockets = provinces.map(\.socket)

        // Both provinces append while node 2 is killed and started again.
        DispatchQueue.concurrentPerform(iterations: 3) { task in
            switch task {
            case 0, 1: during[task].formUnion(Self.load(sockets[task], prefix: "L\(task)", count: 600))
            default:
                _ = pollUntil(seconds: 30) { (StreamPublishTests.hello(socket: sockets[0])?["stream", "published"]).map { if case .int(let n) = $0 { n > 100 } else { false } } ?? false }
                nats.stop(1, signal: SIGKILL)
                usleep(500_000)
                try? nats.start(1)
            }
        }
        var acknowledged = during.map(\.refs)
        for daemon in provinces { StreamPublishTests.waitDrained(daemon, seconds: 180) }
        var client = try #require(NATSTestClient(port: nats.clientPorts[0]))
        for (index, daemon) in provinces.enumerated() {
            try StreamPublishTests.expectStreamHoldsLog(daemon, client: client)
            let streamed = try Self.disbursements(in: client, of: daemon)
            #expect(acknowledged[index].count == 600)
            #expect(acknowledged[index].isSubset(of: streamed.refs))
        }

        // The whole cluster stopped: the daemons record on; their backlogs drain once it is back.
        for index in 0..<3 { nats.stop(index) }
        for (index, daemon) in provinces.enumerated() { acknowledged[index].formUnion(Self.load(daemon.socket, prefix: "M\(index)", count: 100, threads: 2)) }
        for daemon in provinces {
            waitUntil("the backlog shows while the cluster is down") {
                (StreamPublishTests.hello(daemon)?["stream", "backlog"]).map { if case .int(let n) = $0 { n >= 100 } else { false } } ?? false
            }
        }
        for index in 0..<3 { try nats.start(index) }
        for daemon in provinces { StreamPublishTests.waitDrained(daemon, seconds: 180) }

        // A province daemon killed while it publishes a backlog resumes without gap or duplicate.
        _ = try provinces[1].ok("import", try provinces[1].payments(2000, prefix: "K"))
        provinces[1].crash()
        try provinces[1].start()
        StreamPublishTests.waitDrained(provinces[1], seconds: 180)

        client = try #require(NATSTestClient(port: nats.clientPorts[2]))
        for (index, daemon) in provinces.enumerated() {
            try StreamPublishTests.expectStreamHoldsLog(daemon, client: client)
            let streamed = try Self.disbursements(in: client, of: daemon)
            #expect(acknowledged[index].isSubset(of: streamed.refs))
            #expect(try Self.statusTotal(daemon) == streamed.total, "the stream's sum of disbursements differs from the province's status")
            #expect(!daemon.daemonLog.contains("ALARM"))
        }

        // A national mirror of the cluster: its status by province equals each province's own.
        let mirror = try TrackerProcess(arguments: ["--mirror"], configuration: "[checkpoints]\n[mirror]\nservers = \(nats.urls)\nstream = T\n")
        try MirrorTests.waitCaughtUp(mirror, client: client, seconds: 180)
        let national = try MirrorTests.provinces(mirror)
        #expect(national["QNG"] == (try MirrorTests.own(provinces[0])))
        #expect(national["KTM"] == (try MirrorTests.own(provinces[1])))
        #expect(!mirror.daemonLog.contains("ALARM"))
    }

    @Test("a daemon publishing through a local leaf node (no JetStream of its own) reaches the cluster's stream")
    func leafNode() throws {
        let hub = try NATSServers(count: 3, acceptsLeaves: true)
        let leaf = try NATSServers(count: 1, leafRemote: hub.leafPorts[0])
        let daemon = try TrackerProcess(configuration: StreamPublishTests.configuration(leaf.urls, replicas: 3, extra: "domain = hub\n"))
        try daemon.importOneTask(total: "100 tỷ", allocated: "100 tỷ")
        _ = Self.load(daemon.socket, prefix: "F", count: 50, threads: 2)
        StreamPublishTests.waitDrained(daemon, seconds: 120)
        try StreamPublishTests.expectStreamHoldsLog(daemon, client: try #require(NATSTestClient(port: hub.clientPorts[1])))
    }
}

/// Refs collected from several threads.
final class LockedRefs: @unchecked Sendable {
    private let lock = NSLock()
    private var set = Set<String>()
    func insert(_ ref: String) { lock.lock(); set.insert(ref); lock.unlock() }
    func formUnion(_ refs: Set<String>) { lock.lock(); set.formUnion(refs); lock.unlock() }
    var refs: Set<String> { lock.lock(); defer { lock.unlock() }; return set }
}
