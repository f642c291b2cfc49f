import Events
import Foundation
import Glibc
import Testing

/// Roles over the real socket: the caller's uid/gid come from SO_PEERCRED and map to roles from
/// the daemon's configuration. The tests run trackctl as another user (nobody) with setpriv.
@Suite("Access: the socket's mode and the roles of callers", .serialized)
struct AccessTests {
    static let nobody: UInt32 = 65534

    /// setpriv, when this test runs as root (the only way to act as another uid here).
    static var setpriv: String? {
        guard getuid() == 0 else { return nil }
        return Binaries.tool("/usr/bin/setpriv", "/bin/setpriv")
    }

    /// A daemon on the sample data whose store the group root can reach, with `roles` configured.
    func daemon(roles: String) throws -> TrackerProcess {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData],
                                        configuration: TrackerProcess.testConfiguration + "[checkpoints]\n[roles]\n" + roles)
        chmod(daemon.directory, 0o750)
        return daemon
    }

    /// trackctl run as nobody (uid and gid 65534), with the root group when `inSocketGroup`.
    func asNobody(_ daemon: TrackerProcess, inSocketGroup: Bool = true, _ arguments: String...) throws -> ProcessResult {
        let setpriv = try #require(Self.setpriv, "setpriv (util-linux) is needed, and the tests must run as root to act as another user")
        // A copy of trackctl nobody can reach wherever the checkout lives.
        let tools = try TemporaryDirectory(prefix: "bin")
        chmod(tools.path, 0o755)
        let ctl = tools.path + "/trackctl"
        try FileManager.default.copyItem(atPath: Binaries.trackctl, toPath: ctl)
        chmod(ctl, 0o755)
        return try runProgram(setpriv, ["--reuid=\(Self.nobody)", "--regid=\(Self.nobody)"] + (inSocketGroup ? ["--groups=0"] : ["--clear-groups"])
                              + ["--", ctl] + arguments + ["--socket", daemon.socket])
    }

    @Test("the socket is created 0660, never world-writable")
    func socketMode() throws {
        let daemon = try TrackerProcess()
        var info = stat()
        #expect(lstat(daemon.socket, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o777 == 0o660)
        #expect(info.st_mode & 0o007 == 0)
    }

    @Test("a user outside the daemon's group cannot open the socket at all")
    func outsideTheGroup() throws {
        let daemon = try daemon(roles: "default = admin\n")
        let result = try asNobody(daemon, inSocketGroup: false, "status")
        #expect(result.status == 1)
        #expect(result.stderr.contains("permission denied"))
    }

    @Test("with no role a caller is refused even queries, and the refusal is logged with the uid")
    func noRole() throws {
        let daemon = try daemon(roles: "default = none\n")
        let result = try asNobody(daemon, "status")
        #expect(result.status == 1)
        #expect(result.stderr.contains("refused (forbidden): status needs the viewer role; nobody (uid 65534) has no role"))
        #expect(daemon.daemonLog.contains("refused status from nobody (uid 65534)"))
    }

    @Test("a viewer may query but not disburse; nothing is appended")
    func viewer() throws {
        let daemon = try daemon(roles: "default = none\nuid 65534 = viewer\n")
        #expect(try asNobody(daemon, "status").status == 0)
        let head = try daemon.json("head")
        let refused = try asNobody(daemon, "disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "V-1")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("disburse needs the clerk role"))
        #expect(refused.stderr.contains("has the viewer role"))
        #expect(try daemon.json("head") == head)
        #expect(daemon.daemonLog.contains("refused disburse from nobody (uid 65534)"))
    }

    @Test("a clerk may disburse, recorded under its own uid and name, but not allocate")
    func clerk() throws {
        let daemon = try daemon(roles: "user nobody = clerk\n")
        let recorded = try asNobody(daemon, "disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "C-1")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let record = try daemon.json("log", "--tail", "1")
        #expect(record["actor", "uid"] == .int(Int64(Self.nobody)))
        #expect(record["actor", "name"] == .string("nobody"))
        let refused = try asNobody(daemon, "allocate", "9/QĐ-UBND", "--agency", "BDT", "--year", "2023", "--date", "2023-07-01",
                                   "--line", "860/KH-BDT#1=1tr")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("allocate needs the admin role"))
        // An import needs the highest role any of its commands needs.
        let file = daemon.directory + "/mixed.tracker"
        try "disburse 860/KH-BDT#1 1tr --date 2023-12-01 --ref C-2\nagency add X --name X\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        let mixed = try asNobody(daemon, "import", file)
        #expect(mixed.stderr.contains("import needs the admin role"))
    }

    @Test("a group's role applies to its members, and the daemon's own user is always admin")
    func groupRole() throws {
        let daemon = try daemon(roles: "default = none\ngroup nogroup = admin\n")
        let result = try asNobody(daemon, "agency", "add", "X", "--name", "Cơ quan X")
        #expect(result.status == 0, "\(result.stderr)")
        // The daemon runs as root here: root is admin whatever the configuration says.
        _ = try daemon.ok("agency", "add", "Y", "--name", "Cơ quan Y")
    }
}
