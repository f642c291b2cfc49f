import Events
import Foundation
import Glibc
import Testing

/// Roles for some agencies (`clerk of BDT`): through the real daemon, as users of two agencies
/// (other uids, with `setpriv`), each writes its own agency's books and is refused on the other's.
@Suite("Access: clerks and viewers of some agencies only", .serialized)
struct ScopedAccessTests {
    static let bdtClerk: UInt32 = 1001
    static let svhClerk: UInt32 = 1002

    /// A daemon on the sample data with `roles`, its store reachable by the root group.
    func daemon(roles: String) throws -> TrackerProcess {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData],
                                        configuration: TrackerProcess.testConfiguration + "[checkpoints]\n[roles]\n" + roles)
        chmod(daemon.directory, 0o750)
        return daemon
    }

    /// trackctl run as `uid` (its group the same number), in the socket's group (root).
    func run(as uid: UInt32, _ daemon: TrackerProcess, _ arguments: String...) throws -> ProcessResult {
        let setpriv = try #require(AccessTests.setpriv, "setpriv (util-linux) is needed, and the tests must run as root to act as another user")
        let tools = try TemporaryDirectory(prefix: "bin")
        chmod(tools.path, 0o755)
        let ctl = tools.appending("trackctl")
        try FileManager.default.copyItem(atPath: Binaries.trackctl, toPath: ctl)
        chmod(ctl, 0o755)
        return try runProgram(setpriv, ["--reuid=\(uid)", "--regid=\(uid)", "--groups=0", "--", ctl] + arguments + ["--socket", daemon.socket])
    }

    @Test("a clerk of one agency records for it, and is refused on the other's plans, tasks and payments, naming the agency, with nothing appended")
    func clerksOfTwoAgencies() throws {
        let daemon = try daemon(roles: "default = none\nuid \(Self.bdtClerk) = clerk of BDT\nuid \(Self.svhClerk) = clerk of svhttdl\n")
        let own = try run(as: Self.bdtClerk, daemon, "disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "SC-1")
        #expect(own.status == 0, "\(own.stderr)")
        let head = try daemon.json("head")

        let other = try run(as: Self.svhClerk, daemon, "disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "SC-2")
        #expect(other.status == 1)
        #expect(other.stderr.contains("refused (forbidden): disburse on task 860/KH-BDT#1 is refused: it is held by agency BDT"), "\(other.stderr)")
        #expect(other.stderr.contains("may act only for svhttdl in this daemon's configuration"))
        let reversal = try run(as: Self.svhClerk, daemon, "reverse", "SC-1", "--reason", "not ours")
        #expect(reversal.status == 1)
        #expect(reversal.stderr.contains("payment SC-1 is refused: it is held by agency BDT"), "\(reversal.stderr)")
        let status = try run(as: Self.bdtClerk, daemon, "task", "status", "SVHTTDL-2021-2025#1", "deferred", "--date", "2023-12-01", "--reason", "r")
        #expect(status.status == 1)
        #expect(status.stderr.contains("task.status on task SVHTTDL-2021-2025#1 is refused: it is held by agency SVHTTDL"), "\(status.stderr)")
        #expect(try daemon.json("head") == head)
        #expect(daemon.daemonLog.contains("refused disburse from 1002"))

        let ownStatus = try run(as: Self.svhClerk, daemon, "task", "status", "SVHTTDL-2021-2025#1", "deferred", "--date", "2023-12-01", "--reason", "r")
        #expect(ownStatus.status == 0, "\(ownStatus.stderr)")
        let record = try daemon.json("log", "--tail", "1")
        #expect(record["actor", "uid"] == .int(Int64(Self.svhClerk)))

        // An import is all or nothing: its one line on the other agency refuses the whole file, naming the line.
        let file = daemon.directory + "/mixed.tracker"
        try "disburse 860/KH-BDT#1 1tr --date 2023-12-02 --ref SC-3\ntask status SVHTTDL-2021-2025#1 planned --date 2023-12-02 --reason r --correction\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        let before = try daemon.json("head")
        let mixed = try run(as: Self.bdtClerk, daemon, "import", file)
        #expect(mixed.status == 1)
        #expect(mixed.stderr.contains("line 2"), "\(mixed.stderr)")
        #expect(mixed.stderr.contains("held by agency SVHTTDL"), "\(mixed.stderr)")
        #expect(try daemon.json("head") == before)
    }

    @Test("a viewer of one agency sees its figures only, and not the raw records of every agency")
    func scopedViewers() throws {
        let daemon = try daemon(roles: "default = none\nuid \(Self.bdtClerk) = viewer of SVHTTDL\nuid \(Self.svhClerk) = viewer of BDT, SVHTTDL\n")
        let mine = try run(as: Self.bdtClerk, daemon, "tasks", "--json")
        #expect(mine.status == 0, "\(mine.stderr)")
        #expect(mine.stdout.contains("SVHTTDL-2021-2025#1"))
        #expect(!mine.stdout.contains("860/KH-BDT"))
        let theirs = try run(as: Self.bdtClerk, daemon, "status", "--agency", "BDT")
        #expect(theirs.status == 1)
        #expect(theirs.stderr.contains("status of agency BDT is refused"), "\(theirs.stderr)")
        let alerts = try run(as: Self.bdtClerk, daemon, "alerts", "--json")
        #expect(alerts.status == 0)
        #expect(!alerts.stdout.contains("569/QĐ-UBND"))
        for raw in [["log"], ["verify"]] {
            let refused = try run(as: Self.bdtClerk, daemon, raw[0])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("carry every agency's data"), "\(raw): \(refused.stderr)")
        }
        // A viewer of two agencies names the one it asks about.
        let unnamed = try run(as: Self.svhClerk, daemon, "status")
        #expect(unnamed.status == 1)
        #expect(unnamed.stderr.contains("name one of them as the agency"), "\(unnamed.stderr)")
        let named = try run(as: Self.svhClerk, daemon, "status", "--agency", "BDT", "--as-of", "2023-12-31")
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout.contains("600.000.000 đ"))
    }
}
