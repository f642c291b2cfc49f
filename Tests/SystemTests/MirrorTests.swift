import Events
import Foundation
import Glibc
import Projections
import Testing
import TestSupport

/// `trackerd --mirror`: the national view built from the stream, checked store by store, served
/// read-only, surviving restarts.
@Suite("The national mirror: provinces' records from JetStream, checked, folded and served read-only", .serialized,
       .enabled(if: NATSServers.binary != nil, "nats-server is not installed (scripts/test installs it)"))
struct MirrorTests {
    /// A mirror of stream T on `servers`, in a directory of its own.
    static func mirror(_ servers: String) throws -> TrackerProcess {
        try TrackerProcess(arguments: ["--mirror"], configuration: "[checkpoints]\n[mirror]\nservers = \(servers)\nstream = T\nsnapshot_every_records = 500\n")
    }

    /// The mirror's `hello`: how far it has read, and its stores.
    static func mirrored(_ mirror: TrackerProcess) -> (streamSeq: Int64, stores: [JSONObject])? {
        guard let hello = StreamPublishTests.hello(mirror), case .int(let seq)? = hello["mirror", "stream_seq"],
              case .array(let stores)? = hello["mirror", "stores"] else { return nil }
        return (seq, stores.compactMap { if case .object(let o) = $0 { o } else { nil } })
    }

    /// Waits until the mirror has read the stream through its last message.
    static func waitCaughtUp(_ mirror: TrackerProcess, client: NATSTestClient, seconds: Double = 120, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard case .int(let last)? = try client.api("$JS.API.STREAM.INFO.T")["state", "last_seq"] else { return }
        waitUntil("the mirror read the stream through seq \(last)", seconds: seconds, sourceLocation: sourceLocation) {
            (mirrored(mirror)?.streamSeq ?? 0) >= last
        }
    }

    /// `status --by province` of the mirror, as JSON: province → (allocated, disbursed).
    static func provinces(_ mirror: TrackerProcess) throws -> [String: [Int64]] {
        var result: [String: [Int64]] = [:]
        guard case .array(let rows)? = try mirror.json("status", "--by", "province", "--as-of", "2023-12-31")["rows"] else { return [:] }
        for case .object(let row) in rows {
            guard case .string(let key)? = row["key"], case .int(let allocated)? = row["allocated"], case .int(let disbursed)? = row["disbursed"] else { continue }
            result[key] = [allocated, disbursed]
        }
        return result
    }

    /// A province's own totals (`status`).
    static func own(_ daemon: TrackerProcess) throws -> [Int64] {
        let status = try daemon.json("status", "--as-of", "2023-12-31")
        guard case .int(let allocated)? = status["total", "allocated"], case .int(let disbursed)? = status["total", "disbursed"] else { return [] }
        return [allocated, disbursed]
    }

    @Test("two provinces mirrored: status by province equals each province's own totals, agencies are namespaced, commands are refused with read_only, and the state survives a stop and a SIGKILL")
    func mirrorsProvinces() throws {
        let nats = try NATSServers(count: 1)
        let qng = try TrackerProcess(arguments: ["--import", Binaries.sampleData],
                                     configuration: StreamPublishTests.configuration(nats.urls, province: "QNG"))
        let ktm = try TrackerProcess(configuration: StreamPublishTests.configuration(nats.urls, province: "KTM"))
        try ktm.importOneTask(total: "100 tỷ", allocated: "100 tỷ")
        _ = try ktm.ok("import", try ktm.payments(1200, prefix: "K"))
        for daemon in [qng, ktm] { StreamPublishTests.waitDrained(daemon) }
        let client = try #require(NATSTestClient(port: nats.clientPorts[0]))
        let mirror = try Self.mirror(nats.urls)
        try Self.waitCaughtUp(mirror, client: client)
        var national = try Self.provinces(mirror)
        #expect(national["QNG"] == (try Self.own(qng)))
        #expect(national["KTM"] == [100_000_000_000, 1_200_000])
        #expect(try Self.own(ktm) == [100_000_000_000, 1_200_000])
        let agencies = try mirror.ok("status", "--by", "agency", "--as-of", "2023-12-31")
        #expect(agencies.contains("QNG:BDT") && agencies.contains("KTM:A"))
        let refused = try mirror.ctl("disburse", "KTM:P#1", "1000", "--date", "2023-02-01", "--ref", "M-1")
        #expect(refused.status == 1 && refused.stderr.contains("(read_only)"))
        #expect(LineClient(socket: mirror.socket)?.call(#"{"id":1,"op":"agency.register","agency":"X","name":"X"}"#)?["error", "code"] == .string("read_only"))

        // Stopped and started again: the state is the same, and new records are added to it.
        #expect(mirror.stop() == 0)
        try mirror.start()
        #expect(try Self.provinces(mirror)["KTM"]?[1] == 1_200_000)
        _ = try ktm.ok("import", try ktm.payments(300, prefix: "L"))
        StreamPublishTests.waitDrained(ktm)
        try Self.waitCaughtUp(mirror, client: client)
        #expect(try Self.provinces(mirror)["KTM"]?[1] == 1_500_000)
        // Killed: what it had not saved is delivered again and counted once.
        mirror.crash()
        _ = try ktm.ok("import", try ktm.payments(100, prefix: "N"))
        StreamPublishTests.waitDrained(ktm)
        try mirror.start()
        try Self.waitCaughtUp(mirror, client: client)
        national = try Self.provinces(mirror)
        #expect(national["KTM"] == (try Self.own(ktm)))
        #expect(national["QNG"] == (try Self.own(qng)))
        #expect(!mirror.daemonLog.contains("ALARM"))
    }

    @Test("a forged record under one province's subject stops that province in the mirror, naming store and seq; the other goes on")
    func forgedRecordStopsOneProvince() throws {
        let nats = try NATSServers(count: 1)
        let qng = try TrackerProcess(configuration: StreamPublishTests.configuration(nats.urls, province: "QNG"))
        let ktm = try TrackerProcess(configuration: StreamPublishTests.configuration(nats.urls, province: "KTM"))
        for daemon in [qng, ktm] {
            try daemon.importOneTask(total: "100 tỷ", allocated: "100 tỷ")
            StreamPublishTests.waitDrained(daemon)
        }
        let mirror = try Self.mirror(nats.urls)
        let client = try #require(NATSTestClient(port: nats.clientPorts[0]))
        try Self.waitCaughtUp(mirror, client: client)
        // Record 6 of QNG, forged: record 5's bytes with another seq (its hash no longer checks).
        guard let hello = StreamPublishTests.hello(qng), case .string(let subject)? = hello["stream", "subject"],
              case .string(let id)? = hello["store_id"] else { return }
        let last = try #require(try StreamPublishTests.stored(qng).last)
        let forgedRecord = Array(String(decoding: last, as: UTF8.self).replacingOccurrences(of: "{\"seq\":5,", with: "{\"seq\":6,").utf8)
        let forged = forgedRecord.withUnsafeBytes { LogEnvelope.encoded(store: id, seq: 6, record: $0) }
        // Published with no expected sequence, as a forger would (bypassing the daemon):
        _ = client.request(subject, headers: NATSHeaders(fields: [("Nats-Msg-Id", "forged-6")]), payload: forged)
        let stopped = waitFor("the mirror stopped QNG") { () -> String? in
            Self.mirrored(mirror)?.stores.first { $0["province"] == .string("QNG") }.flatMap { if case .string(let why)? = $0["stopped"] { why } else { nil } }
        }
        #expect(stopped?.contains("store \(id)") == true && stopped?.contains("seq 6") == true)
        #expect(mirror.daemonLog.contains("ALARM mirror: STOPPED store \(id)"))
        // KTM goes on.
        _ = try ktm.ok("disburse", "P#1", "7000", "--date", "2023-02-01", "--ref", "K-1")
        StreamPublishTests.waitDrained(ktm)
        try Self.waitCaughtUp(mirror, client: client)
        #expect(try Self.provinces(mirror)["KTM"]?[1] == 7000)
        #expect(Self.mirrored(mirror)?.stores.first { $0["province"] == .string("KTM") }?["stopped"] == nil)
    }
}
