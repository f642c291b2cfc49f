import Events
import Foundation
import Glibc
import Testing

/// SIGHUP: the configuration read again while the daemon serves; a file that does not load is
/// refused with its reason and the rules in force stay.
@Suite("SIGHUP reloads the configuration", .serialized)
struct ReloadTests {
    @Test("a role changed in the file applies after SIGHUP without a restart; an invalid file leaves the old rules")
    func rolesReloaded() throws {
        let base = TrackerProcess.testConfiguration + "[checkpoints]\n[roles]\ndefault = none\n"
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData], configuration: base + "uid 1001 = viewer\n")
        chmod(daemon.directory, 0o750)
        let users = ScopedAccessTests()
        let refused = try users.run(as: 1001, daemon, "disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "HUP-1")
        #expect(refused.stderr.contains("disburse needs the clerk role"), "\(refused.stderr)")
        let pid = try #require(daemon.pid)

        try (base + "uid 1001 = clerk of BDT\n").write(toFile: daemon.directory + "/trackerd.conf", atomically: true, encoding: .utf8)
        daemon.signalDaemon(SIGHUP)
        waitUntil("the daemon to log the reload") { daemon.daemonLog.contains("SIGHUP: reloaded the configuration") }
        let allowed = try users.run(as: 1001, daemon, "disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "HUP-2")
        #expect(allowed.status == 0, "\(allowed.stderr)")

        try (base + "uid 1001 = emperor\n").write(toFile: daemon.directory + "/trackerd.conf", atomically: true, encoding: .utf8)
        daemon.signalDaemon(SIGHUP)
        waitUntil("the daemon to refuse the invalid file") { daemon.daemonLog.contains("was not reloaded, and the one in force stays") }
        #expect(daemon.daemonLog.contains("must be viewer, clerk or admin"))
        let still = try users.run(as: 1001, daemon, "disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "HUP-3")
        #expect(still.status == 0, "\(still.stderr)")
        #expect(daemon.isRunning)
        #expect(daemon.pid == pid)
        #expect(daemon.stop() == 0)
    }
}
