import Events
import Foundation
import Testing

/// Decisions known by issuer, number and year through the real daemon: two 100/QĐ-UBND of
/// Quảng Ngãi (2024 and 2025) and one of another issuer, the number alone refused where it names
/// several and accepted, and named in full, where it names one.
@Suite("Decisions by issuer, number and year through the daemon")
struct DecisionKeySystemTests {
    /// BDT's plan of 2024–2025, funded by 100/QĐ-UBND of 2024 and by 100/QĐ-UBND of 2025.
    static func daemon() throws -> TrackerProcess {
        let daemon = try TrackerProcess(arguments: ["--now", "2025-12-01T10:00"], configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        _ = try daemon.ok("agency", "add", "BDT", "--name", "Ban Dân tộc tỉnh")
        _ = try daemon.ok("plan", "create", "KH-BDT-2024", "--agency", "BDT", "--date", "2024-01-10", "--period", "2024-2025", "--title", "Kế hoạch 2024–2025")
        _ = try daemon.ok("task", "add", "KH-BDT-2024#1", "--name", "Cổng thông tin", "--period", "2024-2025", "--total", "900tr", "--source", "ns-tinh")
        let first = try daemon.ok("allocate", "100/QĐ-UBND", "--agency", "BDT", "--year", "2024", "--date", "2024-03-01", "--line", "KH-BDT-2024#1=100tr")
        #expect(first.contains("100/QĐ-UBND (QNG, 2024)"), "\(first)")
        let second = try daemon.ok("allocate", "100/QĐ-UBND", "--agency", "BDT", "--year", "2025", "--date", "2025-03-01", "--line", "KH-BDT-2024#1=200tr")
        #expect(second.contains("100/QĐ-UBND (QNG, 2025)"), "\(second)")
        return daemon
    }

    /// Refused as ambiguous, naming both decisions of 100/QĐ-UBND and the long form.
    static func expectAmbiguous(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.stderr.contains("decision 100/QĐ-UBND is ambiguous"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("100/QĐ-UBND (QNG, 2024)") && result.stderr.contains("100/QĐ-UBND (QNG, 2025)"), "\(result.stderr)",
                sourceLocation: sourceLocation)
        #expect(result.stderr.contains("name one in its long form NUMBER@ISSUER/YEAR, e.g. 100/QĐ-UBND@"), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test("the number alone is refused as ambiguous by disburse, amend, lapse, carry-over and report, naming both; the long form works for each")
    func ambiguous() throws {
        let daemon = try Self.daemon()
        let status = try daemon.json("status", "--by", "decision", "--as-of", "2025-03-01")
        #expect("\(status["rows"]!)".contains("100/QĐ-UBND@QNG/2024") && "\(status["rows"]!)".contains("100/QĐ-UBND@QNG/2025"), "\(status)")
        #expect(status["total", "allocated"] == .int(300_000_000))

        Self.expectAmbiguous(try daemon.ctl("disburse", "KH-BDT-2024#1", "10tr", "--date", "2025-04-01", "--ref", "UNC-1", "--decision", "100/QĐ-UBND"))
        let paid = try daemon.ok("disburse", "KH-BDT-2024#1", "10tr", "--date", "2025-04-01", "--ref", "UNC-1", "--decision", "100/qd-ubnd@QNG/2025")
        #expect(paid.contains("100/QĐ-UBND (QNG, 2025)"), "\(paid)")

        Self.expectAmbiguous(try daemon.ctl("carry-over", "5/QĐ-UBND", "--from", "100/QĐ-UBND", "--date", "2025-01-15", "--line", "KH-BDT-2024#1=30tr"))
        let carried = try daemon.ok("carry-over", "5/QĐ-UBND", "--from", "100/QĐ-UBND@QNG/2024", "--date", "2025-01-15", "--line", "KH-BDT-2024#1=30tr")
        #expect(carried.contains("5/QĐ-UBND (QNG, 2025)"), "\(carried)")

        Self.expectAmbiguous(try daemon.ctl("lapse", "100/QĐ-UBND", "--date", "2025-02-01", "--reason", "hủy dự toán"))
        _ = try daemon.ok("lapse", "100/QĐ-UBND@QNG/2024", "--date", "2025-02-01", "--reason", "hủy dự toán")

        Self.expectAmbiguous(try daemon.ctl("amend", "200/QĐ-UBND", "--amends", "100/QĐ-UBND", "--date", "2025-10-01", "--reason", "điều chỉnh",
                                            "--set", "KH-BDT-2024#1=250tr"))
        let amended = try daemon.ok("amend", "200/QĐ-UBND", "--amends", "100/QĐ-UBND@QNG/2025", "--date", "2025-10-01", "--reason", "điều chỉnh",
                                    "--set", "KH-BDT-2024#1=250tr")
        #expect(amended.contains("100/QĐ-UBND (QNG, 2025)"), "\(amended)")

        Self.expectAmbiguous(try daemon.ctl("report", "disbursement", "--decision", "100/QĐ-UBND", "--year", "2025"))
        let report = try daemon.json("report", "disbursement", "--decision", "100/QĐ-UBND@QNG/2025", "--year", "2025", "--as-of", "2025-11-30")
        #expect("\(report)".contains("10000000"), "\(report)")

        // Each decision keeps its own figures: 2024's 100 triệu, 30 carried over and 70 lapsed;
        // 2025's raised to 250 triệu with 10 paid; the carried line of 30 triệu.
        let after = try daemon.json("status", "--by", "decision", "--as-of", "2025-11-30")
        let rows = "\(after["rows"]!)"
        #expect(rows.contains("100/QĐ-UBND@QNG/2024") && rows.contains("100/QĐ-UBND@QNG/2025"), "\(after)")
        #expect(after["total", "allocated"] == .int(350_000_000), "\(after)")
        #expect(after["total", "disbursed"] == .int(10_000_000))
        #expect(after["carried_total", "allocated"] == .int(30_000_000), "\(after)")
        #expect(after["total", "lapsed"] == .int(70_000_000), "\(after)")
        // The log shows what each one named: the long form one decision, the number alone both.
        let one = try daemon.ok("log", "--decision", "100/QĐ-UBND@QNG/2024")
        #expect(one.contains("funds.allocated") && one.contains("funds.lapsed") && !one.contains("disbursement.recorded"), "\(one)")
        let both = try daemon.ok("log", "--decision", "100/QĐ-UBND")
        #expect(both.contains("disbursement.recorded") && both.contains("funds.lapsed"), "\(both)")
    }

    @Test("a number that names one decision is accepted and the answer names it in full; another issuer's same number is another decision")
    func unique() throws {
        let daemon = try Self.daemon()
        _ = try daemon.ok("carry-over", "5/QĐ-UBND", "--from", "100/QĐ-UBND@QNG/2024", "--date", "2025-01-15", "--line", "KH-BDT-2024#1=30tr")
        let paid = try daemon.ok("disburse", "KH-BDT-2024#1", "1tr", "--date", "2025-04-02", "--ref", "UNC-2", "--decision", "5/QĐ-UBND")
        #expect(paid.contains("5/QĐ-UBND (QNG, 2025)"), "\(paid)")
        let json = try daemon.json("disburse", "KH-BDT-2024#1", "1tr", "--date", "2025-04-02", "--ref", "UNC-2", "--decision", "5/QD-UBND")
        #expect("\(json)".contains("5/QĐ-UBND@QNG/2025"), "a retry: \(json)")
        // A report issued for 5/QĐ-UBND while it is the only one of its number is made again the same
        // after another issuer's 5/QĐ-UBND is recorded (the number is read as of the report's records).
        let first = daemon.directory + "/qd5.csv"
        let issued = try daemon.ctl("report", "disbursement", "--decision", "5/QĐ-UBND", "--year", "2025", "--as-of", "2025-11-30",
                                    "--format", "csv", "--output", first, "--issue", "CV 7/BDT-VP")
        #expect(issued.status == 0, "\(issued.stderr)")
        _ = try daemon.ok("allocate", "5/QĐ-UBND@BTC/2025", "--agency", "BDT", "--year", "2025", "--date", "2025-05-01", "--line", "KH-BDT-2024#1=1tr")
        let againFile = daemon.directory + "/again.csv"
        let reissued = try daemon.ctl("report", "--reissue", "CV 7/BDT-VP", "--output", againFile)
        #expect(reissued.status == 0 && reissued.stderr.contains("the same bytes"), "\(reissued.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: againFile)) == (try Data(contentsOf: URL(fileURLWithPath: first))))
        #expect(try daemon.ctl("report", "disbursement", "--decision", "5/QĐ-UBND", "--year", "2025").stderr.contains("is ambiguous"))
        // A ministry's decision of the same number is a third one; its long form names its issuer.
        let ministry = try daemon.ok("allocate", "100/QĐ-UBND@btc/2025", "--agency", "BDT", "--year", "2025", "--date", "2025-05-01",
                                     "--line", "KH-BDT-2024#1=5tr")
        #expect(ministry.contains("100/QĐ-UBND (BTC, 2025)"), "\(ministry)")
        let three = try daemon.ctl("disburse", "KH-BDT-2024#1", "1tr", "--date", "2025-05-02", "--ref", "UNC-3", "--decision", "100/QĐ-UBND")
        #expect(three.stderr.contains("3 decisions have that number") && three.stderr.contains("100/QĐ-UBND (BTC, 2025)"), "\(three.stderr)")
        // A long form whose year is not the year of signing is refused.
        let wrongYear = try daemon.ctl("allocate", "101/QĐ-UBND@QNG/2024", "--agency", "BDT", "--year", "2025", "--date", "2025-05-01",
                                       "--line", "KH-BDT-2024#1=5tr")
        #expect(wrongYear.stderr.contains("names the year 2024 but is signed 01/05/2025"), "\(wrongYear.stderr)")
        #expect(daemon.stop() == 0)
        // Started again (from what the first daemon left: its snapshot, the log), the same keys and figures, and the number alone still refused.
        let again = try TrackerProcess(arguments: ["--now", "2025-12-01T10:00"], reusing: daemon.store,
                                       configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        let status = try again.json("status", "--by", "decision", "--as-of", "2025-11-30")
        #expect("\(status["rows"]!)".contains("100/QĐ-UBND@BTC/2025") && "\(status)".contains("5/QĐ-UBND@QNG/2025"), "\(status)")
        #expect(status["carried_total", "disbursed"] == .int(1_000_000), "\(status)")
        Self.expectAmbiguous(try again.ctl("lapse", "100/QĐ-UBND", "--date", "2025-02-01", "--reason", "x"))
        #expect(again.stop() == 0)
    }
}
