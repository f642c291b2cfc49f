import Events
import Foundation
import Testing

/// Both samples through the real daemon: the 2025 reorganisation as officials read it, and the
/// same totals in every grouping before and after each succession.
@Suite("The 2025 reorganisation through the daemon")
struct ReorganisationSystemTests {
    static func daemon() throws -> TrackerProcess {
        let daemon = try TrackerProcess(arguments: ["--now", "2026-12-01T10:00"], configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        _ = try daemon.ok("import", Binaries.sampleData)
        _ = try daemon.ok("import", Binaries.root + "/data/reorganisation-2025.tracker")
        return daemon
    }

    @Test("every --by gives the same planned, allocated and disbursed totals on 28/02, 01/03, 30/06 and 01/07/2025")
    func sameTotals() throws {
        let daemon = try Self.daemon()
        for date in ["2025-02-28", "2025-03-01", "2025-06-30", "2025-07-01", "2026-03-01"] {
            try CorrectionsTests.expectSameTotals(daemon, asOf: date)
        }
        try CorrectionsTests.expectSameTotals(daemon, asOf: "2023-11-30", years: [nil, 2023])
    }

    @Test("status by agency marks the successors (formerly …), and agencies shows each lineage")
    func lineage() throws {
        let daemon = try Self.daemon()
        let before = try daemon.ok("status", "--by", "agency", "--year", "2025", "--as-of", "2025-02-28")
        #expect(before.contains("STTTT"))
        #expect(!before.contains("formerly"))
        let after = try daemon.ok("status", "--by", "agency", "--year", "2025", "--as-of", "2025-07-01")
        #expect(after.contains("formerly STTTT, KT-SKHCN"), "\(after)")
        #expect(after.contains("formerly BDT"), "\(after)")
        let json = try daemon.json("status", "--by", "agency", "--year", "2025", "--as-of", "2025-07-01")
        #expect("\(json["rows"]!)".contains("(formerly STTTT, KT-SKHCN)"))
        let agencies = try daemon.ok("agencies", "--as-of", "2025-07-01")
        #expect(agencies.contains("→ SKHCN, SVHTTDL from 01/03/2025"), "\(agencies)")
        #expect(agencies.contains("→ SDTTG from 01/03/2025"), "\(agencies)")
        // Each agency in the list holds what status by agency gives it: the ceased ones nothing.
        let listed = try daemon.json("agencies", "--as-of", "2025-07-01")
        let byAgency = try daemon.json("status", "--by", "agency", "--as-of", "2025-07-01")
        guard case .array(let listRows)? = listed["agencies"], case .array(let statusRows)? = byAgency["rows"] else { Issue.record("no rows"); return }
        func planned(_ rows: [JSONValue], _ id: String, key: String) -> JSONValue? {
            for case .object(let row) in rows where row[key] == .string(id) { return row["planned"] }
            return nil
        }
        for id in ["SKHCN", "SVHTTDL", "SDTTG"] {
            #expect(planned(listRows, id, key: "id") == planned(statusRows, id, key: "key"), "\(id): \(listed) \(byAgency)")
        }
        #expect(planned(listRows, "SKHCN", key: "id").map { $0 != .null } == true, "\(listed)")
        #expect(planned(listRows, "STTTT", key: "id") == .null || planned(listRows, "STTTT", key: "id") == nil, "\(listed)")
        let skhcn = try daemon.json("status", "--agency", "SKHCN", "--year", "2025", "--by", "line", "--as-of", "2025-07-01")
        #expect(skhcn["total", "allocated"] == .int(2_300_000_000))
        // Each row names the agency holding the line on the date, whoever it was allocated to.
        guard case .array(let skhcnRows)? = skhcn["rows"] else { Issue.record("no rows"); return }
        #expect(!skhcnRows.isEmpty)
        for case .object(let row) in skhcnRows { #expect(row["agency"] == .string("SKHCN"), "\(row)") }
        let provinces = try daemon.ok("status", "--by", "province", "--year", "2025", "--as-of", "2025-07-01")
        #expect(provinces.contains("formerly KTM"), "\(provinces)")
        #expect(!provinces.contains("\nKTM "), "\(provinces)")
        // A succession cannot be recorded twice differently, and a successor must be registered.
        let twice = try daemon.ctl("agency", "succeed", "BDT", "--to", "SKHCN", "--date", "2025-03-01", "--decision", "x")
        #expect(twice.stderr.contains("already succeeded by SDTTG from 01/03/2025"), "\(twice.stderr)")
        // Money of a ceased agency is allocated to its successor.
        let ceased = try daemon.ctl("allocate", "77/QĐ-UBND", "--agency", "STTTT", "--year", "2025", "--date", "2025-04-01", "--line", "KH-STTTT-2025#1=1tr")
        #expect(ceased.stderr.contains("was succeeded by SKHCN, SVHTTDL from 01/03/2025"), "\(ceased.stderr)")
        #expect(try daemon.ctl("allocate", "77/QĐ-UBND", "--agency", "SKHCN", "--year", "2025", "--date", "2025-04-01", "--line", "KH-STTTT-2025#1=1tr").status == 0)
    }
}
