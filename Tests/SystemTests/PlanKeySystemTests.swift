import Events
import Foundation
import Testing

/// Plans known by issuer, number and year through the real daemon: two plans numbered 5/KH-BDT
/// (2024 and 2025), the second recorded under its long form, the number alone refused where it
/// names both, and either plan (and its tasks) named by its long form in commands and queries.
@Suite("Plans by issuer, number and year through the daemon")
struct PlanKeySystemTests {
    static func daemon() throws -> TrackerProcess {
        let daemon = try TrackerProcess(arguments: ["--now", "2025-12-01T10:00"], configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        _ = try daemon.ok("agency", "add", "BDT", "--name", "Ban Dân tộc tỉnh")
        _ = try daemon.ok("plan", "create", "5/KH-BDT", "--agency", "BDT", "--date", "2024-01-10", "--period", "2024", "--title", "Kế hoạch 2024")
        _ = try daemon.ok("task", "add", "5/KH-BDT#1", "--name", "Cổng thông tin 2024", "--period", "2024", "--total", "100tr")
        return daemon
    }

    /// Refused as ambiguous, naming both plans numbered 5/KH-BDT and the long form.
    static func expectAmbiguous(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.stderr.contains("plan 5/KH-BDT is ambiguous: 2 plans have that number; name one in its long form NUMBER@ISSUER/YEAR: "
                                       + "5/KH-BDT@QNG/2024 (tasks 5/KH-BDT@QNG/2024#N) or 5/KH-BDT@QNG/2025 (tasks 5/KH-BDT@QNG/2025#N)"),
                "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test("a second plan of the same number in another year is recorded under its long form; the number alone is then refused, the long forms name each")
    func twoPlansOfOneNumber() throws {
        let daemon = try Self.daemon()
        // Before the second plan, the number alone names the one there is, and so does its long form.
        #expect(try daemon.json("status", "--plan", "5/KH-BDT", "--year", "2024")["total", "planned"] == .int(100_000_000))
        #expect(try daemon.json("status", "--plan", "5/kh-bdt@qng/2024", "--year", "2024")["total", "planned"] == .int(100_000_000))

        let created = try daemon.ok("plan", "create", "5/KH-BDT", "--agency", "BDT", "--date", "2025-01-12", "--period", "2025", "--title", "Kế hoạch 2025")
        #expect(created.contains("5/KH-BDT@QNG/2025"), "\(created)")
        // A retry is the same plan, by either form.
        #expect(try daemon.ok("plan", "create", "5/KH-BDT", "--agency", "BDT", "--date", "2025-01-12", "--period", "2025", "--title", "Kế hoạch 2025")
                    .contains("already recorded"))
        #expect(try daemon.ok("plan", "create", "5/KH-BDT@QNG/2025", "--agency", "BDT", "--date", "2025-01-12", "--period", "2025",
                              "--title", "Kế hoạch 2025").contains("already recorded"))
        // A long form whose year is not the plan's date's is refused.
        let wrongYear = try daemon.ctl("plan", "create", "6/KH-BDT@QNG/2024", "--agency", "BDT", "--date", "2025-01-12", "--period", "2025", "--title", "X")
        #expect(wrongYear.status != 0)
        #expect(wrongYear.stderr.contains("names the year 2024 but is dated 12/01/2025"), "\(wrongYear.stderr)")

        Self.expectAmbiguous(try daemon.ctl("task", "add", "5/KH-BDT#1", "--name", "Nhiệm vụ", "--period", "2025", "--total", "50tr"))
        let added = try daemon.ok("task", "add", "5/KH-BDT@QNG/2025#1", "--name", "Cổng thông tin 2025", "--period", "2025", "--total", "300tr")
        #expect(added.contains("5/KH-BDT@QNG/2025#1"), "\(added)")

        // Allocations name each plan's task by its long form; the first plan's task is recorded under its own id.
        Self.expectAmbiguous(try daemon.ctl("allocate", "10/QĐ-UBND", "--agency", "BDT", "--year", "2025", "--date", "2025-02-01",
                                            "--line", "5/KH-BDT#1=40tr"))
        _ = try daemon.ok("allocate", "10/QĐ-UBND", "--agency", "BDT", "--year", "2024", "--date", "2024-02-01", "--line", "5/KH-BDT@QNG/2024#1=80tr")
        _ = try daemon.ok("allocate", "11/QĐ-UBND", "--agency", "BDT", "--year", "2025", "--date", "2025-02-01", "--line", "5/KH-BDT@QNG/2025#1=250tr")
        Self.expectAmbiguous(try daemon.ctl("disburse", "5/KH-BDT#1", "1tr", "--date", "2025-03-01", "--ref", "UNC-PK-0"))
        let paid = try daemon.ok("disburse", "5/KH-BDT@QNG/2025#1", "25tr", "--date", "2025-03-01", "--ref", "UNC-PK-1")
        #expect(paid.contains("5/KH-BDT@QNG/2025#1"), "\(paid)")
        let paidFirst = try daemon.ctl("disburse", "5/KH-BDT@QNG/2024#1", "8tr", "--date", "2024-06-01", "--ref", "UNC-PK-2")
        #expect(paidFirst.status == 0)
        #expect((paidFirst.stdout + paidFirst.stderr).contains("5/KH-BDT here is the plan 5/KH-BDT (QNG, 2024), recorded under its number before "
                                                                + "5/KH-BDT@QNG/2025 shared it: its records keep the id 5/KH-BDT, and it is typed 5/KH-BDT@QNG/2024"),
                "\(paidFirst.stdout)\(paidFirst.stderr)")
        _ = try daemon.ok("task", "status", "5/KH-BDT@QNG/2024#1", "procuring", "--date", "2024-03-01", "--reason", "chỉ định thầu")

        // Queries: the number alone is refused, each long form gives its own plan's figures.
        Self.expectAmbiguous(try daemon.ctl("status", "--plan", "5/KH-BDT"))
        let first = try daemon.json("status", "--by", "line", "--plan", "5/KH-BDT@QNG/2024", "--as-of", "2025-11-30")
        #expect(first["total", "planned"] == .int(100_000_000) && first["total", "allocated"] == .int(80_000_000)
                && first["total", "disbursed"] == .int(8_000_000), "\(first)")
        let second = try daemon.json("status", "--by", "line", "--plan", "5/KH-BDT@QNG/2025", "--as-of", "2025-11-30")
        #expect(second["total", "planned"] == .int(300_000_000) && second["total", "allocated"] == .int(250_000_000)
                && second["total", "disbursed"] == .int(25_000_000), "\(second)")
        Self.expectAmbiguous(try daemon.ctl("tasks", "--plan", "5/KH-BDT"))
        #expect(try daemon.ok("tasks", "--plan", "5/KH-BDT@QNG/2025").contains("Cổng thông tin 2025"))
        let history = try daemon.ok("tasks", "--history", "5/KH-BDT@QNG/2024#1")
        #expect(history.contains("procuring") && history.contains("chỉ định thầu"), "\(history)")
        #expect(try daemon.ok("report", "plan", "5/KH-BDT@QNG/2025").contains("Cổng thông tin 2025"))
        Self.expectAmbiguous(try daemon.ctl("report", "plan", "5/KH-BDT"))
        // The log: a long form finds the records of the plan it names, under whichever id it was recorded.
        let log = try daemon.ok("log", "--plan", "5/KH-BDT@QNG/2024")
        #expect(log.contains("UNC-PK-2") && !log.contains("UNC-PK-1"), "\(log)")
        #expect(try daemon.ok("log", "--task", "5/KH-BDT@QNG/2025#1").contains("UNC-PK-1"))
        // The totals of both plans, every đồng once.
        let all = try daemon.json("status", "--by", "plan", "--as-of", "2025-11-30")
        #expect(all["total", "planned"] == .int(400_000_000) && all["total", "disbursed"] == .int(33_000_000), "\(all)")
        #expect(daemon.stop() == 0)
    }

    @Test("a plan issued under another issuer's code is known by the long form typed; the books replay the same after a restart")
    func otherIssuerAndRestart() throws {
        let daemon = try Self.daemon()
        let other = try daemon.ok("plan", "create", "5/KH-BDT@KTM/2024", "--agency", "BDT", "--date", "2024-03-01", "--period", "2024", "--title", "Kế hoạch KTM")
        #expect(other.contains("5/KH-BDT@KTM/2024"), "\(other)")
        _ = try daemon.ok("task", "add", "5/KH-BDT@KTM/2024#1", "--name", "Của Kon Tum", "--period", "2024", "--total", "70tr")
        let plans = try daemon.ok("plans")
        #expect(plans.contains("5/KH-BDT@KTM/2024") && plans.contains("5/KH-BDT "), "\(plans)")
        #expect(daemon.stop() == 0)
        try daemon.start()
        #expect(try daemon.json("status", "--by", "plan", "--plan", "5/KH-BDT@QNG/2024", "--as-of", "2024-12-31")["total", "planned"] == .int(100_000_000))
        #expect(try daemon.json("status", "--by", "plan", "--plan", "5/KH-BDT@KTM/2024", "--as-of", "2024-12-31")["total", "planned"] == .int(70_000_000))
        #expect(daemon.stop() == 0)
    }

    @Test("an import file loaded before a second plan of its number records nothing twice when loaded again, also by trackerd --import at start")
    func importAgainAfterTheNumberIsShared() throws {
        let daemon = try Self.daemon()
        let file = daemon.directory + "/plan-2024.tracker"
        try """
            plan create 7/KH-BDT --agency BDT --date 2024-02-01 --period 2024 --title "KH 7 năm 2024"
            task add 7/KH-BDT#1 --name "Một" --period 2024 --total 50tr
            allocate 12/QĐ-UBND --agency BDT --year 2024 --date 2024-03-01 --line 7/KH-BDT#1=50tr
            disburse 7/KH-BDT#1 5tr --date 2024-04-01 --ref UNC-7-1

            """.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try daemon.ok("import", file)
        _ = try daemon.ok("plan", "create", "7/KH-BDT", "--agency", "BDT", "--date", "2025-02-01", "--period", "2025", "--title", "KH 7 năm 2025")
        let head = try daemon.json("head")["head", "seq"]
        let again = try daemon.ctl("import", file)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try daemon.json("head")["head", "seq"] == head, "nothing recorded twice")
        // A new fact naming the number alone is still refused as ambiguous.
        let new = try daemon.ctl("disburse", "7/KH-BDT#1", "1tr", "--date", "2024-05-01", "--ref", "UNC-7-2")
        #expect(new.status != 0 && new.stderr.contains("plan 7/KH-BDT is ambiguous"), "\(new.stderr)")
        #expect(daemon.stop() == 0)
        try daemon.start(arguments: ["--now", "2025-12-01T10:00", "--import", file])
        #expect(try daemon.json("head")["head", "seq"] == head)
        #expect(daemon.stop() == 0)
    }
}
