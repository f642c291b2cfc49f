import Foundation
import Testing
@testable import Events

@Suite struct MoneyTests {

    // MARK: Helpers

    /// The error `Money.parse` throws for `text`, or nil if it parses.
    static func parseError(_ text: String) -> MoneyParseError? {
        do {
            _ = try Money.parse(text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Accepted input

    @Test("Vietnamese and plain forms parse to the exact number of đồng", arguments: [
        ("600 triệu", 600_000_000),
        ("600tr", 600_000_000),
        ("600 tr", 600_000_000),
        ("3,402 triệu", 3_402_000),
        ("1.700 triệu", 1_700_000_000),
        ("1,7 tỷ", 1_700_000_000),
        ("1,7 tỉ", 1_700_000_000),
        ("600.000.000 đ", 600_000_000),
        ("600.000.000đ", 600_000_000),
        ("600.000.000 đồng", 600_000_000),
        ("600.000.000 VND", 600_000_000),
        ("600.000.000 vnđ", 600_000_000),
        ("600 triệu đồng", 600_000_000),
        ("600000000", 600_000_000),
        ("0,162 triệu", 162_000),
        ("15.000 triệu", 15_000_000_000),
        ("5 nghìn", 5_000),
        ("5 ngàn", 5_000),
        ("5 nghin", 5_000),
        ("1.234,5 triệu", 1_234_500_000),
        ("1,234567 triệu", 1_234_567),
        ("3.402 nghìn", 3_402_000),
        ("0,6 tỷ", 600_000_000),
        ("0,000000001 tỷ", 1),
        ("1,0000000 triệu", 1_000_000),
        ("1.000,00 đ", 1_000),
        ("5,00", 5),
        ("0", 0),
        ("0 đ", 0),
    ] as [(String, Int64)])
    func parsesAcceptedForms(text: String, dong: Int64) throws {
        #expect(try Money.parse(text) == Money(dong: dong))
    }

    @Test("Surrounding whitespace, including tabs, newlines and no-break spaces, is ignored", arguments: [
        "  600 triệu  ", "\t600 triệu\n", "\u{00A0}600\u{00A0}triệu\u{00A0}", "600   triệu",
    ])
    func ignoresSurroundingWhitespace(text: String) throws {
        #expect(try Money.parse(text) == Money(dong: 600_000_000))
    }

    @Test("Units are read case-insensitively", arguments: [
        ("600 Triệu", 600_000_000), ("600 TRIỆU", 600_000_000), ("1,7 TỶ", 1_700_000_000),
        ("1,7 Tỷ", 1_700_000_000), ("600TR", 600_000_000), ("600.000.000 Đ", 600_000_000),
        ("600.000.000 ĐỒNG", 600_000_000), ("600 triệu Đồng", 600_000_000), ("5 NGHÌN", 5_000),
    ] as [(String, Int64)])
    func readsUnitsCaseInsensitively(text: String, dong: Int64) throws {
        #expect(try Money.parse(text) == Money(dong: dong))
    }

    @Test("Decomposed (NFD) input parses the same as composed (NFC) input", arguments: [
        ("600 triệu", 600_000_000), ("1,7 tỷ", 1_700_000_000), ("1,7 TỶ", 1_700_000_000),
        ("600.000.000 đồng", 600_000_000), ("5 nghìn", 5_000), ("5 ngàn", 5_000), ("2 tỉ", 2_000_000_000),
    ] as [(String, Int64)])
    func readsDecomposedInput(text: String, dong: Int64) throws {
        let nfd = text.decomposedStringWithCanonicalMapping
        #expect(Array(nfd.unicodeScalars) != Array(text.unicodeScalars), "the NFD form really is decomposed")
        #expect(try Money.parse(nfd) == Money(dong: dong))
        #expect(try Money.parse(text.precomposedStringWithCanonicalMapping) == Money(dong: dong))
    }

    @Test("Unaccented unit names are accepted", arguments: [
        ("600 trieu", 600_000_000), ("1,7 ty", 1_700_000_000), ("5 ngan", 5_000), ("600.000.000 dong", 600_000_000),
    ] as [(String, Int64)])
    func readsUnaccentedUnits(text: String, dong: Int64) throws {
        #expect(try Money.parse(text) == Money(dong: dong))
    }

    @Test("Zero parses, leaving callers to reject it where it matters")
    func zeroParses() throws {
        #expect(try Money.parse("0") == .zero)
        #expect(try Money.parse("0 triệu") == .zero)
        #expect(try Money.parse("0,0 tỷ") == .zero)
    }

    @Test("The largest Int64 amount parses and one đồng more overflows")
    func parsesUpToInt64Max() throws {
        #expect(try Money.parse("9.223.372.036.854.775.807") == Money(dong: .max))
        #expect(try Money.parse("9223372036854775807 đ") == Money(dong: .max))
        #expect(try Money.parse("9.223.372.036,854775807 tỷ") == Money(dong: .max))
        #expect(Self.parseError("9.223.372.036.854.775.808")?.reason == .overflow)
        #expect(Self.parseError("9.223.372.036,854775808 tỷ")?.reason == .overflow)
        #expect(Self.parseError("9.223.372.037 tỷ")?.reason == .overflow)
    }

    // MARK: Rejected input

    static let rejections: [(String, MoneyParseError.Reason)] = [
        ("-5 triệu", .negative),
        ("-100", .negative),
        ("\u{2212}100", .negative),
        ("-0", .negative),
        ("1,5", .fractionalDong),
        ("1,5 đ", .fractionalDong),
        ("0,0000001 triệu", .fractionalDong),
        ("0,0001 nghìn", .fractionalDong),
        ("1,0000000001 tỷ", .fractionalDong),
        ("9.300.000.000 tỷ", .overflow),
        ("99999999999999999999", .overflow),
        ("1.70 triệu", .ambiguous),
        ("1.7 tỷ", .ambiguous),
        ("1.7000 triệu", .ambiguous),
        ("1234.567", .ambiguous),
        ("0.500", .ambiguous),
        ("1,234.5", .ambiguous),
        ("1,234,567", .ambiguous),
        ("1,5.000", .ambiguous),
        ("1,500", .ambiguous),
        ("600,000 đ", .ambiguous),
        (".5", .ambiguous),
        (",5 triệu", .ambiguous),
        ("5.", .ambiguous),
        ("5,", .ambiguous),
        ("5. triệu", .ambiguous),
        ("600 000 000", .ambiguous),
        ("600\u{00A0}000\u{00A0}000 đ", .ambiguous),
        ("+5", .ambiguous),
        ("5 đô", .unknownUnit),
        ("5 usd", .unknownUnit),
        ("5 USD", .unknownUnit),
        ("5$", .unknownUnit),
        ("5 triệu đô", .unknownUnit),
        ("", .empty),
        ("   ", .empty),
        ("\n\t", .empty),
        ("abc", .malformed),
        ("5 triệu triệu", .malformed),
        ("5 đồng triệu", .malformed),
        ("5 triệu 500", .malformed),
        ("triệu", .malformed),
        ("+", .malformed),
        ("-", .malformed),
    ]

    @Test("Bad input is rejected with the reason that names what is wrong", arguments: rejections)
    func rejectsWithReason(text: String, reason: MoneyParseError.Reason) {
        let error = #expect(throws: MoneyParseError.self) { try Money.parse(text) }
        #expect(error?.reason == reason)
        #expect(error?.input == text)
    }

    @Test("Every rejection message quotes the original input in single quotes and its description is the message",
          arguments: rejections.map(\.0))
    func rejectionMessagesQuoteTheInput(text: String) {
        let error = Self.parseError(text)
        #expect(error?.message.contains("'\(text)'") == true)
        #expect(error?.description == error?.message)
    }

    @Test("A decomposed input is quoted as given, not as normalised")
    func quotesDecomposedInputAsGiven() {
        let nfd = "5 đô".decomposedStringWithCanonicalMapping
        let error = Self.parseError(nfd)
        #expect(error?.reason == .unknownUnit)
        #expect(error?.input.unicodeScalars.elementsEqual(nfd.unicodeScalars) == true)
    }

    @Test("A '.' group that is not 3 digits is explained and the decimal form suggested")
    func explainsDotGroups() {
        let message = Self.parseError("1.7 tỷ")?.message ?? ""
        #expect(message.contains("'.' groups thousands"))
        #expect(message.contains("'1,7 tỷ'"))
        #expect(Self.parseError("1.70 triệu")?.message.contains("'1,70 triệu'") == true)
    }

    @Test("English-style numbers are explained and the Vietnamese form suggested")
    func explainsEnglishStyle() {
        #expect(Self.parseError("1,234.5 triệu")?.message.contains("'1.234,5 triệu'") == true)
        #expect(Self.parseError("1,234.5")?.message.contains("English-style") == true)
        #expect(Self.parseError("1,234,567 đ")?.message.contains("'1.234.567 đ'") == true)
        #expect(Self.parseError("1,500")?.message.contains("'1.500'") == true)
    }

    @Test("A message never suggests a form that would itself be rejected")
    func suggestionsAreValid() {
        #expect(Self.parseError("1,5.000")?.message.contains("'1.5,000'") == false)
        #expect(Self.parseError("-1,5")?.message.contains("without the sign") == true)
        #expect(Self.parseError("-1,5")?.message.contains("'1,5'") == false)
        #expect(Self.parseError("1.7.5 tỷ")?.message.contains("'1,7.5 tỷ'") == false)
    }

    @Test("A fractional amount says how many đồng it would be")
    func explainsFractionalDong() {
        #expect(Self.parseError("1,5")?.message.contains("is 1,5 đồng") == true)
        #expect(Self.parseError("0,0000001 triệu")?.message.contains("is 0,1 đồng") == true)
        #expect(Self.parseError("0,0000001 triệu")?.message.contains("at most 6 decimal places") == true)
        #expect(Self.parseError("1.234,56789 nghìn")?.message.contains("is 1.234.567,89 đồng") == true)
    }

    @Test("Negative, overflow, unknown-unit, spaced and empty messages say why and what to write")
    func explainsOtherRejections() {
        #expect(Self.parseError("-5 triệu")?.message.contains("never negative") == true)
        #expect(Self.parseError("-5 triệu")?.message.contains("'5 triệu'") == true)
        #expect(Self.parseError("9.300.000.000 tỷ")?.message.contains("too large") == true)
        #expect(Self.parseError("5 đô")?.message.contains("unknown unit 'đô'") == true)
        #expect(Self.parseError("600 000 000")?.message.contains("spaces inside the number") == true)
        #expect(Self.parseError("+5")?.message.contains("'5'") == true)
        #expect(Self.parseError("")?.message.contains("is empty") == true)
        #expect(Self.parseError("  ")?.message.contains("is blank") == true)
    }

    // MARK: Units

    @Test("Unit names a user may type map to their unit", arguments: [
        ("đ", MoneyUnit.dong), ("dong", .dong), ("đồng", .dong), ("VND", .dong), ("vnđ", .dong),
        ("nghìn", .nghin), ("nghin", .nghin), ("ngàn", .nghin), ("ngan", .nghin),
        ("trieu", .trieu), ("triệu", .trieu), ("tr", .trieu), ("Triệu", .trieu), ("TR", .trieu),
        ("tỷ", .ty), ("ty", .ty), ("tỉ", .ty), ("TỶ", .ty), (" tỷ ", .ty),
    ])
    func unitNames(name: String, unit: MoneyUnit) {
        #expect(MoneyUnit(name: name) == unit)
        #expect(MoneyUnit(name: name.decomposedStringWithCanonicalMapping) == unit)
    }

    @Test("Unknown unit names are nil", arguments: ["đô", "usd", "k", "", "triệu đồng", "tỷ tỷ", "million"])
    func unknownUnitNames(name: String) {
        #expect(MoneyUnit(name: name) == nil)
    }

    @Test("Each unit has its symbol and worth in đồng")
    func unitSymbolsAndWorth() {
        #expect(MoneyUnit.allCases.map(\.symbol) == ["đ", "nghìn", "triệu", "tỷ"])
        #expect(MoneyUnit.allCases.map(\.dongPerUnit) == [1, 1_000, 1_000_000, 1_000_000_000])
        #expect(MoneyUnit.allCases.allSatisfy { MoneyUnit(name: $0.symbol) == $0 && MoneyUnit(name: $0.rawValue) == $0 })
    }

    // MARK: Formatting

    @Test("The description is grouped đồng", arguments: [
        (600_000_000, "600.000.000 đ"), (3_402_000, "3.402.000 đ"), (0, "0 đ"), (-5_000, "-5.000 đ"),
        (999, "999 đ"), (1_000, "1.000 đ"), (Int64.max, "9.223.372.036.854.775.807 đ"),
        (Int64.min, "-9.223.372.036.854.775.808 đ"),
    ] as [(Int64, String)])
    func describes(dong: Int64, text: String) {
        #expect(Money(dong: dong).description == text)
        #expect("\(Money(dong: dong))" == text)
    }

    @Test("Formatting in a unit is exact and never rounds", arguments: [
        (1_700_000_000, MoneyUnit.dong, "1.700.000.000 đ"),
        (1_700_000_000, .trieu, "1.700 triệu"),
        (3_402_000, .trieu, "3,402 triệu"),
        (162_000, .trieu, "0,162 triệu"),
        (1_234_567, .trieu, "1,234567 triệu"),
        (600_000_000, .trieu, "600 triệu"),
        (1_700_000_000, .ty, "1,7 tỷ"),
        (600_000_000, .ty, "0,6 tỷ"),
        (1, .ty, "0,000000001 tỷ"),
        (3_402_000, .nghin, "3.402 nghìn"),
        (1_500, .nghin, "1,5 nghìn"),
        (0, .trieu, "0 triệu"),
        (0, .ty, "0 tỷ"),
        (-3_402_000, .trieu, "-3,402 triệu"),
        (-1, .nghin, "-0,001 nghìn"),
        (Int64.max, .ty, "9.223.372.036,854775807 tỷ"),
        (Int64.min, .ty, "-9.223.372.036,854775808 tỷ"),
    ] as [(Int64, MoneyUnit, String)])
    func formatsInUnit(dong: Int64, unit: MoneyUnit, text: String) {
        #expect(Money(dong: dong).formatted(unit) == text)
    }

    @Test("Formatting defaults to đồng")
    func formatsInDongByDefault() {
        #expect(Money(dong: 600_000_000).formatted() == "600.000.000 đ")
    }

    @Test("Parsing what was formatted gives back the same amount, for thousands of random amounts in every unit")
    func roundTripsFormattedAmounts() throws {
        var generator = SeededRandom(seed: 20_231_130)
        var amounts: [Int64] = [0, 1, 999, 1_000, 1_001, 999_999, 1_000_000, .max, .max - 1]
        for _ in 0..<3_000 {
            // Spread across magnitudes, and favour round amounts as budgets are written.
            let digits = Int64.random(in: 1...19, using: &generator)
            var limit: Int64 = 1
            for _ in 0..<(digits - 1) { limit *= 10 }
            var amount = Int64.random(in: 0...(digits == 19 ? .max : limit * 10 - 1), using: &generator)
            if Bool.random(using: &generator) {
                var round: Int64 = 1
                for _ in 0..<Int.random(in: 0...9, using: &generator) { round *= 10 }
                amount -= amount % round
            }
            amounts.append(amount)
        }
        for amount in amounts {
            let money = Money(dong: amount)
            for unit in MoneyUnit.allCases {
                let text = money.formatted(unit)
                #expect(try Money.parse(text) == money, "\(text)")
            }
            #expect(try Money.parse(money.description) == money)
            #expect(try Money.parse(String(amount)) == money)
        }
    }

    // MARK: Arithmetic and ordering

    @Test("Checked arithmetic returns nil on overflow and the exact result otherwise")
    func checkedArithmetic() {
        let a = Money(dong: 600_000_000), b = Money(dong: 8_046_000)
        #expect(a.adding(b) == Money(dong: 608_046_000))
        #expect(b.subtracting(a) == Money(dong: -591_954_000))
        #expect(Money(dong: .max).adding(Money(dong: 1)) == nil)
        #expect(Money(dong: .min).subtracting(Money(dong: 1)) == nil)
        #expect(Money(dong: .max).subtracting(Money(dong: -1)) == nil)
        #expect(Money(dong: .max).adding(Money(dong: -1)) == Money(dong: .max - 1))
    }

    @Test("Operators add and subtract, and a difference may be negative")
    func operators() {
        let allocated = Money(dong: 600_000_000)
        let disbursed = Money(dong: 3_402_000) + Money(dong: 162_000) + Money(dong: 4_482_000)
        #expect(disbursed == Money(dong: 8_046_000))
        #expect(allocated - disbursed == Money(dong: 591_954_000))
        #expect((disbursed - allocated).description == "-591.954.000 đ")
        #expect(Money.zero + allocated == allocated)
    }

    @Test("Amounts order by value")
    func ordering() {
        let amounts = [Money(dong: 5), Money(dong: -5), .zero, Money(dong: 1_000_000_000)]
        #expect(amounts.sorted() == [Money(dong: -5), .zero, Money(dong: 5), Money(dong: 1_000_000_000)])
        #expect(Money(dong: 1) > .zero)
        #expect(Set([Money(dong: 1), Money(dong: 1)]).count == 1)
    }

    // MARK: Encoding

    @Test("Money encodes as a JSON integer of đồng and decodes from one")
    func codableAsJSONInteger() throws {
        let amounts = [Money(dong: 600_000_000), .zero, Money(dong: -5_000), Money(dong: .max)]
        let data = try JSONEncoder().encode(amounts)
        #expect(String(decoding: data, as: UTF8.self) == "[600000000,0,-5000,9223372036854775807]")
        #expect(try JSONDecoder().decode([Money].self, from: data) == amounts)
    }

    @Test("Decoding rejects anything but an integer of đồng", arguments: ["[1.5]", "[\"600\"]", "[null]",
                                                                           "[9223372036854775808]"])
    func decodingRejectsNonIntegers(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Money].self, from: Data(json.utf8)) }
    }

    @Test("Plain digits are appended as ASCII with no grouping", arguments: [
        (600_000_000, "600000000"), (0, "0"), (-5_000, "-5000"), (Int64.min, "-9223372036854775808"),
    ] as [(Int64, String)])
    func appendsPlainDigits(dong: Int64, text: String) throws {
        var bytes: [UInt8] = Array("x=".utf8)
        Money(dong: dong).appendPlainDigits(to: &bytes)
        #expect(bytes == Array("x=\(text)".utf8))
        var data = Data()
        Money(dong: dong).appendPlainDigits(to: &data)
        #expect(data == (try JSONEncoder().encode(Money(dong: dong))))
    }
}
