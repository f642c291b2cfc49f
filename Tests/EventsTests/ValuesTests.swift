import Foundation
import Testing
@testable import Events

/// The domain values: dates, record times, ids, text folding, periods, funding sources and the
/// task status graph.
@Suite struct ValuesTests {

    static func error(_ body: () throws(TrackerError) -> Void) -> TrackerError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    // MARK: BusinessDate

    @Test("A date parses from ISO and from the Vietnamese dd/mm/yyyy form", arguments: [
        ("2023-11-30", 2023, 11, 30), ("30/11/2023", 2023, 11, 30), ("1/2/2024", 2024, 2, 1), ("2024-2-1", 2024, 2, 1),
        (" 26/06/2023 ", 2023, 6, 26), ("1950-01-01", 1950, 1, 1), ("31/12/2199", 2199, 12, 31),
    ] as [(String, Int, Int, Int)])
    func dateParses(text: String, year: Int, month: Int, day: Int) throws {
        let date = try BusinessDate.parse(text)
        #expect(date.components == (year, month, day))
        #expect(date == BusinessDate(year: year, month: month, day: day))
    }

    @Test("Dates that are not real days, out of range or not dates at all are refused", arguments: [
        "31/02/2023", "29/02/2023", "2023-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "0/1/2023", "32/01/2023",
        "0000-01-01", "01/01/0", "99999-01-01", "01/01/99999", "1949-12-31", "2200-01-01",
        "", "garbage", "2023", "2023-11", "2023-11-30-1", "30.11.2023", "2023/11/30", "2023-11-3O", "２０２３-11-30",
        "-2023-11-30", "2023-+1-30", "30/11/2023 10:00",
    ])
    func badDates(text: String) {
        let error = Self.error { () throws(TrackerError) in _ = try BusinessDate.parse(text) }
        #expect(error?.code == .invalidArgument)
    }

    @Test("The refusal says whether the day is not real or the year is out of range")
    func badDateMessages() {
        #expect(Self.error { () throws(TrackerError) in _ = try BusinessDate.parse("31/02/2023") }?.message == "'31/02/2023' is not a real day")
        #expect(Self.error { () throws(TrackerError) in _ = try BusinessDate.parse("0000-01-01") }?.message.contains("year 0 is outside 1950–2199") == true)
        #expect(Self.error { () throws(TrackerError) in _ = try BusinessDate.parse("99999-01-01") }?.message.contains("outside") == true)
        #expect(Self.error { () throws(TrackerError) in _ = try BusinessDate.parse("garbage") }?.message.contains("write 2023-11-30 or 30/11/2023") == true)
    }

    @Test("Leap years follow the Gregorian rules")
    func leapYears() throws {
        #expect(BusinessDate.isLeap(2024))
        #expect(BusinessDate.isLeap(2000))
        #expect(!BusinessDate.isLeap(2023))
        #expect(!BusinessDate.isLeap(1900))
        #expect(!BusinessDate.isLeap(2100))
        #expect(try BusinessDate.parse("29/02/2024").components == (2024, 2, 29))
        #expect(try BusinessDate.parse("2000-02-29").components == (2000, 2, 29))
        #expect(BusinessDate(year: 2100, month: 2, day: 29) == nil)
        #expect(BusinessDate.daysIn(month: 2, year: 2024) == 29)
        #expect(BusinessDate.daysIn(month: 2, year: 2023) == 28)
        #expect(BusinessDate.endOfMonth(2024, 2)?.vietnamese == "29/02/2024")
    }

    @Test("Day numbers count from 1970-01-01 and arithmetic crosses months, years and leap days")
    func dayArithmetic() throws {
        #expect(BusinessDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
        #expect(BusinessDate(dayNumber: 0)?.description == "1970-01-01")
        let newYearsEve = try BusinessDate.parse("2023-12-31")
        #expect(newYearsEve.adding(days: 1)?.description == "2024-01-01")
        #expect(try BusinessDate.parse("2024-02-28").adding(days: 1)?.description == "2024-02-29")
        #expect(try BusinessDate.parse("2024-03-01").adding(days: -1)?.description == "2024-02-29")
        #expect(try BusinessDate.parse("2023-03-01").adding(days: -1)?.description == "2023-02-28")
        #expect(try BusinessDate.parse("30/11/2023").days(until: newYearsEve) == 31)
        #expect(newYearsEve.days(until: try BusinessDate.parse("30/11/2023")) == -31)
        #expect(try BusinessDate.parse("2023-01-01").days(until: try BusinessDate.parse("2024-01-01")) == 365)
        #expect(try BusinessDate.parse("2024-01-01").days(until: try BusinessDate.parse("2025-01-01")) == 366)
        #expect(BusinessDate.startOfYear(2023)?.description == "2023-01-01")
        #expect(BusinessDate.endOfYear(2023)?.description == "2023-12-31")
        #expect(try BusinessDate.parse("2023-06-26") < BusinessDate.parse("2023-11-30"))
        // Every day of 1950–2199 survives a round trip through its components.
        var date = try #require(BusinessDate.startOfYear(1950))
        let last = try #require(BusinessDate.endOfYear(2199))
        var mismatches: [BusinessDate] = []
        var count = 0
        while date <= last {
            let (y, m, d) = date.components
            if BusinessDate(year: y, month: m, day: d) != date { mismatches.append(date) }
            count += 1
            guard let next = date.adding(days: 1) else { break }
            date = next
        }
        #expect(mismatches.isEmpty)
        #expect(count == 91_311, "250 years of 365 days plus 61 leap days (2000 is one, 2100 is not)")
    }

    @Test("Dates print as ISO in the log and as dd/mm/yyyy for people")
    func dateFormats() throws {
        let date = try BusinessDate.parse("1/6/2023")
        #expect(date.description == "2023-06-01")
        #expect(date.vietnamese == "01/06/2023")
        #expect(try BusinessDate.parse("2023-11-30").vietnamese == "30/11/2023")
        #expect(try BusinessDate.parse(date.vietnamese) == date)
        #expect(try BusinessDate.parse(date.description) == date)
    }

    @Test("The Vietnamese business date turns at 17:00 UTC (midnight UTC+7)")
    func vietnamMidnight() throws {
        #expect(BusinessDate(vietnamAt: try Timestamp.parse("2023-11-30T17:00:00Z"))?.description == "2023-12-01")
        #expect(BusinessDate(vietnamAt: try Timestamp.parse("2023-11-30T16:59:59Z"))?.description == "2023-11-30")
        #expect(BusinessDate(vietnamAt: try Timestamp.parse("2023-11-30T16:59:59.999999Z"))?.description == "2023-11-30")
        #expect(BusinessDate(vietnamAt: try Timestamp.parse("2023-12-31T17:00:00Z"))?.description == "2024-01-01")
        #expect(BusinessDate(vietnamAt: try Timestamp.parse("2023-11-30T00:00:00Z"))?.description == "2023-11-30")
        #expect(BusinessDate.vietnamOffset(at: try Timestamp.parse("2023-11-30T00:00:00Z")) == 7 * 3600)
    }

    // MARK: Timestamp

    @Test("Record times print with six fractional digits and read back exactly", arguments: [
        0, 1, 999_999, 1_000_000, 1_700_881_200_000_000, 1_701_363_599_999_999, 4_102_444_799_999_999, 1_709_164_800_123_456,
    ] as [Int64])
    func recordTimeRoundTrip(microseconds: Int64) throws {
        let time = Timestamp(microseconds: microseconds)
        let text = time.description
        #expect(text.utf8.count == 27)
        let parsed = Array(text.utf8).withUnsafeBytes { Timestamp.parseRecordTime($0) }
        #expect(parsed == time, "\(text)")
        #expect(try Timestamp.parse(text) == time)
    }

    @Test("A record time prints in UTC")
    func recordTimeFormat() {
        #expect(Timestamp(microseconds: 1_700_881_200_000_000).description == "2023-11-25T03:00:00.000000Z")
        #expect(Timestamp(microseconds: 1_700_881_200_000_001).description == "2023-11-25T03:00:00.000001Z")
        #expect(Timestamp(microseconds: 0).description == "1970-01-01T00:00:00.000000Z")
    }

    @Test("The record-time parser refuses anything but its exact form", arguments: [
        "2023-11-25T03:00:00.000000", "2023-11-25T03:00:00Z", "2023-11-25 03:00:00.000000Z", "2023-02-29T03:00:00.000000Z",
        "2023-11-25T24:00:00.000000Z", "2023-11-25T03:60:00.000000Z", "2023-11-25T03:00:60.000000Z", "2023-11-25T03:00:00.00000aZ",
        "1900-11-25T03:00:00.000000Z",
    ])
    func recordTimeRefusals(text: String) {
        #expect(Array(text.utf8).withUnsafeBytes { Timestamp.parseRecordTime($0) } == nil)
    }

    @Test("A date alone means the end of that day in Vietnam")
    func timestampDateIsEndOfDay() throws {
        #expect(try Timestamp.parse("2023-11-25").description == "2023-11-25T16:59:59.999999Z")
        #expect(try Timestamp.parse("25/11/2023") == Timestamp.parse("2023-11-25"))
        #expect(BusinessDate(vietnamAt: try Timestamp.parse("2023-11-25"))?.description == "2023-11-25")
    }

    @Test("A time without a zone is Vietnam time; Z and +07:00 give the zone explicitly")
    func timestampZones() throws {
        #expect(try Timestamp.parse("2023-11-25T10:00").description == "2023-11-25T03:00:00.000000Z")
        #expect(try Timestamp.parse("2023-11-25 10:00:30").description == "2023-11-25T03:00:30.000000Z")
        #expect(try Timestamp.parse("25/11/2023 10:00").description == "2023-11-25T03:00:00.000000Z")
        #expect(try Timestamp.parse("2023-11-25T10:00Z").description == "2023-11-25T10:00:00.000000Z")
        #expect(try Timestamp.parse("2023-11-25T10:00:00Z").description == "2023-11-25T10:00:00.000000Z")
        #expect(try Timestamp.parse("2023-11-25T10:00+07:00").description == "2023-11-25T03:00:00.000000Z")
        #expect(try Timestamp.parse("2023-11-25T10:00:00-05:00").description == "2023-11-25T15:00:00.000000Z")
        #expect(try Timestamp.parse("2023-11-25T10:00:00.5Z").description == "2023-11-25T10:00:00.500000Z")
        #expect(try Timestamp.parse("2023-11-25T03:00:00.000000Z").description == "2023-11-25T03:00:00.000000Z")
    }

    @Test("Times that are not times are refused", arguments: [
        "2023-11-25T25:00", "2023-11-25T10:60", "2023-11-25T10", "2023-11-25T10:00:61", "2023-11-25Tabc", "2023-11-25T10:00+0700",
        "2023-11-25T10:00+15:00", "2023-02-30T10:00", "tomorrow", "",
    ])
    func badTimestamps(text: String) {
        #expect(Self.error { () throws(TrackerError) in _ = try Timestamp.parse(text) }?.code == .invalidArgument)
    }

    @Test("Timestamp(startOf:) is Vietnam midnight, 17:00 UTC the day before")
    func startOfDay() throws {
        #expect(Timestamp(startOf: try BusinessDate.parse("2023-12-01")).description == "2023-11-30T17:00:00.000000Z")
    }

    // MARK: Identifiers

    @Test("A decision number matches with or without đ, case and diacritics")
    func decisionFolding() throws {
        let written = try DecisionRef("569/QĐ-UBND")
        let plain = try DecisionRef("569/QD-UBND")
        let lower = try DecisionRef("569/qđ-ubnd")
        #expect(written == plain)
        #expect(written == lower)
        #expect(Set([written, plain, lower]).count == 1)
        #expect(written.text == "569/QĐ-UBND", "the text is kept as written")
        #expect(plain.text == "569/QD-UBND")
        #expect(written.key == "569/qd-ubnd")
        #expect(written.description == "569/QĐ-UBND")
        #expect(written != (try DecisionRef("570/QĐ-UBND")))
    }

    @Test("Decomposed (NFD) input is stored composed (NFC) and equals the NFC form")
    func identifierNFC() throws {
        let nfc = "KH-Dân-tộc".precomposedStringWithCanonicalMapping
        let nfd = nfc.decomposedStringWithCanonicalMapping
        #expect(Array(nfd.unicodeScalars) != Array(nfc.unicodeScalars))
        let a = try PlanID(nfd)
        let b = try PlanID(nfc)
        #expect(a == b)
        #expect(Array(a.text.unicodeScalars) == Array(nfc.unicodeScalars), "stored as NFC")
        #expect(a.key == b.key)
        #expect(try AgencyID("SỞ-VHTTDL".decomposedStringWithCanonicalMapping) == AgencyID("so-vhttdl"))
    }

    @Test("Surrounding whitespace is trimmed from ids")
    func identifierTrimmed() throws {
        #expect(try AgencyID("  BDT\n").text == "BDT")
    }

    @Test("Ids with spaces or control characters inside are refused", arguments: [
        "569 /QĐ-UBND", "569/QĐ\tUBND", "569/QĐ\u{00A0}UBND", "569/QĐ\u{200B}UBND", "569/QĐ\u{7}UBND", "569/QĐ\u{7F}UBND",
        "569/QĐ\u{2028}UBND", "569/QĐ\u{FEFF}UBND", "569/QĐ\nUBND", "569/QĐ\u{3000}UBND",
    ])
    func identifierSpaces(text: String) {
        let error = Self.error { () throws(TrackerError) in _ = try DecisionRef(text) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("space or control character") == true)
    }

    @Test("Empty and over-long ids are refused; 80 characters are accepted")
    func identifierLength() throws {
        #expect(Self.error { () throws(TrackerError) in _ = try PaymentRef("") }?.message.contains("is empty") == true)
        #expect(Self.error { () throws(TrackerError) in _ = try PaymentRef("   ") }?.code == .invalidArgument)
        #expect(try PaymentRef(String(repeating: "ệ", count: 80)).text.count == 80)
        #expect(Self.error { () throws(TrackerError) in _ = try PaymentRef(String(repeating: "x", count: 81)) }?.message.contains("longer than 80") == true)
    }

    @Test("Each kind of id has its own rules")
    func identifierKinds() throws {
        #expect(try PlanID("560/KH-BDT").text == "560/KH-BDT")
        #expect(try PlanID("BDT-2023").text == "BDT-2023")
        #expect(Self.error { () throws(TrackerError) in _ = try PlanID("860/KH-BDT#1") }?.message.contains("must not contain '#'") == true)
        #expect(Self.error { () throws(TrackerError) in _ = try AgencyID("BDT#1") } != nil)
        #expect(Self.error { () throws(TrackerError) in _ = try AgencyID("BDT/2") } != nil)
        #expect(try DecisionRef("147/QĐ-TTg").text == "147/QĐ-TTg")
        for bad in ["QĐ-UBND", "/QĐ-UBND", "569/", "56a/QĐ-UBND", "569/QĐ#1", "５６９/QĐ"] {
            #expect(Self.error { () throws(TrackerError) in _ = try DecisionRef(bad) }?.code == .invalidArgument, "\(bad)")
        }
        #expect(try PaymentRef("UNC-2023-0412").text == "UNC-2023-0412")
        #expect(try PaymentRef("UNC#1/2023").text == "UNC#1/2023", "payment references may hold any printable characters")
    }

    @Test("Ids order by their folded key")
    func identifierOrder() throws {
        #expect(try AgencyID("bdt") < AgencyID("SVHTTDL"))
        #expect(try AgencyID("Đ1") < AgencyID("E1"), "Đ sorts as D")
    }

    // MARK: TaskID

    @Test("A task id is its plan and number after the last '#'")
    func taskIDParses() throws {
        let id = try TaskID("860/KH-BDT#1")
        #expect(id.plan == (try PlanID("860/KH-BDT")))
        #expect(id.number == 1)
        #expect(id.description == "860/KH-BDT#1")
        #expect(try TaskID("SVHTTDL-2021-2025#12").number == 12)
        #expect(try TaskID("860/kh-bdt#1") == id)
        #expect(try TaskID("860/KH-BDT#01") == id)
        #expect(try TaskID("860/KH-BDT#999999").number == 999_999)
        #expect(TaskID(trusted: "860/KH-BDT#3") == TaskID(plan: id.plan, number: 3))
        #expect(try TaskID("860/KH-BDT#2") < TaskID("860/KH-BDT#10"), "numbers order numerically")
    }

    @Test("Task ids without a proper number are refused", arguments: [
        "860/KH-BDT", "860/KH-BDT#", "860/KH-BDT#0", "860/KH-BDT#-1", "860/KH-BDT#+1", "860/KH-BDT#1a", "860/KH-BDT#1.5",
        "860/KH-BDT#1234567", "860/KH-BDT# 1", "860/KH-BDT#١", "860/KH-BDT#１", "#1", "860/KH BDT#1", "860/KH-BDT#1#2",
    ])
    func badTaskIDs(text: String) {
        #expect(Self.error { () throws(TrackerError) in _ = try TaskID(text) }?.code == .invalidArgument)
    }

    // MARK: Text

    @Test("Search folds case, diacritics and đ/Đ")
    func textFolding() {
        #expect(Text.foldKey("Ban Dân tộc tỉnh") == "ban dan toc tinh")
        #expect(Text.foldKey("ĐẦU TƯ CÔNG") == "dau tu cong")
        #expect(Text.foldKey("Sở Văn hóa, Thể thao và Du lịch") == "so van hoa, the thao va du lich")
        #expect(Text.foldKey("BDT") == "bdt")
        #expect(Text.foldKey("bdt") == "bdt")
        #expect(Text.foldKey("Ban Dân tộc".decomposedStringWithCanonicalMapping) == "ban dan toc")
        #expect(Text.matches("Ban Dân tộc tỉnh", "ban dan toc"))
        #expect(Text.matches("Ban Dân tộc tỉnh Quảng Ngãi", "QUẢNG NGÃI"))
        #expect(Text.matches("Ban Dân tộc tỉnh Quảng Ngãi", "quang ngai"))
        #expect(Text.matches("Trung tâm Công báo và Tin học", "cong bao"))
        #expect(Text.matches("569/QĐ-UBND", "qd-ubnd"))
        #expect(Text.matches("anything", ""), "an empty needle matches everything")
        #expect(!Text.matches("Ban Dân tộc tỉnh", "van phong"))
    }

    @Test("Text is stored NFC with surrounding whitespace removed")
    func textNormalized() {
        let nfd = "Ban Dân tộc".decomposedStringWithCanonicalMapping
        let normalized = Text.normalized("  " + nfd + "\n")
        #expect(Array(normalized.unicodeScalars) == Array("Ban Dân tộc".precomposedStringWithCanonicalMapping.unicodeScalars))
        #expect(Text.normalized("  BDT ") == "BDT")
    }

    @Test("Display width counts NFC and NFD Vietnamese the same, and East Asian wide characters as two")
    func displayWidth() {
        let nfc = "Tiếng Việt".precomposedStringWithCanonicalMapping
        let nfd = nfc.decomposedStringWithCanonicalMapping
        #expect(nfd.unicodeScalars.count > nfc.unicodeScalars.count)
        #expect(Text.displayWidth(nfc) == 10)
        #expect(Text.displayWidth(nfd) == 10)
        #expect(Text.displayWidth("Quảng Ngãi") == Text.displayWidth("Quang Ngai"))
        #expect(Text.displayWidth("日本") == 4)
        #expect(Text.displayWidth("") == 0)
        #expect(Text.displayWidth("900.000.000.000 đ") == 17)
        #expect(Text.displayWidth("Đường truyền số liệu chuyên dùng") == 32)
        #expect(Text.displayWidth("👩\u{200D}💻 ok") == 5, "a joined emoji is one wide grapheme")
        #expect(Text.displayWidth("e\u{0301}\u{0323}") == 1, "two stacked combining marks take no column")
        #expect("Việt".decomposedStringWithCanonicalMapping.padding(toDisplayWidth: 6) == "Việt".decomposedStringWithCanonicalMapping + "  ")
        #expect("ệ".leftPadding(toDisplayWidth: 3) == "  ệ")
    }

    // MARK: YearSpan and fiscal years

    @Test("A period parses from one year or a range with a hyphen or en dash")
    func yearSpans() throws {
        let one = try YearSpan.parse("2023")
        #expect((one.first, one.last) == (2023, 2023))
        #expect(one.description == "2023")
        let range = try YearSpan.parse("2023-2025")
        #expect((range.first, range.last) == (2023, 2025))
        #expect(range.description == "2023–2025")
        #expect(try YearSpan.parse("2021–2025") == YearSpan(first: 2021, last: 2025))
        #expect(try YearSpan.parse(" 2022 - 2025 ") == YearSpan(first: 2022, last: 2025))
        #expect(range.contains(2024))
        #expect(range.contains(2023) && range.contains(2025))
        #expect(!range.contains(2022) && !range.contains(2026))
    }

    @Test("Reversed, out-of-range and malformed periods are refused", arguments: [
        "2025-2023", "1949", "2023-2200", "abc", "", "2023-2024-2025", "2023/2025", "20 23",
    ])
    func badYearSpans(text: String) {
        #expect(Self.error { () throws(TrackerError) in _ = try YearSpan.parse(text) }?.code == .invalidArgument)
    }

    @Test("A period with a missing year is refused, not read as one year", arguments: ["2023-", "-2025", "2023--2025", "–2025"])
    func periodWithMissingYear(text: String) {
        #expect(Self.error { () throws(TrackerError) in _ = try YearSpan.parse(text) }?.code == .invalidArgument)
    }

    @Test("A fiscal year is a whole year within the valid range")
    func fiscalYears() throws {
        #expect(try parseFiscalYear("2023") == 2023)
        #expect(try parseFiscalYear(" 2024 ") == 2024)
        for bad in ["1949", "2200", "abc", "2023.0", ""] {
            #expect(Self.error { () throws(TrackerError) in _ = try parseFiscalYear(bad) }?.code == .invalidArgument, "\(bad)")
        }
    }

    // MARK: FundingSource

    @Test("Funding sources parse from their codes, insensitive to case, diacritics, spaces and underscores", arguments: [
        ("ns-tinh", FundingSource.provincial), ("NS tỉnh", .provincial), ("NS_TINH", .provincial),
        ("ns-tinh-thuong-xuyen", .provincialRecurrent), ("NS tỉnh thường xuyên", .provincialRecurrent),
        ("dau-tu", .investment), ("đầu tư", .investment), ("MTQG", .nationalProgramme), ("mtqg-dau-tu", .nationalProgrammeInvestment),
        ("trung-uong", .central), ("Trung ương", .central), ("tu-chu", .selfFunded), ("tự chủ", .selfFunded), ("chua-xac-dinh", .unspecified),
    ] as [(String, FundingSource)])
    func fundingSources(text: String, source: FundingSource) throws {
        #expect(try FundingSource.parse(text) == source)
    }

    @Test("Every funding source parses from its own code, in any case")
    func everyFundingSourceRoundTrips() throws {
        for source in FundingSource.allCases {
            #expect(try FundingSource.parse(source.rawValue) == source)
            #expect(try FundingSource.parse(source.rawValue.uppercased()) == source)
        }
    }

    @Test("An unknown funding source is refused with the list of codes")
    func unknownFundingSource() {
        let error = Self.error { () throws(TrackerError) in _ = try FundingSource.parse("usd") }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("unknown funding source 'usd'") == true)
        #expect(error?.message.contains("ns-tinh (Ngân sách tỉnh)") == true)
        #expect(error?.message.contains("mtqg-dau-tu") == true)
    }

    // MARK: TaskStatus

    @Test("Moving forward along the main line is allowed, skipping steps included")
    func forwardMoves() {
        let line: [TaskStatus] = [.planned, .funded, .procuring, .contracted, .inProgress, .completed]
        for (i, from) in line.enumerated() {
            for to in line[(i + 1)...] {
                #expect(from.refusal(movingTo: to, correction: false) == nil, "\(from) → \(to)")
            }
        }
    }

    @Test("Moving backward is refused unless it is a correction")
    func backwardMoves() {
        let line: [TaskStatus] = [.planned, .funded, .procuring, .contracted, .inProgress]
        for (i, from) in line.enumerated() where i > 0 {
            for to in line[..<i] {
                let refusal = from.refusal(movingTo: to, correction: false)
                #expect(refusal?.contains("is a correction") == true, "\(from) → \(to)")
                #expect(from.refusal(movingTo: to, correction: true) == nil, "\(from) → \(to) as a correction")
            }
        }
    }

    @Test("Any open status may be deferred or cancelled; deferred may go back onto the main line")
    func deferAndCancel() {
        for from in [TaskStatus.planned, .funded, .procuring, .contracted, .inProgress] {
            #expect(from.refusal(movingTo: .deferred, correction: false) == nil, "\(from) → deferred")
            #expect(from.refusal(movingTo: .cancelled, correction: false) == nil, "\(from) → cancelled")
        }
        for to in [TaskStatus.planned, .funded, .procuring, .contracted, .inProgress, .completed, .cancelled] {
            #expect(TaskStatus.deferred.refusal(movingTo: to, correction: false) == nil, "deferred → \(to)")
        }
    }

    @Test("Leaving completed or cancelled needs a correction")
    func closedStatuses() {
        for from in [TaskStatus.completed, .cancelled] {
            for to in TaskStatus.allCases where to != from {
                #expect(from.refusal(movingTo: to, correction: false)?.contains("reopening it is a correction") == true, "\(from) → \(to)")
                #expect(from.refusal(movingTo: to, correction: true) == nil, "\(from) → \(to) as a correction")
            }
        }
        #expect(!TaskStatus.completed.isOpen && !TaskStatus.cancelled.isOpen)
        #expect(TaskStatus.deferred.isOpen && TaskStatus.planned.isOpen)
    }

    @Test("Moving to the same status is refused, correction or not")
    func sameStatus() {
        for status in TaskStatus.allCases {
            #expect(status.refusal(movingTo: status, correction: false) == "the task is already \(status.rawValue)")
            #expect(status.refusal(movingTo: status, correction: true) == "the task is already \(status.rawValue)")
        }
    }

    @Test("Status names parse in their written forms")
    func statusNames() throws {
        #expect(try TaskStatus.parse("in-progress") == .inProgress)
        #expect(try TaskStatus.parse("in_progress") == .inProgress)
        #expect(try TaskStatus.parse("inprogress") == .inProgress)
        #expect(try TaskStatus.parse("In-Progress") == .inProgress)
        for status in TaskStatus.allCases { #expect(try TaskStatus.parse(status.rawValue) == status) }
        #expect(Self.error { () throws(TrackerError) in _ = try TaskStatus.parse("done") }?.message.contains("unknown status 'done'") == true)
    }
}
