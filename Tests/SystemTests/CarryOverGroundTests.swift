import Events
import Foundation
import Glibc
import Testing

/// A carry-over's legal ground through the real daemon: the classes each budget year's law allows
/// (Law 83/2015 to 2025, Law 89/2025 from 2026, from the configuration), what the books check
/// (money added after 30/9, the end of the adjustment period), what they only warn about, and an
/// override recorded with who gave it.
@Suite("Carry-over grounds by the budget year's law, through the real daemon", .serialized)
struct CarryOverGroundTests {
    /// Budget year 2026: P#1 allocated on 01/03/2026, P#2 on 05/10/2026 (after 30/9).
    static let year2026 = """
        agency add A --name "Sở Khoa học và Công nghệ"
        plan create P --agency A --title "Chuyển đổi số 2026" --date 2026-01-10 --period 2026
        task add P#1 --name "Nền tảng số" --period 2026 --total 100tr
        task add P#2 --name "Thiết bị" --period 2026 --total 100tr
        allocate 1/QĐ-UBND --agency A --year 2026 --date 2026-03-01 --line "P#1=100tr"
        allocate 2/QĐ-UBND --agency A --year 2026 --date 2026-10-05 --line "P#2=100tr"
        """

    func daemon2026(configuration: String = "") throws -> TrackerProcess {
        let daemon = try TrackerProcess(arguments: ["--now", "2027-01-20"], configuration: TrackerProcess.testConfiguration + configuration)
        let file = daemon.directory + "/setup.tracker"
        try Self.year2026.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try daemon.ok("import", file)
        return daemon
    }

    func warnings(_ answer: JSONObject) -> String { "\(answer["warnings"] ?? .null)" }

    /// carry-over 25/QĐ-UBND of 250 triệu of 860/KH-BDT#2 (the sample's QĐ 569) on `date` as `ground`.
    func sampleCarryOver(_ date: String, _ ground: String, _ extra: String...) -> [String] {
        ["carry-over", "25/QĐ-UBND", "--from", "569/QĐ-UBND", "--date", date, "--line", "860/KH-BDT#2=250tr", "--ground", ground] + extra
    }

    @Test("2023 money under Law 83/2015: digital transformation is refused naming the classes allowed; added after 30/9 is refused for QĐ 569 of 26/06/2023")
    func law83() throws {
        let daemon = try TrackerProcess(arguments: ["--now", "2024-01-20", "--import", Binaries.sampleData])
        let digital = try daemon.ctl(sampleCarryOver("2024-01-15", "digital-transformation"))
        #expect(digital.status == 1)
        #expect(digital.stderr.contains("money of budget year 2023 cannot be carried over as digital-transformation"), "\(digital.stderr)")
        #expect(digital.stderr.contains("Law 83/2015/QH13, Điều 64.3 allows added-after-30-09, public-investment, procurement, salary, autonomy, science-research"),
                "\(digital.stderr)")
        let september = try daemon.ctl(sampleCarryOver("2024-01-15", "added-after-30-09"))
        #expect(september.status == 1)
        #expect(september.stderr.contains("was allocated on 26/06/2023, not after 30/09/2023"), "\(september.stderr)")
        let unknown = try daemon.ctl(sampleCarryOver("2024-01-15", "equipment"))
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("'equipment' is not a class of carry-over"), "\(unknown.stderr)")
        // Nothing was recorded by the refusals.
        #expect(try daemon.json("status", "--by", "decision")["total", "carried_out"] == .int(0))

        // Procurement: the sample records the task's contract of 30/11/2023, so only the finance
        // agency's approval is left to warn about.
        let procurement = try daemon.json(sampleCarryOver("2024-01-15", "procurement"))
        #expect(procurement["recorded"] == .bool(true))
        #expect(!warnings(procurement).contains("none is recorded"), "\(procurement)")
        #expect(warnings(procurement).contains("rests on what the tracker does not hold: the finance agency"), "\(procurement)")
        let record = try daemon.json("log", "--tail", "1")
        #expect(record["type"] == .string("funds.carried_over") && record["v"] == .int(Int64(FundsCarriedOver.version)))
        #expect(record["body", "ground"] == .string("procurement"))
        #expect(record["body", "law"] == .string("Law 83/2015/QH13, Điều 64.3"))
        #expect(record["body", "override"] == nil)
        #expect(try daemon.ok("log", "--tail", "1").contains("ground: procurement (Law 83/2015/QH13, Điều 64.3)"))
        #expect(try daemon.json("status", "--by", "decision")["total", "carried_out"] == .int(250_000_000))
    }

    @Test("after 31/01 a carry-over needs --override, which is recorded with the user who gave it; without a ground it warns and lists the classes")
    func endOfAdjustmentPeriod() throws {
        let daemon = try TrackerProcess(arguments: ["--now", "2024-03-01", "--import", Binaries.sampleData])
        let late = try daemon.ctl(sampleCarryOver("2024-02-15", "procurement"))
        #expect(late.status == 1)
        #expect(late.stderr.contains("after the end of budget year 2023's adjustment period (31/01/2024)"), "\(late.stderr)")
        #expect(late.stderr.contains("--override"))
        let overridden = try daemon.json(sampleCarryOver("2024-02-15", "procurement", "--override", "STC, CV 45/STC-QLNS"))
        #expect(overridden["recorded"] == .bool(true))
        #expect(overridden["warnings"] == nil || warnings(overridden) == "[]", "an override confirms what the tracker cannot check: \(overridden)")
        let record = try daemon.json("log", "--tail", "1")
        #expect(record["body", "override", "text"] == .string("STC, CV 45/STC-QLNS"))
        #expect(record["body", "override", "uid"] == .int(Int64(getuid())))
        #expect(record["body", "override", "by"] != nil && record["body", "override", "by"] == record["actor", "name"], "\(record)")
        // The same again is a retry: nothing new.
        let again = try daemon.json(sampleCarryOver("2024-02-15", "procurement", "--override", "STC, CV 45/STC-QLNS"))
        #expect(again["recorded"] == .bool(false))
        // Without a ground: recorded, warning with the classes allowed.
        let bare = try daemon.json("carry-over", "27/QĐ-UBND", "--from", "569/QĐ-UBND", "--date", "2024-01-10", "--line", "860/KH-BDT#1=1tr")
        #expect(bare["recorded"] == .bool(true))
        #expect(warnings(bare).contains("gives no legal ground"), "\(bare)")
        #expect(warnings(bare).contains("Law 83/2015/QH13, Điều 64.3 allows added-after-30-09"), "\(bare)")
    }

    @Test("2026 money under Law 89/2025: digital transformation may be carried over; added after 30/9 is checked against each line's allocation date")
    func law89() throws {
        let daemon = try daemon2026()
        let digital = try daemon.json("carry-over", "10/QĐ-UBND", "--from", "1/QĐ-UBND", "--date", "2027-01-15",
                                      "--line", "P#1=40tr", "--ground", "digital-transformation")
        #expect(digital["recorded"] == .bool(true))
        #expect(warnings(digital).contains("that the spending is science, technology, innovation or digital transformation"), "\(digital)")
        let record = try daemon.json("log", "--tail", "1")
        #expect(record["body", "law"] == .string("Law 89/2025/QH15, Điều 66.3"))
        let early = try daemon.ctl("carry-over", "11/QĐ-UBND", "--from", "1/QĐ-UBND", "--date", "2027-01-15",
                                   "--line", "P#1=10tr", "--ground", "added-after-30-09")
        #expect(early.status == 1)
        #expect(early.stderr.contains("P#1 under 1/QĐ-UBND (QNG, 2026) was allocated on 01/03/2026, not after 30/09/2026"), "\(early.stderr)")
        // Money allocated on 05/10/2026 is checked by the books: nothing about its class to warn of.
        let added = try daemon.json("carry-over", "12/QĐ-UBND", "--from", "2/QĐ-UBND", "--date", "2027-01-15",
                                    "--line", "P#2=100tr", "--ground", "added-after-30-09")
        #expect(added["recorded"] == .bool(true))
        #expect(warnings(added).contains("rests on what the tracker does not hold: the finance agency"), "\(added)")
        // Procurement of a task whose only recorded contract is of 05/01/2027: no contract by 31/12/2026.
        _ = try daemon.ok("contract", "add", "P#1", "--contractor", "Công ty B", "--date", "2027-01-05", "--value", "20tr")
        let procurement = try daemon.json("carry-over", "13/QĐ-UBND", "--from", "1/QĐ-UBND", "--date", "2027-01-15",
                                          "--line", "P#1=10tr", "--ground", "procurement")
        #expect(procurement["recorded"] == .bool(true))
        #expect(warnings(procurement).contains("a contract signed (or, from 2026, a bid under way) by 31/12/2026 for P#1: none is recorded"),
                "\(procurement)")
        let status = try daemon.json("status", "--year", "2027", "--by", "decision")
        #expect(status["carried_total", "allocated"] == .int(150_000_000), "\(status)")
    }

    @Test("the classes come from the configuration by year: a [budget from 2026] without digital transformation refuses it")
    func configuredByYear() throws {
        let daemon = try daemon2026(configuration: """
            [budget from 2026]
            carry_over = procurement, salary
            carry_over_law = Law 89/2025/QH15, Điều 66.3 (as configured)
            """)
        let digital = try daemon.ctl("carry-over", "10/QĐ-UBND", "--from", "1/QĐ-UBND", "--date", "2027-01-15",
                                     "--line", "P#1=40tr", "--ground", "digital-transformation")
        #expect(digital.status == 1)
        #expect(digital.stderr.contains("Law 89/2025/QH15, Điều 66.3 (as configured) allows procurement, salary"), "\(digital.stderr)")
    }

    @Test("a bad carry_over line stops the start naming the key and the classes")
    func badConfiguration() throws {
        for (text, expected) in [("[budget from 2026]\ncarry_over = equipment\ncarry_over_law = X\n", "'equipment' is not a class of carry-over"),
                                 ("[budget from 2026]\ncarry_over = procurement\n", "carry_over_law"),
                                 ("[budget from 20x6]\ncarry_over = procurement\n", "[budget from 2026]")] {
            let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + text, start: false)
            var refusal = ""
            do { try daemon.start() } catch let failure as DaemonFailed { refusal = failure.message }
            #expect(refusal.hasPrefix("trackerd exited with status ") && !refusal.hasPrefix("trackerd exited with status 0:"))
            #expect(daemon.daemonLog.contains(expected), "\(daemon.daemonLog)")
        }
    }
}
