import Foundation
import Testing
@testable import Events

/// Plans in from a spreadsheet: a Bảng tổng hợp as officials save it from Excel.
@Suite("A plan's summary table read from a CSV")
struct PlanTableFileTests {
    /// Seed 004's table, laid out as an official fills it: a title and ĐVT above, a header over
    /// two rows with the columns in another order, the row of column numbers, group rows, a task
    /// split over two rows, Nguồn vốn merged down the column, and the Tổng row.
    static let museum = """
        BẢNG TỔNG HỢP KẾ HOẠCH ỨNG DỤNG CNTT GIAI ĐOẠN 2021-2025
        ĐVT: triệu đồng
        STT;Tên nhiệm vụ;Mục tiêu đầu tư;Đơn vị chủ trì;Kinh phí và nguồn vốn;;Thời gian thực hiện
        ;;;;Tổng mức dự kiến;Nguồn vốn;
        1;2;3;4;5;6;7
        I;Ứng dụng CNTT;;;;;
        1;Phần mềm quản lý di tích lịch sử văn hóa trên địa bàn tỉnh;Quản lý di tích trên địa bàn tỉnh;Sở VHTTDL;7.000;Chi thường xuyên NS tỉnh;2021
        2;Duy trì, vận hành cổng thông tin điện tử Sở;Chi phí biên tập;Sở VHTTDL;500;;2021-2025
        ;;tin, bài trên Cổng/trang thông tin điện tử;;;;
        II;Bảo tàng;;;;;
        a;Trang thiết bị;;;;;
        3;"Đầu tư trang thiết bị; màn hình cảm ứng";Thuyết minh cho hiện vật;Bảo tàng tổng hợp tỉnh;800;;2021 - 2025
        4;Phòng công nghệ 3D;;Bảo tàng tổng hợp tỉnh;3.000,5;Ngân sách tỉnh;2021–2025
        ;Tổng cộng;;;11.300,5;;
        """

    static func read(_ text: String, unit: MoneyUnit? = nil, lineEnd: String = "\r\n") throws -> PlanTableFile {
        let bytes = [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: lineEnd).utf8)
        return try PlanTableFile(bytes: bytes, name: "bang.csv", unit: unit)
    }

    @Test("header names in any order over two rows, group rows, a task split over rows, merged cells and the Tổng row")
    func readsTheTableAsFilled() throws {
        let table = try Self.read(Self.museum)
        #expect(table.separator == ";" && table.unit == .trieu && table.year == nil && table.encoding == .utf8WithBOM)
        #expect(table.rows.map(\.number) == [1, 2, 3, 4])
        #expect(table.rows.map(\.amount) == [Money(dong: 7_000_000_000), Money(dong: 500_000_000), Money(dong: 800_000_000), Money(dong: 3_000_500_000)])
        #expect(table.total == Money(dong: 11_300_500_000))
        #expect(table.rows[0].source == .provincialRecurrent)
        #expect(table.rows[1].source == .provincialRecurrent, "a blank Nguồn vốn under a merged cell takes the one above")
        #expect(table.rows[3].source == .provincial)
        #expect(table.rows[1].objective == "Chi phí biên tập tin, bài trên Cổng/trang thông tin điện tử")
        #expect(table.rows[2].name == "Đầu tư trang thiết bị; màn hình cảm ứng")
        #expect(table.rows[2].groups == ["II. Bảo tàng", "a. Trang thiết bị"])
        #expect(table.rows[3].period == (try YearSpan.parse("2021-2025")))
        #expect(table.rows[3].unit == "Bảo tàng tổng hợp tỉnh")
        let commands = table.commands(plan: try PlanID("SVHTTDL-2021-2025"))
        #expect(commands.map(\.task.id.description) == ["SVHTTDL-2021-2025#1", "SVHTTDL-2021-2025#2", "SVHTTDL-2021-2025#3", "SVHTTDL-2021-2025#4"])
        #expect(commands[0].task.total == Money(dong: 7_000_000_000) && commands[0].task.yearly.isEmpty)
    }

    @Test("a plan year's column gives yearly amounts; comma-separated plain numbers and LF line ends read the same")
    func yearColumnAndEnglishNumbers() throws {
        let text = """
            TT,Tên nhiệm vụ,Nội dung thực hiện,"Thời gian, giai đoạn thực hiện",Kinh phí năm 2023,Nguồn vốn
            1,Nâng cấp hạ tầng CNTT,Mua sắm máy vi tính,2022-2025,78,NS tỉnh
            2,Phần mềm bản quyền diệt virus,"Trang bị phần mềm, bản quyền",2022-2025,"1,700.5",ns-tinh
            ,Tổng,,,"1,778.5",
            """
        let table = try Self.read(text, unit: .trieu, lineEnd: "\n")
        #expect(table.separator == "," && table.year == 2023)
        #expect(table.rows.map(\.amount) == [Money(dong: 78_000_000), Money(dong: 1_700_500_000)])
        let commands = table.commands(plan: try PlanID("BDT-2023"))
        #expect(commands[0].task.yearly == [YearAmount(year: 2023, amount: Money(dong: 78_000_000))] && commands[0].task.total == nil)
        #expect(commands[1].task.objective == "Trang bị phần mềm, bản quyền")
    }

    @Test("Windows-1258, as Excel's plain CSV writes it on a Vietnamese Windows, is read through the decoding table (checked against glibc's iconv)")
    func windows1258() throws {
        let text = "TT;Tên nhiệm vụ;Nội dung thực hiện;Thời gian;Kinh phí;Nguồn vốn\r\n1;Số hoá hồ sơ, tài liệu giấy của Ban Dân tộc tỉnh;Chi cho nhân lực thực hiện số hoá hồ sơ;2022-2025;30;Chi thường xuyên NS tỉnh\r\n2;Ứng dụng Đề án Ưu tiên “đổi mới” — ỷ, ỹ, ẫ, ặ;Ờ;2023;1;NS tỉnh\r\n"
        let scratch = try TemporaryDirectory(prefix: "cp1258")
        try text.write(toFile: scratch.appending("utf8.csv"), atomically: true, encoding: .utf8)
        let iconv = try runProgram("/usr/bin/iconv", ["-f", "UTF-8", "-t", "CP1258", "-o", scratch.appending("cp1258.csv"), scratch.appending("utf8.csv")])
        #expect(iconv.status == 0, "\(iconv.stderr)")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: scratch.appending("cp1258.csv"))))
        #expect(String(validating: bytes, as: UTF8.self) == nil, "the file must not be UTF-8")
        let table = try PlanTableFile(bytes: bytes, name: "cp1258.csv", unit: nil)
        #expect(table.encoding == .windows1258)
        #expect(table.rows.first?.name == "Số hoá hồ sơ, tài liệu giấy của Ban Dân tộc tỉnh")
        #expect(table.rows.first?.source == .provincialRecurrent)
        #expect(table.rows.last?.name == "Ứng dụng Đề án Ưu tiên “đổi mới” — ỷ, ỹ, ẫ, ặ")
        #expect(table.rows.last?.content == "Ờ")
        // Every byte the code page defines decodes as iconv decodes it.
        let all = (0x80...0xFF).map(UInt8.init).filter { VietnameseTextDecoding.windows1258High[Int($0) - 0x80] != 0 }
        try Data(all).write(to: URL(fileURLWithPath: scratch.appending("all.bin")))
        let back = try runProgram("/usr/bin/iconv", ["-f", "CP1258", "-t", "UTF-8", scratch.appending("all.bin")])
        #expect(back.status == 0)
        let ours = String(String.UnicodeScalarView(all.map { Unicode.Scalar(VietnameseTextDecoding.windows1258High[Int($0) - 0x80])! }))
        #expect(Text.normalized(back.stdout) == Text.normalized(ours))
    }

    @Test("TCVN3 and VNI files are recognised and refused, saying how to save them as UTF-8")
    func legacyEncodings() {
        // "TT;Tªn nhiÖm vô;Kinh phÝ" in TCVN3 (ABC); "TT;Teân nhieäm vuï" in VNI.
        let tcvn3: [UInt8] = Array("TT;T".utf8) + [0xAA] + Array("n nhi".utf8) + [0xD6] + Array("m v".utf8) + [0xF4] + Array(";Kinh ph".utf8) + [0xDD, 0x0A]
        let vni: [UInt8] = Array("TT;Te".utf8) + [0xE2] + Array("n nhie".utf8) + [0xE4] + Array("m vu".utf8) + [0xEF, 0x0A]
        for (bytes, encoding) in [(tcvn3, "TCVN3"), (vni, "VNI")] {
            do {
                _ = try PlanTableFile(bytes: bytes, name: "cu.csv", unit: nil)
                Issue.record("\(encoding) was read")
            } catch {
                #expect(error.message.contains("written in \(encoding)") && error.message.contains("CSV UTF-8"), "\(error.message)")
            }
        }
    }

    @Test("errors name the row and the column, and nothing is read", arguments: [
        ("TT;Tên nhiệm vụ;Thời gian;Kinh phí;Nguồn vốn\n1;A;2023;10;Quỹ hỗ trợ\n", "row 2, column 'Nguồn vốn': 'Quỹ hỗ trợ' is not a funding source"),
        ("TT;Tên nhiệm vụ;Thời gian;Kinh phí;Nguồn vốn\n1;A;2023;mười;NS tỉnh\n", "row 2, column 'Kinh phí': 'mười' is not an amount"),
        ("TT;Tên nhiệm vụ;Thời gian;Kinh phí;Nguồn vốn\n1;A;;10;NS tỉnh\n", "row 2, column 'Thời gian thực hiện': the task has no period"),
        ("TT;Tên nhiệm vụ;Thời gian;Kinh phí;Nguồn vốn\n1;A;2023;10;NS tỉnh\n2;B;2023;5;NS tỉnh\n;Tổng;;16;\n", "the file's Tổng is 16 triệu, but its tasks add up to 15 triệu"),
        ("TT;Tên nhiệm vụ;Thời gian;Kinh phí;Nguồn vốn\n1;A;2023;10;NS tỉnh\n1;B;2023;5;NS tỉnh\n", "row 3, column 'TT': task 1 appears twice"),
        ("TT;Tên nhiệm vụ;Thời gian;Kinh phí năm 2024;Nguồn vốn\n1;A;2023;10;NS tỉnh\n", "row 2, column 'Thời gian thực hiện': the amount is for 2024, outside"),
        ("ĐVT: đồng\nTT;Tên nhiệm vụ;Thời gian;Kinh phí;Nguồn vốn\n1;A;2023;10;NS tỉnh\n", "says its amounts are in đ (ĐVT), but --unit gives triệu"),
        ("Họ tên;Địa chỉ\nA;B\n", "no header row with Tên nhiệm vụ"),
        ("TT;Tên nhiệm vụ;Thời gian;Kinh phí;Nguồn vốn\n1;A;2023;0,0000001;NS tỉnh\n", "row 2, column 'Kinh phí'"),
    ] as [(String, String)])
    func errorsNameRowAndColumn(text: String, message: String) throws {
        do {
            _ = try PlanTableFile(bytes: Array(text.utf8), name: "bang.csv", unit: .trieu)
            Issue.record("read: \(text)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test("Nguồn vốn in words maps to the source codes", arguments: [
        ("NS tỉnh", FundingSource.provincial), ("Ngân sách tỉnh", .provincial), ("NSNN tỉnh", .provincial), ("Chi thường xuyên NS tỉnh", .provincialRecurrent),
        ("Vốn đầu tư công", .investment), ("CT MTQG", .nationalProgramme), ("Vốn đầu tư thuộc CT MTQG vùng ĐBDTTS", .nationalProgrammeInvestment),
        ("Ngân sách trung ương", .central), ("Kinh phí tự chủ", .selfFunded), ("ns-tinh-thuong-xuyen", .provincialRecurrent),
    ] as [(String, FundingSource)])
    func sources(text: String, source: FundingSource) {
        #expect(PlanTableFile.source(text) == source)
    }
}
