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

    @Test("budget rules changed in the file apply after SIGHUP to the commands written from then on; a lapse date by budget year")
    func budgetRulesReloaded() throws {
        let daemon = try CorrectionsTests.daemon()
        let late = try daemon.ctl("amend", "11/QĐ-UBND", "--amends", "10/QĐ-UBND", "--date", "2025-11-20", "--reason", "điều chỉnh",
                                  "--set", "1/KH-SO#1=190tr")
        #expect(late.status == 1)
        #expect(late.stderr.contains("adjusted by 15/11/2025"), "\(late.stderr)")
        // Before the reload the 2025 money may still be paid on 20/01/2026 (lapse 31/01).
        let paid = try daemon.json("disburse", "1/KH-SO#2", "1tr", "--date", "2026-01-20", "--ref", "HUP-LAPSE-1")
        #expect("\(paid["message"]!)".contains("HUP-LAPSE-1"), "\(paid)")

        let rules = "[checkpoints]\n[budget]\namendment_deadline = 15/12\n[budget from 2025]\nlapse_date = 10/01\n"
        let changed = TrackerProcess.testConfiguration + rules
        try changed.write(toFile: daemon.directory + "/trackerd.conf", atomically: true, encoding: .utf8)
        daemon.signalDaemon(SIGHUP)
        waitUntil("the daemon to log the reload") { daemon.daemonLog.contains("SIGHUP: reloaded the configuration") }
        #expect(daemon.daemonLog.contains("budget rules (changed)"), "\(daemon.daemonLog)")
        #expect(!daemon.daemonLog.contains("take effect at the next start"), "\(daemon.daemonLog)")

        let amended = try daemon.json("amend", "11/QĐ-UBND", "--amends", "10/QĐ-UBND", "--date", "2025-11-20", "--reason", "điều chỉnh",
                                      "--set", "1/KH-SO#1=190tr")
        #expect("\(amended["message"]!)".contains("1/KH-SO#1 200.000.000 đ → 190.000.000 đ"), "\(amended)")
        let lapsed = try daemon.ctl("disburse", "1/KH-SO#2", "1tr", "--date", "2026-01-20", "--ref", "HUP-LAPSE-2")
        #expect(lapsed.status == 1)
        #expect(lapsed.stderr.contains("lapsed after 10/01/2026"), "\(lapsed.stderr)")
        // What was recorded under the old rules stays.
        #expect(try daemon.ok("log", "--ref", "HUP-LAPSE-1").contains("HUP-LAPSE-1"))

        // A province changed in the file waits for the next start, and says so.
        try (TrackerProcess.testConfiguration + "province = KTM\n" + rules).write(toFile: daemon.directory + "/trackerd.conf", atomically: true, encoding: .utf8)
        daemon.signalDaemon(SIGHUP)
        waitUntil("the daemon to log the second reload") { daemon.daemonLog.contains("[store] changed, which takes effect at the next start") }

        // A file gone, or with a key given twice, is refused and the rules in force stay.
        try FileManager.default.moveItem(atPath: daemon.directory + "/trackerd.conf", toPath: daemon.directory + "/trackerd.conf.aside")
        daemon.signalDaemon(SIGHUP)
        waitUntil("the daemon to refuse the missing file") { daemon.daemonLog.contains("is missing, so it was not reloaded, and the one in force stays") }
        try (TrackerProcess.testConfiguration + "[checkpoints]\n[budget]\namendment_deadline = 15/12\namendment_deadline = 16/11\n").write(toFile: daemon.directory + "/trackerd.conf", atomically: true, encoding: .utf8)
        daemon.signalDaemon(SIGHUP)
        waitUntil("the daemon to refuse the key given twice") { daemon.daemonLog.contains("amendment_deadline is given twice in [budget]") }
        try (TrackerProcess.testConfiguration + "[checkpoints]\n[budget]\nlapse_date from 2026 = 10/01\n[budget from 2026]\nlapse_date = 15/01\n")
            .write(toFile: daemon.directory + "/trackerd.conf", atomically: true, encoding: .utf8)
        daemon.signalDaemon(SIGHUP)
        waitUntil("the daemon to refuse a year given twice") { daemon.daemonLog.contains("is given twice for budget years from 2026") }
        let still = try daemon.ctl("disburse", "1/KH-SO#2", "1tr", "--date", "2026-01-20", "--ref", "HUP-LAPSE-3")
        #expect(still.stderr.contains("lapsed after 10/01/2026"), "\(still.stderr)")
        #expect(daemon.stop() == 0)
    }
}
