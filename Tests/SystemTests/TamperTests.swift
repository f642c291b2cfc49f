import Events
import Foundation
import Glibc
import Testing

/// Tamper evidence with a head recorded outside the store, and live backups.
@Suite("Tamper evidence and backups", .serialized)
struct TamperTests {
    func sample() throws -> TrackerProcess {
        try TrackerProcess(arguments: ["--import", Binaries.sampleData], configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
    }

    /// The sample, its head recorded outside the log (`head.txt`, the anchor), then stopped: what a
    /// tamperer finds.
    func stoppedWithRecordedHead() throws -> (daemon: TrackerProcess, anchor: String) {
        let daemon = try sample()
        let anchor = daemon.directory + "/head.txt"
        _ = try daemon.ok("head", "--output", anchor)
        daemon.stop()
        return (daemon, anchor)
    }

    /// `trackctl verify --offline` on the stopped store, against `anchor` when one is given.
    func verifyOffline(_ daemon: TrackerProcess, against anchor: String? = nil) throws -> ProcessResult {
        try daemon.ctl(["verify", "--offline", "--data-dir", daemon.directory] + (anchor.map { ["--against", $0] } ?? []))
    }

    @Test("verify --against a recorded head passes while the log only grows")
    func againstGrowingLog() throws {
        let daemon = try sample()
        let anchor = daemon.directory + "/head.txt"
        let head = try daemon.ok("head", "--output", anchor)
        #expect(head.contains("head: seq 65"))
        #expect(try String(contentsOfFile: anchor, encoding: .utf8).contains("seq: 65"))
        _ = try daemon.ok("disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "T-1")
        let verified = try daemon.ctl("verify", "--against", anchor)
        #expect(verified.status == 0)
        #expect(verified.stdout.contains("It still extends the recorded head."))
        // The hash alone, or SEQ:HASH, work too.
        let hash = try #require(try String(contentsOfFile: anchor, encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("hash: ") }?.dropFirst(6))
        #expect(try daemon.ctl("verify", "--against", String(hash)).status == 0)
        #expect(try daemon.ctl("verify", "--against", "65:\(hash)").status == 0)
        #expect(try daemon.ctl("verify", "--against", "64:\(hash)").status == 1)
    }

    @Test("a log rewritten with fresh hashes verifies on its own, but not against the recorded head")
    func rewrittenChain() throws {
        let (daemon, anchor) = try stoppedWithRecordedHead()
        // Rewrite every record from 30 on (amounts changed), re-hashing the chain: a forger's best.
        try rewriteChain(try #require(try daemon.segments().first), from: 30)
        let alone = try verifyOffline(daemon)
        #expect(alone.status == 0, "a consistent forgery verifies on its own: \(alone.stdout)")
        let against = try verifyOffline(daemon, against: anchor)
        #expect(against.status == 1)
        #expect(against.stdout.contains("is not in this log: the history it vouched for was rewritten"))
    }

    @Test("records cut from the end are found against the recorded head, naming where the log now ends")
    func cutTail() throws {
        let (daemon, anchor) = try stoppedWithRecordedHead()
        #expect(try daemon.cutLastRecords(2).records == 2)
        // (The daemon would not start on it: its shutdown snapshot and head mark prove seq 65, see
        // StartTrustTests. A head recorded outside finds the cut whether or not a mark did.)
        #expect(try verifyOffline(daemon).status == 0, "what is left is a whole chain")
        let against = try verifyOffline(daemon, against: anchor)
        #expect(against.status == 1)
        #expect(against.stdout.contains("the log ends at seq 63 but the recorded head was seq 65"))
    }

    @Test("a backup of the live store verifies on its own and starts as a store with the same figures")
    func backup() throws {
        let daemon = try sample()
        let socket = daemon.socket
        let writersDone = DispatchSemaphore(value: 0)
        let writers = Thread {
            for n in 1...200 {
                _ = LineClient(socket: socket)?.call(#"{"id":1,"op":"disburse","task":"860/KH-BDT#3","amount":1000,"date":"2023-12-01","ref":"B-\#(n)"}"#)
            }
            writersDone.signal()
        }
        writers.start()
        let target = try TemporaryDirectory(prefix: "bak")
        let copy = target.path + "/store"
        let made = try daemon.ctl("backup", copy)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(FileManager.default.fileExists(atPath: copy + "/BACKUP"))
        let verified = try daemon.ctl("verify", "--offline", "--data-dir", copy, "--against", copy + "/BACKUP")
        #expect(verified.status == 0, "\(verified.stdout)")
        // Each of the writers' calls is bounded by its client's timeouts; together, by this.
        #expect(writersDone.wait(timeout: .now() + 300) == .success, "the 200 disbursements beside the backup did not finish within 300 s")
        // Copied back and started, it is a store: the same head it recorded, the figures of that head.
        let restored = try TrackerProcess(reusing: try TemporaryDirectory(prefix: "rst"), configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        restored.stop()
        try FileManager.default.removeItem(atPath: restored.directory + "/log")
        try FileManager.default.copyItem(atPath: copy + "/log", toPath: restored.directory + "/log")
        try restored.start(arguments: [])
        let anchorText = try String(contentsOfFile: copy + "/BACKUP", encoding: .utf8)
        let anchor = try ChainAnchor.parse(anchorText)
        let restoredHead = try restored.json("head")
        #expect(restoredHead["seq"] == .int(Int64(anchor.seq ?? 0)), "\(restoredHead) vs \(anchorText)")
        #expect(try restored.ctl("verify").status == 0)
        // A second backup into the same place is refused rather than mixing two logs.
        let again = try daemon.ctl("backup", copy)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already holds a log"))
    }
}
