import Events
import Foundation
import Glibc
import Testing

/// `trackctl report`: every kind in every format from the sample data (and the ranking fixture),
/// the figures the documents give, CSV as Excel reads it, names never cut, reports issued and
/// made again byte for byte.
@Suite("Reports an official can hand over")
struct ReportTests {
    static let letterhead = """
        [checkpoints]
        [report]
        co_quan_chu_quan = UBND TỈNH QUẢNG NGÃI
        [report BDT]
        co_quan_bao_cao = BAN DÂN TỘC
        thu_truong = TRƯỞNG BAN
        thu_truong_ten = Hồ Ngọc Thịnh

        """

    /// The sample data on a daemon whose clock reads 01/12/2023.
    static func sample() throws -> TrackerProcess {
        try TrackerProcess(arguments: ["--now", "2023-12-01T08:00", "--import", Binaries.sampleData],
                           configuration: TrackerProcess.testConfiguration + letterhead)
    }

    /// The ranking fixture (five agencies of 2024) on a daemon whose clock reads 01/10/2024.
    static func rankingFixture() throws -> TrackerProcess {
        try TrackerProcess(arguments: ["--now", "2024-10-01T08:00", "--import", Binaries.root + "/Tests/Fixtures/ranking.tracker"],
                           configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
    }

    /// A report's bytes, written by trackctl to a file.
    static func bytes(_ daemon: TrackerProcess, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let file = daemon.directory + "/report-\(UUID().uuidString)"
        let result = try daemon.ctl(["report"] + arguments + ["--output", file])
        #expect(result.status == 0, "report \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return Array((try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data())
    }

    /// CSV text split into rows of fields (quotes undone), after its BOM.
    static func parseCSV(_ bytes: [UInt8], separator: Character) -> [[String]] {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var characters = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? characters.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = characters.next() { if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next } }
                    else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if Character(c) == separator { row.append(field); field = "" }
            else if c == "\r" { continue }
            else if c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.unicodeScalars.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    @Test("every kind renders in every format and both languages, with the documents' figures")
    func everyKindEveryFormat() throws {
        let daemon = try Self.sample()
        let kinds: [(String, [String])] = [("plan", ["plan", "BDT-2023"]), ("disbursement", ["disbursement", "--as-of", "2023-11-30"]),
                                           ("ranking", ["ranking", "--as-of", "2023-11-30"]), ("overdue", ["overdue", "--as-of", "2024-01-02"]),
                                           ("audit", ["audit", "--as-of", "2023-11-30"]),
                                           ("monthly", ["disbursement", "--month", "2023-12", "--as-of", "2023-12-20"])]
        for (kind, arguments) in kinds {
            for format in ["text", "csv", "md", "html"] {
                for lang in ["vi", "en"] {
                    let text = String(decoding: try Self.bytes(daemon, arguments + ["--format", format, "--lang", lang, "--width", "150"]), as: UTF8.self)
                    #expect(text.count > 200, "\(kind) \(format) \(lang) is nearly empty")
                    let what = "\(kind) \(format) \(lang)"
                    switch (kind, format) {
                    case ("plan", "csv"):
                        #expect(text.contains(lang == "vi" ? "483,000" : "483.000"), "\(what)")
                    case ("plan", _):
                        #expect(text.contains("483") && text.contains("Nâng cấp hạ tầng CNTT"), "\(what)")
                        #expect(!text.contains(lang == "vi" ? "Total" : "Tổng cộng"), "\(what) mixes languages")
                    case ("disbursement", "csv"), ("ranking", "csv"):
                        #expect(text.contains(lang == "vi" ? "8,046" : "8.046") && text.contains(lang == "vi" ? "1,341" : "1.341"), "\(what)")
                    case ("disbursement", _), ("ranking", _):
                        #expect(text.contains("600") && text.contains("8,046") && text.contains("1,341%"), "\(what)")
                    case ("overdue", _):
                        #expect(text.contains("560/KH-BDT#1") && text.contains("367"), "\(what)")
                    case ("monthly", "csv"):
                        #expect(text.contains(lang == "vi" ? "600,000" : "600.000") && text.contains(lang == "vi" ? "8,046" : "8.046") && text.contains("37/2025/TT-BTC"), "\(what)")
                    case ("monthly", _):
                        #expect(text.contains("37/2025/TT-BTC") && text.contains("8,046") && text.contains("100%"), "\(what)")
                    case ("audit", _):
                        #expect(text.contains("contract.signed") && text.contains("disbursement.expected"), "\(what)")
                    default: break
                    }
                    if format == "html" {
                        #expect(text.hasPrefix("<!DOCTYPE html>") && !text.contains("<script") && !text.contains("http://") || text.contains("xmlns=\"http://www.w3.org/2000/svg\""), "\(what)")
                        #expect(!text.contains("src=\"http") && !text.contains("href=\"http"), "\(what) reaches the network")
                    }
                    if kind != "plan" && kind != "monthly" && lang == "vi" && format != "csv" {
                        #expect(text.contains(kind == "audit" ? "Tổng cộng" : "Ban Dân tộc tỉnh Quảng Ngãi"), "\(what)")
                    }
                }
            }
        }
        // The letterhead of trackerd.conf, and the signature block.
        let text = String(decoding: try Self.bytes(daemon, ["disbursement", "--as-of", "2023-11-30", "--agency", "BDT", "--width", "1000"]), as: UTF8.self)
        for line in ["UBND TỈNH QUẢNG NGÃI", "BAN DÂN TỘC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ĐVT: triệu đồng",
                     "Quảng Ngãi, ngày 01 tháng 12 năm 2023", "NGƯỜI LẬP BIỂU", "TRƯỞNG BAN", "Hồ Ngọc Thịnh", "Trung tâm Công nghệ Thông tin",
                     "chỉ định thầu 31/10/2023", "ĐỒNG HỒ GIẢ LẬP"] {
            #expect(text.contains(line), "missing \(line)")
        }
    }

    @Test("the plan tables of seeds 000, 001 and 004 in csv: the amounts of the documents, summing to their Tổng")
    func planTablesInCSV() throws {
        let daemon = try Self.sample()
        for (plan, amounts, total) in [("BDT-2023", ["78", "300", "5", "70", "30"], "483"),
                                       ("VP-2022", ["1700", "586", "2000", "700", "250", "100", "204", "300"], "5840"),
                                       ("SVHTTDL-2021-2025", ["7000", "500", "500", "250", "250", "300", "4000", "15000"], "27800")] {
            let rows = Self.parseCSV(try Self.bytes(daemon, ["plan", plan, "--format", "csv", "--lang", "en", "--unit", "dong"]), separator: ",")
            let amountColumn = try #require(rows.first?.firstIndex { $0.hasPrefix("Budget") || $0.hasPrefix("Estimated") })
            #expect(rows.dropFirst().dropLast().map { $0[amountColumn] } == amounts.map { $0 + "000000" }, "\(plan)")
            #expect(rows.last?[amountColumn] == total + "000000", "\(plan)")
            #expect(rows.last?[1] == "Total")
        }
    }

    @Test("csv is what Excel expects: a BOM, CRLF, one header row, ; and the decimal comma in vi, plain numbers summing to the total in đồng")
    func csvForExcel() throws {
        let daemon = try Self.sample()
        let vi = try Self.bytes(daemon, ["disbursement", "--as-of", "2023-11-30", "--format", "csv", "--unit", "dong"])
        #expect(Array(vi.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: vi, as: UTF8.self)
        #expect(text.contains("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let rows = Self.parseCSV(vi, separator: ";")
        #expect(rows[0].count == 13 && rows.allSatisfy { $0.count == 13 })
        #expect(rows[0][1] == "Nhiệm vụ" && rows[0][3] == "Lũy kế giải ngân")
        let body = rows.dropFirst().dropLast()
        #expect(body.count == 3)
        #expect(body.map { Int64($0[3])! }.reduce(0, +) == 8_046_000)
        #expect(rows.last?[3] == "8046000" && rows.last?[1] == "Tổng cộng" && rows.last?[5] == "1,341")
        #expect(body.first?[1] == "Đảm bảo an toàn thông tin đối với hệ thống thông tin cấp độ 2 đã được phê duyệt")
        // trieu: three decimals, the decimal comma; en: the point and commas.
        let trieu = Self.parseCSV(try Self.bytes(daemon, ["disbursement", "--as-of", "2023-11-30", "--format", "csv"]), separator: ";")
        #expect(trieu.dropFirst().map { $0[3] } == ["3,402", "0,162", "4,482", "8,046"])
        let en = Self.parseCSV(try Self.bytes(daemon, ["disbursement", "--as-of", "2023-11-30", "--format", "csv", "--lang", "en"]), separator: ",")
        #expect(en.dropFirst().map { $0[3] } == ["3.402", "0.162", "4.482", "8.046"])
        #expect(en[0][3] == "Disbursed to date")
    }

    @Test("names are never cut: whole in csv, md and html, and wrapped onto further lines in text")
    func namesAreNeverCut() throws {
        let daemon = try Self.sample()
        let name = "Thuê tư vấn khảo sát, xây dựng Đề cương và dự toán triển khai Hệ thống sao lưu dự phòng cho Trung tâm Tích hợp dữ liệu Văn phòng UBND tỉnh"
        for format in ["csv", "md", "html"] {
            let text = String(decoding: try Self.bytes(daemon, ["plan", "VP-2022", "--format", format]), as: UTF8.self)
            #expect(text.contains(name), "\(format)")
        }
        let text = String(decoding: try Self.bytes(daemon, ["plan", "VP-2022", "--width", "80"]), as: UTF8.self)
        #expect(!text.contains("…"))
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        #expect(name.split(separator: " ").map(String.init).allSatisfy { words.contains($0) || words.contains($0 + ",") })
        let lines = text.split(separator: "\n")
        let table = lines.filter { $0.contains("Thuê tư vấn") || $0.contains("Tích hợp dữ liệu Văn") }
        #expect(!table.isEmpty)
        // The table keeps within the width.
        for line in lines where line.contains("Tích hợp dữ liệu") { #expect(line.count <= 80, "\(line)") }
    }

    @Test("the ranking fixture: the province's rate, each agency above or below it and the gap in đồng, in every format")
    func rankingOfTheFixture() throws {
        let daemon = try Self.rankingFixture()
        let rows = Self.parseCSV(try Self.bytes(daemon, ["ranking", "--as-of", "2024-09-30", "--format", "csv", "--unit", "dong"]), separator: ";")
        #expect(rows.dropFirst().map { $0[1] } == ["Sở Y tế", "Sở Thông tin và Truyền thông", "Sở Tài chính", "Sở Giáo dục và Đào tạo",
                                                    "Sở Khoa học và Công nghệ", "Toàn tỉnh"])
        #expect(rows.dropFirst().dropLast().map { $0[6] } == ["Trên bình quân", "Trên bình quân", "Trên bình quân", "Dưới bình quân", "Dưới bình quân"])
        #expect(rows.dropFirst().dropLast().map { $0[7] } == ["0", "0", "0", "43396227", "407547170"])
        #expect(rows.last?[5] == "47,170")
        for format in ["text", "md", "html"] {
            let text = String(decoding: try Self.bytes(daemon, ["ranking", "--as-of", "2024-09-30", "--format", format]), as: UTF8.self)
            #expect(text.contains("47,17%") && text.contains("Dưới bình quân") && text.contains("43,396227"), "\(format)")
        }
        let html = String(decoding: try Self.bytes(daemon, ["ranking", "--as-of", "2024-09-30", "--format", "html"]), as: UTF8.self)
        #expect(html.contains("<svg") && html.contains("stroke-dasharray") && html.contains("Bình quân toàn tỉnh: 47,17%"))
    }

    @Test("a report issued is a fact: its bytes are made again from the log, the same whatever was recorded since")
    func issueAndReissue() throws {
        let daemon = try Self.sample()
        let first = daemon.directory + "/qd569.html"
        let issued = try daemon.ctl("report", "disbursement", "--as-of", "2023-11-30", "--format", "html", "--output", first,
                                    "--issue", "CV 123/BDT-VP", "--letter-date", "2023-12-01")
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(issued.stderr.contains("recorded at seq 66"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
        let digest = SHA256.hash(Array(bytes)).hex
        #expect(issued.stderr.contains(digest))
        #expect(String(decoding: bytes, as: UTF8.self).contains("Kèm theo CV 123/BDT-VP ngày 01/12/2023"))
        // (log --json prints each record as a line of its own: record 66 is the last.)
        let record = try daemon.json("log", "--from", "66")
        #expect(record["type"] == .string("report.issued"))
        #expect(record["body", "sha256"] == .string(digest))
        #expect(record["body", "through_seq"] == .int(65))
        // More money moves, the letterhead changes; the report sent is made again as it was.
        _ = try daemon.ok("disburse", "860/KH-BDT#1", "10tr", "--date", "2023-11-30", "--ref", "LATE-1")
        let again = daemon.directory + "/again.html"
        let reissued = try daemon.ctl("report", "--reissue", "cv 123/bdt-vp", "--output", again)
        #expect(reissued.status == 0, "\(reissued.stderr)")
        #expect(reissued.stderr.contains("the same bytes") && reissued.stderr.contains(digest))
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == bytes)
        // Issuing the same bytes with the same letter again records nothing twice.
        let twice = try daemon.ctl("report", "disbursement", "--as-of", "2023-11-30", "--known-at", "2099-01-01", "--format", "html",
                                   "--output", first, "--issue", "CV 123/BDT-VP", "--letter-date", "2023-12-01")
        #expect(twice.status == 0)
        #expect(!twice.stderr.contains("already recorded"), "a later report counts the new payment: other bytes")
        // The list of reports sent names it.
        let list = try daemon.ok("report", "--issued")
        #expect(list.contains("CV 123/BDT-VP") && list.contains(digest) && list.contains("disbursement"))
        // A letter never issued, and a forged record, are refused.
        let unknown = try daemon.ctl("report", "--reissue", "CV 999/BDT-VP")
        #expect(unknown.status == 1 && unknown.stderr.contains("no report is recorded as sent with CV 999/BDT-VP"))
        let forged = try daemon.ctl("report", "issued", "plan", "--letter", "CV 5/X", "--as-of", "2023-11-30", "--through-seq", "65",
                                    "--sha256", String(repeating: "0", count: 64), "--bytes", "5", "--parameters", #"{"plan":"BDT-2023","format":"csv"}"#)
        #expect(forged.status == 0, "\(forged.stderr)")
        let mismatch = try daemon.ctl("report", "--reissue", "CV 5/X", "--output", daemon.directory + "/x.csv")
        #expect(mismatch.status == 1 && mismatch.stderr.contains("differs from the one sent with CV 5/X"))
    }

    @Test("bad requests are refused with what was wrong, and --output never writes through a link")
    func refusals() throws {
        let daemon = try Self.sample()
        #expect(try daemon.ctl("report").status == 2)
        #expect(try daemon.ctl("report", "budget").stderr.contains("'budget' is not a report"))
        #expect(try daemon.ctl("report", "plan").status == 2)
        #expect(try daemon.ctl("report", "plan", "KH-NONE").stderr.contains("not recorded"))
        #expect(try daemon.ctl("report", "disbursement", "--format", "pdf").status == 2)
        #expect(try daemon.ctl("report", "disbursement", "--unit", "usd").status == 2)
        #expect(try daemon.ctl("report", "disbursement", "--width", "5").status == 2)
        let victim = daemon.directory + "/victim"
        try "keep\n".write(toFile: victim, atomically: true, encoding: .utf8)
        let link = daemon.directory + "/link.csv"
        symlink(victim, link)
        #expect(try daemon.ctl("report", "plan", "BDT-2023", "--format", "csv", "--output", link).status == 0)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep\n")
        // A name that a spreadsheet would run as a formula is written as text.
        _ = try daemon.ok("task", "add", "BDT-2024#5", "--name", "=HYPERLINK(\"http://x\";\"y\")", "--period", "2024", "--total", "1tr")
        let csv = String(decoding: try Self.bytes(daemon, ["plan", "BDT-2024", "--format", "csv"]), as: UTF8.self)
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\""))
        let html = String(decoding: try Self.bytes(daemon, ["plan", "BDT-2024", "--format", "html"]), as: UTF8.self)
        #expect(html.contains("=HYPERLINK(&quot;http://x&quot;;&quot;y&quot;)"))
    }

    @Test("round trip: a plan table written as csv and loaded into a new plan is written back the same, row for row")
    func planTableRoundTrip() throws {
        let daemon = try Self.sample()
        for (plan, period, lang, unit) in [("BDT-2023", "2023", "vi", "trieu"), ("VP-2022", "2022", "en", "dong"), ("SVHTTDL-2021-2025", "2021-2025", "vi", "ty")] {
            let original = try Self.bytes(daemon, ["plan", plan, "--format", "csv", "--lang", lang, "--unit", unit])
            let file = daemon.directory + "/\(lang)-\(unit).csv"
            try Data(original).write(to: URL(fileURLWithPath: file))
            let copy = "COPY-\(plan)"
            _ = try daemon.ok("plan", "create", copy, "--agency", "BDT", "--date", "2020-12-31", "--period", period, "--title", "Bản sao của \(plan)")
            let imported = try daemon.ctl("import", "--plan-table", file, "--plan", copy, "--unit", unit)
            #expect(imported.status == 0, "\(plan): \(imported.stderr)")
            let back = try Self.bytes(daemon, ["plan", copy, "--format", "csv", "--lang", lang, "--unit", unit])
            #expect(Self.parseCSV(back, separator: lang == "vi" ? ";" : ",") == Self.parseCSV(original, separator: lang == "vi" ? ";" : ","), "\(plan)")
            // Loading it again records nothing twice.
            let again = try daemon.ctl("import", "--plan-table", file, "--plan", copy, "--unit", unit)
            #expect(again.status == 0 && again.stdout.contains("0 commands recorded"), "\(again.stdout)")
        }
        // A row the books refuse is named by its row; nothing of the file is recorded.
        let head = try daemon.ok("head")
        let clash = daemon.directory + "/clash.csv"
        try "TT;Tên nhiệm vụ;Thời gian;Kinh phí năm 2023;Nguồn vốn\n1;Nâng cấp hạ tầng CNTT;2023-2025;78;NS tỉnh\n2;Khác;2023;5;NS tỉnh\n"
            .write(toFile: clash, atomically: true, encoding: .utf8)
        let refused = try daemon.ctl("import", "--plan-table", clash, "--plan", "BDT-2023")
        #expect(refused.status == 1 && refused.stderr.contains("clash.csv: row 2: refused (conflict)"), "\(refused.stderr)")
        #expect(try daemon.ok("head") == head)
        #expect(try daemon.ctl("import", "--plan-table", clash).status == 2)
    }
}
