import Events
import Foundation
import Glibc
import Testing

/// A store made by the previous release (Tests/Fixtures/store-27165d9, its README says how) still
/// opens, replays, verifies and takes new facts.
@Suite("A store of the previous release replays and verifies")
struct PreviousReleaseTests {
    static let fixture = Binaries.root + "/Tests/Fixtures/store-27165d9"
    static let head = "5451e7521e57ad586e417d82e92865f3fc4b21701f0c0f96c8cc93add2b49977"

    /// A copy of the fixture in a fresh directory, with the modes trackerd requires.
    static func copy() throws -> TemporaryDirectory {
        let store = try TemporaryDirectory(prefix: "old")
        for name in ["log", "snapshots", "head.mark", "store.key", "trackerd.conf"] {
            try FileManager.default.copyItem(atPath: fixture + "/" + name, toPath: store.appending(name))
        }
        chmod(store.appending("store.key"), 0o600)
        return store
    }

    @Test("the previous release's log replays to the same figures, verifies to the same head, and takes new facts")
    func replays() throws {
        let daemon = try TrackerProcess(arguments: ["--now", "2024-02-21T10:00"], reusing: try Self.copy(),
                                        configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        let verified = try daemon.json("verify")
        #expect(verified["verified"] == .bool(true))
        #expect(verified["head", "seq"] == .int(81))
        #expect(verified["head", "hash"] == .string(Self.head))
        // The seeds' figures as of the report, and the reversed payment between its date and the reversal's.
        let report = try daemon.json("status", "--by", "decision", "--as-of", "2023-11-30")
        #expect(report["total", "allocated"] == .int(600_000_000))
        #expect(report["total", "disbursed"] == .int(8_046_000))
        let between = try daemon.json("status", "--by", "decision", "--as-of", "2023-12-07")
        #expect(between["total", "disbursed"] == .int(18_046_000))
        let after = try daemon.json("status", "--by", "decision", "--as-of", "2024-02-20")
        #expect(after["total", "disbursed"] == .int(8_046_000))
        #expect(after["total", "lapsed"] == .int(195_518_000))
        #expect(after["carried_total", "allocated"] == .int(250_000_000))
        // Its agencies were registered before agencies had provinces (agency.registered version 1): they belong to the store's.
        let provinces = try daemon.json("status", "--by", "province", "--as-of", "2023-11-30")
        #expect("\(provinces["rows"]!)".contains("\"key\":\"QNG\"") || "\(provinces["rows"]!)".contains("QNG"), "\(provinces)")
        #expect(provinces["total", "allocated"] == .int(600_000_000))
        let alerts = try daemon.json("alerts")
        guard case .array(let raised)? = alerts["alerts"] else { Issue.record("no alerts: \(alerts)"); return }
        #expect(raised.count == 18)
        // Its alerts are alert.raised version 1, before alerts could be late: they read as raised in time.
        #expect(raised.allSatisfy { if case .object(let item) = $0 { item["alert", "late_days"] == nil } else { false } })
        // Its decisions were recorded by number alone (funds.allocated version 1): each is known by its
        // agency's province and its signing year, and the number alone still names it where it is the only one.
        #expect("\(report["rows"]!)".contains("\"569/QĐ-UBND@QNG/2023\""), "\(report)")
        #expect("\(after)".contains("569/QĐ-UBND@QNG/2023"), "the carried line names where it came from: \(after)")
        let paid = try daemon.ok("disburse", "860/KH-BDT#1", "1tr", "--date", "2024-01-15", "--ref", "UNC-NEW-1", "--decision", "569/QĐ-UBND")
        #expect(paid.contains("569/QĐ-UBND (QNG, 2023)"), "\(paid)")
        // New kinds of facts go on the old chain.
        _ = try daemon.ok("refund", "BC-BDT-2023-569-1", "--amount", "1tr", "--date", "2024-02-21", "--reason", "giấy nộp trả 7")
        let again = try daemon.json("verify")
        #expect(again["verified"] == .bool(true))
        #expect(again["head", "seq"] == .int(83))
        #expect(daemon.stop() == 0)
    }
}
