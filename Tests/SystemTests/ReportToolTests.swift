import Events
import Foundation
import Glibc
import Testing

/// The reports opened by programs no one here wrote: the HTML in headless Chromium (to PNG and to
/// PDF, the PDF's text read back with pdftotext), the CSV in LibreOffice Calc (its cells read back
/// from a flat ODS file: text intact, amounts as numbers summing to the total in đồng).
///
/// These tools are heavy (Chromium and LibreOffice take seconds to start), so the tests run only
/// when `TRACKER_REPORT_TOOLS=1`, which `.ci/run` sets and for which `scripts/test` installs them.
@Suite("Reports opened by a browser and a spreadsheet", .enabled(if: ProcessInfo.processInfo.environment["TRACKER_REPORT_TOOLS"] == "1"))
struct ReportToolTests {
    /// The path of a program on PATH.
    static func tool(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if access(path, X_OK) == 0 { return path }
        }
        return nil
    }

    @Test("Chromium renders the QĐ 569 report to PNG and to an A4 landscape PDF whose text holds the total and the Vietnamese labels")
    func browser() throws {
        let chromium = try #require(Self.tool("chromium") ?? Self.tool("chromium-browser"), "chromium is needed (scripts/test installs it)")
        let pdftotext = try #require(Self.tool("pdftotext"), "pdftotext (poppler-utils) is needed")
        let daemon = try ReportTests.sample()
        let html = daemon.directory + "/qd569.html"
        _ = try daemon.ok("report", "disbursement", "--as-of", "2023-11-30", "--format", "html", "--output", html)
        let profile = try TemporaryDirectory(prefix: "chr")
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)"]
        let png = daemon.directory + "/qd569.png", pdf = daemon.directory + "/qd569.pdf"
        let shot = try runProgram(chromium, common + ["--window-size=1500,1000", "--screenshot=\(png)", "file://\(html)"], timeout: 120)
        #expect(shot.status == 0, "\(shot.stderr)")
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(Array(image.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(image.count > 20_000, "a screenshot of a whole report, not a blank page")
        let printed = try runProgram(chromium, common + ["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", "file://\(html)"], timeout: 120)
        #expect(printed.status == 0, "\(printed.stderr)")
        let text = try runProgram(pdftotext, ["-layout", pdf, "-"])
        #expect(text.status == 0)
        for expected in ["BÁO CÁO TÌNH HÌNH THỰC HIỆN VÀ GIẢI NGÂN KINH PHÍ ĐƯỢC GIAO", "Tổng cộng", "Lũy kế", "giải ngân", "8,046", "1,341%", "600",
                         "Ban Dân tộc tỉnh Quảng Ngãi", "569/QĐ-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Chậm so", "Tỷ lệ chung: 1,341%"] {
            #expect(text.stdout.contains(expected), "the PDF's text lacks \(expected)")
        }
        // A4 landscape: the page is wider than it is tall (842 × 595 points).
        let info = try runProgram(try #require(Self.tool("pdfinfo")), [pdf])
        #expect(info.stdout.contains("(A4)") && info.stdout.contains("841."), "\(info.stdout)")
    }

    /// Cells of the first table of a flat ODS file: each row's cells as (type, value, text).
    static func cells(_ fods: String) -> [[(type: String, value: String?, text: String)]] {
        var rows: [[(String, String?, String)]] = []
        for row in fods.components(separatedBy: "<table:table-row").dropFirst() {
            var cells: [(String, String?, String)] = []
            for cell in row.components(separatedBy: "<table:table-cell").dropFirst() {
                let head = cell.prefix { $0 != ">" }
                let type = head.range(of: "office:value-type=\"").map { String(head[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
                let value = head.range(of: "office:value=\"").map { String(head[$0.upperBound...].prefix { $0 != "\"" }) }
                var text = ""
                if let start = cell.range(of: "<text:p>"), let end = cell.range(of: "</text:p>"), start.upperBound <= end.lowerBound {
                    text = String(cell[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
                        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                        .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                }
                // Equal neighbours are written once with a repeat count (capped: a row's empty tail repeats to the sheet's end).
                let repeats = head.range(of: "table:number-columns-repeated=\"").map { Int(head[$0.upperBound...].prefix { $0 != "\"" }) ?? 1 } ?? 1
                for _ in 0..<min(repeats, 64) { cells.append((type, value, text)) }
            }
            rows.append(cells)
        }
        return rows
    }

    @Test("LibreOffice reads the csv (UTF-8, and the vi-VN locale for --lang vi): Vietnamese intact, amounts as numbers summing to the total",
          arguments: [("vi", "59", "1066"), ("en", "44", "1033")])
    func spreadsheet(lang: String, separator: String, locale: String) throws {
        let soffice = try #require(Self.tool("soffice") ?? Self.tool("libreoffice"), "soffice (libreoffice-calc-nogui) is needed")
        let daemon = try ReportTests.sample()
        let out = try TemporaryDirectory(prefix: "lo")
        for (unit, total, first) in [("dong", 8_046_000.0, 3_402_000.0), ("trieu", 8.046, 3.402)] {
            let csv = out.appending("qd569-\(lang)-\(unit).csv")
            _ = try daemon.ok("report", "disbursement", "--as-of", "2023-11-30", "--format", "csv", "--lang", lang, "--unit", unit, "--output", csv)
            // Field separator, text delimiter ("), UTF-8 (76), from line 1, no column types, the locale.
            let result = try runProgram(soffice, ["-env:UserInstallation=file://\(out.path)/profile", "--headless",
                                                  "--infilter=CSV:\(separator),34,76,1,,\(locale)", "--convert-to", "fods", "--outdir", out.path, csv],
                                        environment: ["HOME": out.path], timeout: 180)
            #expect(result.status == 0, "\(result.stderr)")
            let fods = try String(contentsOfFile: out.appending("qd569-\(lang)-\(unit).fods"), encoding: .utf8)
            let rows = Self.cells(fods)
            #expect(rows.count >= 5)
            #expect(rows[0][1].text == (lang == "vi" ? "Nhiệm vụ" : "Task"))
            #expect(rows[1][1].text == "Đảm bảo an toàn thông tin đối với hệ thống thông tin cấp độ 2 đã được phê duyệt")
            #expect(rows[2][1].text == "Chỉnh lý, số hoá tài liệu lưu trữ; kết quả giải quyết TTHC còn hiệu lực")
            #expect(rows[1][8].text.hasPrefix("Trung tâm Công nghệ Thông tin và Truyền thông tỉnh Quảng Ngãi"))
            // Lũy kế giải ngân: numbers, the three lines summing to the Tổng row.
            let disbursed = rows[1...4].map { $0[3] }
            #expect(disbursed.allSatisfy { $0.type == "float" }, "\(disbursed)")
            let values = disbursed.compactMap { $0.value.flatMap(Double.init) }
            #expect(values.count == 4)
            #expect(abs(values[0] - first) < 1e-9)
            #expect(abs(values[0] + values[1] + values[2] - values[3]) < 1e-6)
            #expect(abs(values[3] - total) < 1e-6)
            // The rate is a number too: 1,341 (vi) or 1.341 (en) read as 1.341.
            #expect(rows[4][5].type == "float" && rows[4][5].value.flatMap(Double.init).map { abs($0 - 1.341) < 1e-9 } == true)
        }
    }
}
