import Events
import Foundation
import Projections
import Testing

/// Corrections as facts of their own, through the real daemon: reversals dated where the error was
/// made, refunds on their own day, amended allocations from their signing date, and the same totals
/// in every grouping.
@Suite("Corrections: reversals, refunds and amended allocations, as of any date", .serialized)
struct CorrectionsTests {
    static let setup = """
        agency add SO --name "Sở Thử nghiệm"
        agency add EMPTY --name "Cơ quan chưa có kế hoạch"
        plan create 1/KH-SO --agency SO --title "Kế hoạch 2025" --date 2025-01-05 --period 2025
        task add 1/KH-SO#1 --name "Một" --period 2025 --total 200tr
        task add 1/KH-SO#2 --name "Hai" --period 2025 --total 100tr
        task add 1/KH-SO#3 --name "Ba" --period 2025 --total 50tr
        plan create 2/KH-SO --agency SO --title "Kế hoạch 2025–2027" --date 2025-01-05 --period 2025-2027
        task add 2/KH-SO#1 --name "Nhiều năm, không chia" --period 2025-2027 --total 900tr
        task add 2/KH-SO#2 --name "Nhiều năm, có chia" --period 2025-2027 --total 300tr --yearly 2025=100tr --yearly 2026=100tr --yearly 2027=100tr
        allocate 10/QĐ-UBND --agency SO --year 2025 --date 2025-03-01 --line 1/KH-SO#1=200tr --line 1/KH-SO#2=100tr
        disburse 1/KH-SO#1 60tr --date 2025-09-05 --ref UNC-60
        disburse 1/KH-SO#1 40tr --date 2025-08-01 --ref UNC-40
        disburse 1/KH-SO#2 30tr --date 2025-06-01 --ref "số 30 UNC"

        """

    static func daemon(configuration: String = "") throws -> TrackerProcess {
        let daemon = try TrackerProcess(arguments: ["--now", "2026-03-15T10:00"],
                                        configuration: TrackerProcess.testConfiguration + "[checkpoints]\n" + configuration)
        let file = daemon.directory + "/setup.tracker"
        try setup.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try daemon.ok("import", file)
        return daemon
    }

    static func money(_ value: JSONValue?) -> Int64? {
        guard case .int(let dong)? = value else { return nil }
        return dong
    }

    static let trieu: Int64 = 1_000_000

    /// The status total (planned, allocated, disbursed) of a grouping.
    static func totals(_ daemon: TrackerProcess, _ arguments: [String]) throws -> [Int64?] {
        let result = try daemon.json(["status"] + arguments)
        return [money(result["total", "planned"]), money(result["total", "allocated"]), money(result["total", "disbursed"])]
    }

    @Test("a reversal without a date takes effect on the disbursement's own day and says so; the error is gone from every earlier as-of")
    func reversalOnItsOwnDay() throws {
        let daemon = try Self.daemon()
        let before = try daemon.json("status", "--by", "decision", "--as-of", "2025-09-30")
        #expect(Self.money(before["total", "disbursed"]) == 130 * Self.trieu)
        let answer = try daemon.json("reverse", "UNC-60", "--reason", "nhập nhầm 60 triệu")
        #expect((answer["message"]).map { "\($0)" }?.contains("05/09/2025") == true, "\(answer)")
        let text = try daemon.ok("reverse", "UNC-60", "--reason", "nhập nhầm 60 triệu")
        #expect(text.contains("already recorded"))
        for asOf in ["2025-09-05", "2025-09-30", "2025-12-31"] {
            let after = try daemon.json("status", "--by", "decision", "--as-of", asOf)
            #expect(Self.money(after["total", "disbursed"]) == 70 * Self.trieu, "as of \(asOf)")
        }
        // A payment reference with spaces is a reference like any other.
        let spaced = try daemon.json("status", "--by", "line", "--as-of", "2025-06-01")
        #expect(Self.money(spaced["total", "disbursed"]) == 30 * Self.trieu)
    }

    @Test("a refund within the year goes back to the line on its own day; one after the adjustment period is returned to the budget and does not reopen the line")
    func refunds() throws {
        let daemon = try Self.daemon()
        let within = try daemon.json("refund", "UNC-40", "--amount", "10tr", "--date", "2025-10-10", "--reason", "giấy nộp trả 1")
        #expect("\(within["message"]!)".contains("giảm chi"))
        #expect(Self.money(within["line", "remaining"]) == 110 * Self.trieu)  // 200 − 60 − 40 + 10
        let later = try daemon.json("refund", "số 30 UNC", "--amount", "5tr", "--date", "2026-02-10", "--reason", "giấy nộp trả 2")
        #expect("\(later["message"]!)".contains("returned to the budget"), "\(later)")
        #expect("\(later["message"]!)".contains("not reopened"))
        #expect(Self.money(later["line", "remaining"]) == 70 * Self.trieu)  // 100 − 30, unchanged
        // A retry records nothing twice; more than is left of a payment is refused with the numbers.
        #expect(try daemon.ok("refund", "UNC-40", "--amount", "10tr", "--date", "2025-10-10", "--reason", "giấy nộp trả 1").contains("already recorded"))
        let tooMuch = try daemon.ctl("refund", "UNC-40", "--amount", "31tr", "--date", "2025-10-11", "--reason", "x")
        #expect(tooMuch.status == 1)
        #expect(tooMuch.stderr.contains("paid 40.000.000 đ, already refunded 10.000.000 đ, left 30.000.000 đ"), "\(tooMuch.stderr)")
        // As of each date, what was true then.
        let september = try daemon.json("status", "--by", "line", "--as-of", "2025-09-30")
        #expect(Self.money(september["total", "disbursed"]) == 130 * Self.trieu)
        let october = try daemon.json("status", "--by", "line", "--as-of", "2025-10-31")
        #expect(Self.money(october["total", "disbursed"]) == 120 * Self.trieu)
        let february = try daemon.json("status", "--by", "line", "--as-of", "2026-02-28")
        #expect(Self.money(february["total", "disbursed"]) == 115 * Self.trieu)
        #expect(Self.money(february["total", "returned"]) == 5 * Self.trieu)
        #expect(Self.money(february["total", "remaining"]) == 180 * Self.trieu)  // 300 − 115 − 5
    }

    @Test("an amendment raises, lowers, moves and withdraws from its signing date; never below what is disbursed; after the deadline only with a recorded override")
    func amendments() throws {
        let daemon = try Self.daemon()
        // Below what is disbursed: refused with the numbers, nothing recorded.
        let head = try daemon.json("head")["head", "seq"]
        let below = try daemon.ctl("amend", "11/QĐ-UBND", "--amends", "10/QĐ-UBND", "--date", "2025-10-01", "--reason", "giảm", "--set", "1/KH-SO#2=20tr")
        #expect(below.status == 1)
        #expect(below.stderr.contains("below what the line has used: allocated 100.000.000 đ, used 30.000.000 đ"), "\(below.stderr)")
        #expect(try daemon.json("head")["head", "seq"] == head)
        // Lower #1 to 150, move 20 from #2 to a new line for #3.
        let amended = try daemon.json("amend", "11/QĐ-UBND", "--amends", "10/QĐ-UBND", "--date", "2025-10-01", "--reason", "điều chỉnh dự toán",
                                      "--set", "1/KH-SO#1=150tr", "--move", "1/KH-SO#2>1/KH-SO#3=20tr")
        #expect("\(amended["message"]!)".contains("1/KH-SO#1 200.000.000 đ → 150.000.000 đ"), "\(amended)")
        let before = try daemon.json("status", "--by", "line", "--as-of", "2025-09-30")
        #expect(Self.money(before["total", "allocated"]) == 300 * Self.trieu)
        let after = try daemon.json("status", "--by", "line", "--as-of", "2025-10-01")
        #expect(Self.money(after["total", "allocated"]) == 300 * Self.trieu - 50 * Self.trieu)
        guard case .array(let rows)? = after["rows"] else { Issue.record("no rows"); return }
        let byTask = Dictionary(uniqueKeysWithValues: rows.compactMap { row -> (String, JSONObject)? in
            guard case .object(let object) = row, case .string(let task)? = object["task"] else { return nil }
            return (task, object)
        })
        #expect(Self.money(byTask["1/KH-SO#1"]?["allocated"]) == 150 * Self.trieu)
        #expect(Self.money(byTask["1/KH-SO#2"]?["allocated"]) == 80 * Self.trieu)
        #expect(Self.money(byTask["1/KH-SO#3"]?["allocated"]) == 20 * Self.trieu)
        // The rate's denominator is the allocation in force: 100 of 150 on line 1.
        #expect(byTask["1/KH-SO#1"]?["rate_allocated"] == .number("66.667"), "\(String(describing: byTask["1/KH-SO#1"]))")
        // Withdrawing the remainder of line 2 (thu hồi) brings it to what it used, after 15/11: refused without an override.
        let late = try daemon.ctl("amend", "12/QĐ-UBND", "--amends", "10/QĐ-UBND", "--date", "2025-11-20", "--reason", "thu hồi", "--withdraw", "1/KH-SO#2")
        #expect(late.status == 1)
        #expect(late.stderr.contains("adjusted by 15/11/2025"), "\(late.stderr)")
        let withdrawn = try daemon.json("amend", "12/QĐ-UBND", "--amends", "10/QĐ-UBND", "--date", "2025-11-20", "--reason", "thu hồi",
                                        "--withdraw", "1/KH-SO#2", "--late-override", "Chủ tịch UBND tỉnh đồng ý tại CV 9/UBND")
        #expect("\(withdrawn["message"]!)".contains("1/KH-SO#2 80.000.000 đ → 30.000.000 đ"), "\(withdrawn)")
        let log = try daemon.ok("log", "--tail", "1")
        #expect(log.contains("override: Chủ tịch UBND tỉnh đồng ý"), "\(log)")
        // A retry records nothing twice.
        #expect(try daemon.ok("amend", "12/QĐ-UBND", "--amends", "10/QĐ-UBND", "--date", "2025-11-20", "--reason", "thu hồi",
                              "--withdraw", "1/KH-SO#2", "--late-override", "Chủ tịch UBND tỉnh đồng ý tại CV 9/UBND").contains("already recorded"))
        // Disbursing past the lowered allocation is refused with it.
        let over = try daemon.ctl("disburse", "1/KH-SO#2", "1tr", "--date", "2025-12-01", "--ref", "UNC-OVER")
        #expect(over.stderr.contains("allocated 30.000.000 đ"), "\(over.stderr)")
        // The same totals in every grouping, as of dates before and after the amendments.
        for asOf in ["2025-09-30", "2025-10-01", "2025-12-31"] {
            try Self.expectSameTotals(daemon, asOf: asOf)
        }
    }

    @Test("a plan's status shows its planned money before any allocation; agencies with no plans are listed; a task outside its plan's period is refused naming both")
    func plannedAndAgencies() throws {
        let daemon = try Self.daemon()
        let plan = try daemon.ok("status", "--plan", "2/KH-SO", "--year", "2025")
        #expect(plan.contains("Planned in this scope"), "\(plan)")
        #expect(plan.contains("1.000.000.000 đ"), "\(plan)")  // 900 not split + 100 for 2025
        let agencies = try daemon.ok("agencies")
        #expect(agencies.contains("EMPTY"))
        #expect(agencies.contains("Cơ quan chưa có kế hoạch"))
        let outside = try daemon.ctl("task", "add", "1/KH-SO#4", "--name", "Bốn", "--period", "2024")
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("runs 2024, outside the period of plan 1/KH-SO (2025)"), "\(outside.stderr)")
        // Completing a task whose line still holds money warns in the answer.
        let completed = try daemon.json("task", "status", "1/KH-SO#2", "hoàn thành", "--date", "2025-12-20", "--reason", "nghiệm thu")
        #expect("\(completed["warnings"] ?? .null)".contains("is completed with 70.000.000 đ still undisbursed"), "\(completed)")
        // The simulated clock only moves forward.
        let back = try daemon.ctl("clock", "set", "2026-03-01")
        #expect(back.status == 1)
        #expect(back.stderr.contains("it only moves forward"), "\(back.stderr)")
        #expect(try daemon.ctl("clock", "set", "2026-03-20").status == 0)
        // Vietnamese status words.
        #expect(try daemon.ctl("task", "status", "1/KH-SO#1", "đang thực hiện", "--date", "2025-09-01", "--reason", "thi công").status == 0)
        let unknown = try daemon.ctl("task", "status", "1/KH-SO#1", "tạm dừng", "--date", "2025-09-02", "--reason", "x")
        #expect(unknown.stderr.contains("hoàn thành → completed"), "\(unknown.stderr)")
    }

    @Test("by year, multi-year money without a yearly split has its own row, and a year's rate against the plan uses that year's amounts")
    func byYear() throws {
        let daemon = try Self.daemon()
        let result = try daemon.json("status", "--by", "year")
        guard case .array(let rows)? = result["rows"] else { Issue.record("no rows"); return }
        let keys = rows.compactMap { row -> String? in if case .object(let o) = row, case .string(let k)? = o["key"] { k } else { nil } }
        #expect(keys == ["2025", "2026", "2027", "not-split"])
        #expect(Self.money(result["total", "planned"]) == (350 + 900 + 300) * Self.trieu)
        let year = try daemon.json("status", "--by", "agency", "--year", "2025")
        #expect(Self.money(year["total", "planned"]) == (350 + 900 + 100) * Self.trieu)
        #expect(Self.money(year["total", "planned_not_split"]) == 900 * Self.trieu)
        // 130 of the 450 planned for 2025 with a split (the 900 not split is left out): 28,889%.
        #expect(year["total", "rate_planned"] == .number("28.889"), "\(year)")
        try Self.expectSameTotals(daemon, asOf: "2025-12-31")
    }

    /// Every grouping of the same scope gives the same planned, allocated and disbursed totals
    /// (own money and carried-over money).
    static func expectSameTotals(_ daemon: TrackerProcess, asOf: String, years: [Int?] = [nil, 2025],
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        for year in years {
            var seen: [String: [Int64?]] = [:]
            for grouping in StatusGrouping.allCases {
                var arguments = ["--by", grouping.rawValue, "--as-of", asOf]
                if let year { arguments += ["--year", String(year)] }
                seen[grouping.rawValue] = try totals(daemon, arguments)
            }
            let reference = seen["line"]!
            for (grouping, figures) in seen {
                #expect(figures == reference, "as of \(asOf), year \(year.map(String.init) ?? "all"): --by \(grouping) totals \(figures), --by line \(reference)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a plan revision changes a task from its date on, can cancel it, and the task's history lists it")
    func planRevision() throws {
        let daemon = try Self.daemon()
        let outside = try daemon.ctl("task", "revise", "1/KH-SO#1", "--ref", "KH 2/KH-SO", "--date", "2025-06-01", "--reason", "x", "--period", "2026")
        #expect(outside.stderr.contains("runs 2026, outside the period of plan 1/KH-SO (2025)"), "\(outside.stderr)")
        _ = try daemon.ok("task", "revise", "1/KH-SO#3", "--ref", "KH 2/KH-SO", "--date", "2025-06-01", "--reason", "giảm quy mô",
                          "--total", "40tr", "--name", "Ba (điều chỉnh)")
        _ = try daemon.ok("task", "revise", "2/KH-SO#1", "--ref", "KH 3/KH-SO", "--date", "2025-07-01", "--reason", "không còn cần", "--cancel")
        let before = try daemon.json("status", "--by", "task", "--plan", "1/KH-SO", "--as-of", "2025-05-31")
        #expect(Self.money(before["total", "planned"]) == 350 * Self.trieu)
        let after = try daemon.json("status", "--by", "task", "--plan", "1/KH-SO", "--as-of", "2025-06-01")
        #expect(Self.money(after["total", "planned"]) == 340 * Self.trieu)
        #expect("\(after["rows"]!)".contains("Ba (điều chỉnh)"))
        let tasks = try daemon.json("tasks", "--plan", "2/KH-SO", "--as-of", "2025-07-01")
        #expect("\(tasks["tasks"]!)".contains("cancelled"))
        let history = try daemon.ok("tasks", "--history", "1/KH-SO#3")
        #expect(history.contains("plan revision KH 2/KH-SO: name \"Ba\" → \"Ba (điều chỉnh)\"; total 50.000.000 đ → 40.000.000 đ"), "\(history)")
        try Self.expectSameTotals(daemon, asOf: "2025-06-01")

        // A line row names its task as the plan stood on the date, also after a row of that line
        // was made (and kept) before the revision was recorded.
        func label(_ asOf: String) throws -> String? {
            guard case .array(let rows)? = try daemon.json("status", "--by", "line", "--as-of", asOf)["rows"] else { return nil }
            for case .object(let row) in rows where row["task"] == .string("1/KH-SO#1") {
                if case .string(let label)? = row["label"] { return label }
            }
            return nil
        }
        #expect(try label("2025-12-01") == "Một")
        _ = try daemon.ok("task", "revise", "1/KH-SO#1", "--ref", "KH 2/KH-SO", "--date", "2025-06-01", "--reason", "đổi tên", "--name", "Một (điều chỉnh)")
        #expect(try label("2025-12-01") == "Một (điều chỉnh)")
        #expect(try label("2025-05-31") == "Một")
    }

    @Test("the same status asked again follows every change to the plans, and no change to the money moves its planned figures")
    func plannedFiguresFollowThePlans() throws {
        let daemon = try Self.daemon()
        // The daemon keeps the planned figures of recent answers: each status below is asked
        // twice, and both answers must follow the record made between them.
        func planned(_ arguments: String...) throws -> [Int64?] {
            let first = try daemon.json(["status"] + arguments)
            let again = try daemon.json(["status"] + arguments)
            #expect("\(first["total"]!)" == "\(again["total"]!)")
            let rows = (again["rows"]).map { "\($0)" } ?? ""
            return [Self.money(again["total", "planned"]), rows.contains("Bốn") ? 1 : 0]
        }
        #expect(try planned("--by", "line") == [1_550 * Self.trieu, 0])
        #expect(try planned("--by", "task") == [1_550 * Self.trieu, 0])
        _ = try daemon.ok("disburse", "1/KH-SO#1", "10tr", "--date", "2025-10-01", "--ref", "UNC-10")
        #expect(try planned("--by", "line") == [1_550 * Self.trieu, 0])
        _ = try daemon.ok("task", "add", "1/KH-SO#4", "--name", "Bốn", "--period", "2025", "--total", "25tr")
        #expect(try planned("--by", "line") == [1_575 * Self.trieu, 0])
        #expect(try planned("--by", "task") == [1_575 * Self.trieu, 1])
        #expect(try planned("--by", "agency") == [1_575 * Self.trieu, 0])
        _ = try daemon.ok("task", "revise", "1/KH-SO#3", "--ref", "KH 2/KH-SO", "--date", "2025-06-01", "--reason", "giảm quy mô", "--total", "40tr")
        #expect(try planned("--by", "line") == [1_565 * Self.trieu, 0])
        #expect(try planned("--by", "task") == [1_565 * Self.trieu, 1])
        #expect(try planned("--by", "task", "--as-of", "2025-05-31") == [1_575 * Self.trieu, 1])
        try Self.expectSameTotals(daemon, asOf: "2026-03-15")
    }

    @Test("the deadline for amendments comes from the configuration, by budget year")
    func configuredDeadline() throws {
        let daemon = try Self.daemon(configuration: "[budget]\namendment_deadline = 30/11\namendment_deadline from 2026 = 15/12\n")
        let amended = try daemon.ctl("amend", "12/QĐ-UBND", "--amends", "10/QĐ-UBND", "--date", "2025-11-20", "--reason", "thu hồi", "--withdraw", "1/KH-SO#2")
        #expect(amended.status == 0, "\(amended.stderr)")
        let late = try daemon.ctl("amend", "13/QĐ-UBND", "--amends", "10/QĐ-UBND", "--date", "2025-12-02", "--reason", "thêm", "--set", "1/KH-SO#1=210tr")
        #expect(late.stderr.contains("adjusted by 30/11/2025"), "\(late.stderr)")
    }

    @Test("a closed year refuses what would change its figures until a recorded reopening, and its figures stay the same")
    func closedYear() throws {
        let daemon = try Self.daemon()
        let early = try daemon.ctl("year", "close", "2025", "--decision", "QĐ 50/QĐ-UBND", "--date", "2026-01-15")
        #expect(early.stderr.contains("can be disbursed until 31/01/2026"), "\(early.stderr)")
        _ = try daemon.ok("year", "close", "2025", "--decision", "QĐ 50/QĐ-UBND phê duyệt quyết toán 2025", "--date", "2026-03-01")
        let before = try daemon.json("status", "--by", "line", "--year", "2025")
        let refused = try daemon.ctl("refund", "UNC-40", "--amount", "1tr", "--date", "2026-03-02", "--reason", "x")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("budget year 2025 was closed by QĐ 50/QĐ-UBND"), "\(refused.stderr)")
        #expect(try daemon.ctl("reverse", "UNC-60", "--reason", "x").stderr.contains("was closed"))
        #expect(try daemon.json("status", "--by", "line", "--year", "2025")["total"] == before["total"])
        // A retry of what was recorded before the closing still records nothing.
        #expect(try daemon.ok("disburse", "1/KH-SO#1", "60tr", "--date", "2025-09-05", "--ref", "UNC-60").contains("already recorded"))
        _ = try daemon.ok("year", "close", "2025", "--reopen", "--decision", "QĐ 61/QĐ-UBND", "--date", "2026-03-10", "--reason", "sai sót kiểm toán")
        #expect(try daemon.ctl("reverse", "UNC-60", "--reason", "nhập nhầm").status == 0)
    }
}
