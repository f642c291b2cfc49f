import Events
import Foundation
import Glibc
import Testing

/// Snapshots are a cache: the real trackerd uses one only when its tag checks under the store's
/// key and it checks out against the log, and whatever it starts from, it serves the same state.
@Suite("snapshots at start, checked against the log", .serialized)
struct SnapshotStartTests {
    func sampleDaemon() throws -> TrackerProcess {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData])
        _ = try daemon.ok("disburse", "860/KH-BDT#2", "1.500.000 đ", "--date", "2023-12-01", "--ref", "UNC-S1")
        return daemon
    }

    /// Everything a user sees: figures by line, tasks, alerts and the head.
    func state(_ daemon: TrackerProcess) throws -> [String] {
        [try daemon.ok("status", "--json"), try daemon.ok("status", "--by", "agency", "--as-of", "2023-11-30", "--json"),
         try daemon.ok("tasks", "--json"), try daemon.ok("alerts", "--json"), try daemon.ok("head")]
    }

    func snapshotFiles(_ daemon: TrackerProcess) throws -> [String] {
        let directory = daemon.directory + "/snapshots"
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".bin") }.sorted()
            .map { directory + "/" + $0 }
    }

    /// Restarts the daemon and returns what its log says about where it started from.
    func restart(_ daemon: TrackerProcess) throws -> String {
        try daemon.start(arguments: [])
        return daemon.daemonLog.components(separatedBy: "\n").last { $0.contains("serving ") } ?? ""
    }

    @Test("a clean stop writes a snapshot, and the next start uses it and shows the same state")
    func startsFromSnapshot() throws {
        let daemon = try sampleDaemon()
        let before = try state(daemon)
        let head = try daemon.json("head")
        #expect(daemon.stop() == 0)
        let files = try snapshotFiles(daemon)
        #expect(files.count == 1)
        guard case .int(let seq) = head["seq"] else { Issue.record("no head seq"); return }
        #expect(files.first?.hasSuffix(String(format: "%020d.bin", seq)) == true)
        let serving = try restart(daemon)
        #expect(serving.contains("from snapshot at seq \(seq) and 0 records of the log"), "\(serving)")
        #expect(try state(daemon) == before)
    }

    @Test("a snapshot with one byte changed is ignored with a warning; the log is replayed and the state is the same")
    func damagedSnapshotIgnored() throws {
        let daemon = try sampleDaemon()
        let before = try state(daemon)
        #expect(daemon.stop() == 0)
        guard let file = try snapshotFiles(daemon).first else { Issue.record("no snapshot written"); return }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        bytes[bytes.count - 40] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let serving = try restart(daemon)
        #expect(daemon.daemonLog.contains("ignored the snapshot \(file): its tag does not match"), "\(daemon.daemonLog)")
        #expect(!serving.contains("from snapshot"), "\(serving)")
        #expect(FileManager.default.fileExists(atPath: file + ".ignored"), "the ignored snapshot is kept aside")
        #expect(try state(daemon) == before)
        // The snapshot written at the next stop is good again.
        #expect(daemon.stop() == 0)
        let again = try restart(daemon)
        #expect(again.contains("from snapshot at seq"), "\(again)")
        #expect(try state(daemon) == before)
    }

    @Test("a snapshot taken from another store is ignored: it is not tagged with this store's key")
    func foreignSnapshotIgnored() throws {
        let other = try sampleDaemon()
        #expect(other.stop() == 0)
        let daemon = try sampleDaemon()
        _ = try daemon.ok("disburse", "860/KH-BDT#3", "2tr", "--date", "2023-12-02", "--ref", "UNC-S2")
        let before = try state(daemon)
        #expect(daemon.stop() == 0)
        guard let foreign = try snapshotFiles(other).first else { Issue.record("no snapshot written"); return }
        for file in try snapshotFiles(daemon) { try FileManager.default.removeItem(atPath: file) }
        let copy = daemon.directory + "/snapshots/" + URL(fileURLWithPath: foreign).lastPathComponent
        try FileManager.default.copyItem(atPath: foreign, toPath: copy)
        let serving = try restart(daemon)
        #expect(daemon.daemonLog.contains("ignored the snapshot \(copy): its tag does not match: it was not written with this store's key"), "\(daemon.daemonLog)")
        #expect(!serving.contains("from snapshot"), "\(serving)")
        #expect(try state(daemon) == before)
    }

    @Test("an older snapshot is used and only the records after it are replayed")
    func olderSnapshotReplaysTail() throws {
        let daemon = try sampleDaemon()
        #expect(daemon.stop() == 0)
        guard let old = try snapshotFiles(daemon).first else { Issue.record("no snapshot written"); return }
        let saved = try Data(contentsOf: URL(fileURLWithPath: old))
        try daemon.start(arguments: [])
        _ = try daemon.ok("disburse", "860/KH-BDT#3", "2tr", "--date", "2023-12-02", "--ref", "UNC-S3")
        _ = try daemon.ok("reverse", "UNC-S1", "--reason", "wrong line", "--date", "2023-12-03")
        let before = try state(daemon)
        #expect(daemon.stop() == 0)
        for file in try snapshotFiles(daemon) { try FileManager.default.removeItem(atPath: file) }
        try saved.write(to: URL(fileURLWithPath: old))
        let serving = try restart(daemon)
        #expect(serving.contains("and 2 records of the log"), "\(serving)")
        #expect(try state(daemon) == before)
    }
}
