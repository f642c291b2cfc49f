import Foundation

// MARK: - Money

/// An amount of money in whole đồng (VND).
///
/// Amounts are exact integers held in an `Int64`, never floating point, so
/// sums and differences are exact up to ±9.223.372.036.854.775.807 đ.
/// Read user input with ``parse(_:)``, which accepts Vietnamese writing
/// ("600 triệu", "1,7 tỷ", "600.000.000 đ") and plain digits, and print with
/// ``description`` or ``formatted(_:)``, which use the same Vietnamese style:
/// `.` groups thousands and `,` is the decimal mark.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in whole đồng.
    ///
    /// May be negative in a computed difference (for example a reversal);
    /// ``parse(_:)`` never returns a negative amount.
    public let dong: Int64

    /// Creates an amount of `dong` whole đồng.
    ///
    /// Any sign is allowed; validation of user text belongs to ``parse(_:)``.
    public init(dong: Int64) {
        self.dong = dong
    }

    /// No money: 0 đ.
    ///
    /// ``parse(_:)`` accepts "0"; callers that need a positive amount must
    /// reject zero themselves.
    public static let zero = Money(dong: 0)

    /// Orders amounts by their value in đồng.
    public static func < (a: Money, b: Money) -> Bool {
        a.dong < b.dong
    }
}

// MARK: - Arithmetic

extension Money {
    /// Checked addition: the sum, or nil if it does not fit in an `Int64`.
    ///
    /// Use this where amounts come from users or files and an overflow must be
    /// reported rather than crash the program.
    public func adding(_ other: Money) -> Money? {
        let (sum, overflow) = dong.addingReportingOverflow(other.dong)
        return overflow ? nil : Money(dong: sum)
    }

    /// Checked subtraction: the difference (possibly negative), or nil if it
    /// does not fit in an `Int64`.
    public func subtracting(_ other: Money) -> Money? {
        let (difference, overflow) = dong.subtractingReportingOverflow(other.dong)
        return overflow ? nil : Money(dong: difference)
    }

    /// Adds two amounts.
    ///
    /// Traps (stops the program) on overflow, like `Int64` addition; use
    /// ``adding(_:)`` when an overflow is possible and must be handled.
    public static func + (a: Money, b: Money) -> Money {
        guard let sum = a.adding(b) else {
            preconditionFailure("Money overflow: \(a) + \(b)")
        }
        return sum
    }

    /// Subtracts one amount from another; the result may be negative.
    ///
    /// Traps (stops the program) on overflow, like `Int64` subtraction; use
    /// ``subtracting(_:)`` when an overflow is possible and must be handled.
    public static func - (a: Money, b: Money) -> Money {
        guard let difference = a.subtracting(b) else {
            preconditionFailure("Money overflow: \(a) - \(b)")
        }
        return difference
    }
}

// MARK: - Formatting

extension Money {
    /// The amount in đồng, Vietnamese style: "600.000.000 đ", "3.402.000 đ",
    /// "0 đ", "-5.000 đ".
    ///
    /// Same as `formatted(.dong)`; ``parse(_:)`` reads it back for any
    /// non-negative amount.
    public var description: String {
        formatted(.dong)
    }

    /// Formats the amount in `unit`, exactly: never rounds, and shows as many
    /// decimal places as needed and no more.
    ///
    /// `.dong` gives "1.700.000.000 đ"; `.trieu` gives "1.700 triệu",
    /// "3,402 triệu", "0,162 triệu", "1,234567 triệu", "600 triệu"; `.ty`
    /// gives "1,7 tỷ", "0,6 tỷ"; `.nghin` gives "3.402 nghìn". A negative
    /// amount starts with "-". For any non-negative amount,
    /// `Money.parse(m.formatted(u)) == m`.
    public func formatted(_ unit: MoneyUnit = .dong) -> String {
        // Written as bytes and made a String once: a status table formats thousands of amounts.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(40)
        if dong < 0 { bytes.append(ASCII.minus) }
        let magnitude = dong.magnitude
        let scale = UInt64(unit.dongPerUnit)
        appendGrouped(magnitude / scale, to: &bytes)
        var remainder = magnitude % scale
        if remainder != 0 {
            // The remainder to the unit's decimal places, trailing zeros dropped.
            bytes.append(ASCII.comma)
            var place = scale / 10
            while remainder != 0 {
                bytes.append(ASCII.zero + UInt8(remainder / place))
                remainder %= place
                place /= 10
            }
        }
        bytes.append(ASCII.space)
        bytes.append(contentsOf: unit.symbol.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the amount as plain ASCII digits with no grouping and no unit
    /// ("600000000", "-5000"), appending them to `buffer`.
    ///
    /// Meant for hand-written JSON or CSV output: the bytes are a valid JSON
    /// integer and match what the `Codable` conformance encodes.
    public func appendPlainDigits<Buffer: RangeReplaceableCollection>(to buffer: inout Buffer)
    where Buffer.Element == UInt8 {
        buffer.append(contentsOf: String(dong).utf8)
    }
}

/// Appends `value` in decimal with `.` between groups of three digits.
private func appendGrouped(_ value: UInt64, to bytes: inout [UInt8]) {
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // up to 20 digits, no heap
    var count = 0
    var rest = value
    withUnsafeMutableBytes(of: &digits) { buffer in
        repeat {
            buffer[23 - count] = ASCII.zero + UInt8(rest % 10)
            rest /= 10
            count += 1
        } while rest > 0
        var index = 24 - count
        let firstGroup = count % 3 == 0 ? 3 : count % 3
        for _ in 0..<firstGroup { bytes.append(buffer[index]); index += 1 }
        while index < 24 {
            bytes.append(ASCII.dot)
            bytes.append(buffer[index]); bytes.append(buffer[index + 1]); bytes.append(buffer[index + 2])
            index += 3
        }
    }
}

extension Money {
    /// An amount of đồng too large for `Money` (a sum that would overflow), written the same
    /// way: "18.000.000.000.000.000.000 đ". For messages that name the sum they refuse.
    public static func describe(dong: Int128) -> String {
        var bytes: [UInt8] = []
        if dong < 0 { bytes.append(ASCII.minus) }
        appendGrouped(digits: ArraySlice(Array(String(dong.magnitude).utf8)), to: &bytes)
        bytes.append(ASCII.space)
        bytes.append(contentsOf: MoneyUnit.dong.symbol.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Appends ASCII `digits` (no leading zeros, or a single "0") with `.`
/// between groups of three, counted from the right.
private func appendGrouped(digits: ArraySlice<UInt8>, to bytes: inout [UInt8]) {
    var index = digits.startIndex
    let firstGroup = digits.count % 3 == 0 ? 3 : digits.count % 3
    bytes.append(contentsOf: digits[index..<index + firstGroup])
    index += firstGroup
    while index < digits.endIndex {
        bytes.append(ASCII.dot)
        bytes.append(contentsOf: digits[index..<index + 3])
        index += 3
    }
}

// MARK: - Codable

/// Encodes as a JSON integer of đồng (`600000000`), and decodes only that:
/// a fraction, a string or a value outside `Int64` is a decoding error.
extension Money: Codable {
    /// Decodes an integer number of đồng; negative values are accepted
    /// because stored differences may be negative.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(dong: try container.decode(Int64.self))
    }

    /// Encodes the amount as an integer number of đồng.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dong)
    }
}

// MARK: - MoneyUnit

/// A unit an amount may be written in: đồng, nghìn (10^3 đ), triệu (10^6 đ)
/// or tỷ (10^9 đ).
///
/// The raw value is a stable ASCII identifier ("dong", "nghin", "trieu",
/// "ty") for configuration and storage; ``symbol`` is what people read.
public enum MoneyUnit: String, Sendable, CaseIterable {
    /// đồng: 1 đ.
    case dong
    /// nghìn (ngàn): a thousand đồng.
    case nghin
    /// triệu: a million đồng.
    case trieu
    /// tỷ (tỉ): a thousand million đồng.
    case ty

    /// Parses a unit name a user may type: "đ", "dong", "đồng", "vnd", "vnđ",
    /// "nghìn", "nghin", "ngàn", "ngan", "triệu", "trieu", "tr", "tỷ", "ty", "tỉ".
    ///
    /// Case-insensitive ("Triệu", "TỶ", "VND"), indifferent to Unicode
    /// normalisation (NFC or NFD input) and to surrounding whitespace.
    /// Returns nil for anything else, including foreign currencies.
    public init?(name: String) {
        let key = name.trimmingCharacters(in: .whitespacesAndNewlines)
            .lowercased()
            .precomposedStringWithCanonicalMapping
        switch key {
        case "đ", "dong", "đồng", "vnd", "vnđ": self = .dong
        case "nghìn", "nghin", "ngàn", "ngan": self = .nghin
        case "triệu", "trieu", "tr": self = .trieu
        case "tỷ", "ty", "tỉ": self = .ty
        default: return nil
        }
    }

    /// The name used when formatting: "đ", "nghìn", "triệu" or "tỷ".
    public var symbol: String {
        switch self {
        case .dong: "đ"
        case .nghin: "nghìn"
        case .trieu: "triệu"
        case .ty: "tỷ"
        }
    }

    /// How many đồng one of this unit is worth: 1, 1.000, 1.000.000 or
    /// 1.000.000.000.
    public var dongPerUnit: Int64 {
        switch self {
        case .dong: 1
        case .nghin: 1_000
        case .trieu: 1_000_000
        case .ty: 1_000_000_000
        }
    }

    /// The most decimal places an exact amount in this unit can need:
    /// 0, 3, 6 or 9.
    var decimalPlaces: Int {
        switch self {
        case .dong: 0
        case .nghin: 3
        case .trieu: 6
        case .ty: 9
        }
    }
}

// MARK: - MoneyParseError

/// Why a text could not be read as an amount of money, with a message fit to
/// show a budget officer.
public struct MoneyParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem, for code that needs to react to it.
    public enum Reason: Sendable, Equatable {
        /// Nothing but whitespace was given.
        case empty
        /// The amount has a minus sign; amounts are never negative.
        case negative
        /// The amount is finer than one đồng ("1,5", "0,0000001 triệu").
        case fractionalDong
        /// The amount is larger than an `Int64` of đồng can hold.
        case overflow
        /// The separators could mean two different amounts: a `.` group not
        /// of exactly 3 digits, English-style "1,234.5" or "1,234,567", a
        /// leading or trailing separator, spaces inside the digits, or a
        /// sign such as "+5".
        case ambiguous
        /// The text is not an amount at all ("abc", "5 triệu triệu").
        case malformed
        /// The unit is not đồng, nghìn, triệu or tỷ ("5 đô", "5 usd").
        case unknownUnit
    }

    /// The text exactly as it was given to ``Money/parse(_:)``.
    public let input: String
    /// The kind of problem.
    public let reason: Reason
    /// Plain English naming the input in single quotes, saying what is wrong
    /// and suggesting the right form.
    public let message: String

    /// The same as ``message``.
    public var description: String { message }
}

// MARK: - Parsing

extension Money {
    /// Parses an amount written the Vietnamese way or as plain digits;
    /// throws a ``MoneyParseError`` naming what was wrong.
    ///
    /// Accepted: plain digits ("600000000"); `.` grouping thousands in groups
    /// of exactly three ("600.000.000"); `,` as the decimal mark ("1,7 tỷ",
    /// "1.234,5 triệu"); an optional unit after the number, with or without a
    /// space: đ, đồng, dong, VND, nghìn/ngàn, triệu/tr, tỷ/tỉ, unaccented or
    /// not, in any case, NFC or NFD ("600tr", "600 Triệu", "1,7 TỶ"); a unit
    /// followed by "đồng" ("600 triệu đồng"); surrounding whitespace.
    /// "0" is accepted; callers that need a positive amount reject zero.
    ///
    /// Rejected, each with its ``MoneyParseError/Reason``: a minus sign
    /// (`negative`); an amount finer than one đồng (`fractionalDong`); more
    /// than `Int64.max` đồng (`overflow`); forms that could be read two ways,
    /// such as "1.7 tỷ", "1,234.5", "1,234,567", ".5", "5.", "600 000 000",
    /// "+5", and "1,500" with no unit (`ambiguous`); units other than the
    /// above (`unknownUnit`); blank text (`empty`); anything else
    /// (`malformed`).
    public static func parse(_ text: String) throws(MoneyParseError) -> Money {
        var parser = MoneyParser(input: text)
        return try parser.parse()
    }
}

/// ASCII bytes the parser and formatter use.
private enum ASCII {
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let dot = UInt8(ascii: ".")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let space = UInt8(ascii: " ")
    /// U+2212 MINUS SIGN in UTF-8.
    static let unicodeMinus: [UInt8] = [0xE2, 0x88, 0x92]

    static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }
}

/// One parse of one input: scans the number as UTF-8 bytes, then reads the
/// unit words after it.
private struct MoneyParser {
    /// The text as given, quoted in messages.
    let input: String
    /// The input in NFC with surrounding whitespace removed.
    let text: String
    let bytes: [UInt8]
    /// Whether messages may suggest a corrected form; off while checking a
    /// suggestion, so checking never recurses.
    let suggesting: Bool
    var index = 0

    init(input: String, suggesting: Bool = true) {
        self.input = input
        self.suggesting = suggesting
        self.text = input.precomposedStringWithCanonicalMapping
            .trimmingCharacters(in: .whitespacesAndNewlines)
        self.bytes = Array(text.utf8)
    }

    /// `candidate` if it parses cleanly, so a message never suggests a form
    /// that would itself be rejected; nil otherwise.
    func checked(_ candidate: String) -> String? {
        guard suggesting else { return nil }
        var parser = MoneyParser(input: candidate, suggesting: false)
        return (try? parser.parse()) == nil ? nil : candidate
    }

    /// The input in single quotes, as messages show it (the project's style).
    var quoted: String { "'\(input)'" }

    func fail(_ reason: MoneyParseError.Reason, _ explanation: String) -> MoneyParseError {
        MoneyParseError(input: input, reason: reason, message: "\(quoted) \(explanation)")
    }

    mutating func parse() throws(MoneyParseError) -> Money {
        if bytes.isEmpty {
            throw fail(.empty, (input.isEmpty ? "is empty" : "is blank")
                + ": write an amount such as '600 triệu', '1,7 tỷ' or '600.000.000 đ'.")
        }

        // Sign.
        var negative = false
        if bytes[0] == ASCII.minus {
            negative = true
            index = 1
        } else if bytes.starts(with: ASCII.unicodeMinus) {
            negative = true
            index = ASCII.unicodeMinus.count
        } else if bytes[0] == ASCII.plus, bytes.count > 1, ASCII.isDigit(bytes[1]) {
            let unsigned = checked(String(decoding: bytes[1...], as: UTF8.self)).map { ", like '\($0)'" } ?? ""
            throw fail(.ambiguous, "has a plus sign, which reads as a change rather than an amount: "
                + "write the amount without a sign\(unsigned).")
        }

        // Integer part: digits, optionally grouped by "." in threes.
        let numberStart = index
        guard index < bytes.count, ASCII.isDigit(bytes[index]) else {
            if index < bytes.count, bytes[index] == ASCII.dot || bytes[index] == ASCII.comma {
                throw separatorAtEdge(bytes[index], leading: true)
            }
            throw fail(.malformed, "is not an amount of money: write digits, optionally followed by a unit, "
                + "for example '600 triệu', '1,7 tỷ' or '600.000.000 đ'.")
        }
        let firstGroup = readDigits()
        var integerDigits = Array(firstGroup)
        var grouped = false
        while index < bytes.count, bytes[index] == ASCII.dot {
            let dotIndex = index
            index += 1
            let group = readDigits()
            if group.isEmpty { throw separatorAtEdge(ASCII.dot, leading: false) }
            if group.count != 3 { throw badDotGroup(at: dotIndex) }
            integerDigits.append(contentsOf: group)
            grouped = true
        }
        if grouped, firstGroup.count > 3 || firstGroup.first == ASCII.zero {
            throw fail(.ambiguous, "is ambiguous: in Vietnamese writing '.' groups thousands, so the first group "
                + "has 1 to 3 digits and does not start with 0. Write whole amounts grouped from the right, "
                + "like '1.234.567', and decimals with ',', like '1,7 tỷ'.")
        }

        // Fraction: "," then digits, once.
        var fractionDigits: ArraySlice<UInt8> = []
        var hasFraction = false
        if index < bytes.count, bytes[index] == ASCII.comma {
            index += 1
            fractionDigits = readDigits()
            if fractionDigits.isEmpty { throw separatorAtEdge(ASCII.comma, leading: false) }
            hasFraction = true
            if index < bytes.count, bytes[index] == ASCII.dot {
                let fix = checked(swappingSeparators(from: numberStart))
                    .map { ": if that is what was meant, write '\($0)'" } ?? ""
                throw fail(.ambiguous, "is ambiguous: it looks English-style, with ',' grouping thousands and "
                    + "'.' marking the decimals. In Vietnamese writing '.' groups thousands and ',' is the "
                    + "decimal mark\(fix).")
            }
            if index < bytes.count, bytes[index] == ASCII.comma {
                let fix = checked(swappingSeparators(from: numberStart))
                    .map { ": if these are thousands, write '\($0)'" } ?? ""
                throw fail(.ambiguous, "is ambiguous: it has more than one ','. In Vietnamese writing ',' is "
                    + "the decimal mark and appears at most once, and '.' groups thousands\(fix).")
            }
        }

        let unit = try readUnit()

        if negative {
            let signLength = bytes[0] == ASCII.minus ? 1 : ASCII.unicodeMinus.count
            let unsigned = checked(String(decoding: bytes[signLength...], as: UTF8.self))
                .map { "write '\($0)'" } ?? "write it without the sign"
            throw fail(.negative, "has a minus sign, but an amount is never negative: \(unsigned). "
                + "Money going back (a reversal or refund) is recorded as its own entry.")
        }

        // "1,500" with no unit: 1,5 đồng in Vietnamese, 1500 in English.
        if unit == .dong, hasFraction, !grouped, fractionDigits.count == 3, integerDigits.first != ASCII.zero {
            let integer = String(decoding: integerDigits, as: UTF8.self)
            let fraction = String(decoding: fractionDigits, as: UTF8.self)
            throw fail(.ambiguous, "is ambiguous: in Vietnamese writing ',' is the decimal mark, so it reads as "
                + "\(integer),\(fraction) đồng, but in English it means \(integer)\(fraction). For whole đồng write "
                + "'\(integer).\(fraction)'; for a decimal give a unit, like '\(integer),\(fraction) triệu'.")
        }

        // Exactness: after dropping trailing zeros, the fraction may have at
        // most as many digits as the unit has decimal places.
        while fractionDigits.last == ASCII.zero { fractionDigits.removeLast() }
        if fractionDigits.count > unit.decimalPlaces {
            let exact = Self.decimalText(integer: integerDigits, fraction: fractionDigits, shift: unit.decimalPlaces)
            let rule = unit == .dong
                ? "Amounts are whole đồng. Check the unit (for example '1,5 triệu') or round to whole đồng."
                : "Amounts are whole đồng, so an amount in \(unit.symbol) has at most \(unit.decimalPlaces) "
                    + "decimal places (0,\(String(repeating: "0", count: unit.decimalPlaces - 1))1 \(unit.symbol) "
                    + "= 1 đ)."
            throw fail(.fractionalDong, "is \(exact) đồng, finer than one đồng. \(rule)")
        }

        // Exact integer arithmetic: integer × 10^places + fraction × 10^(places − digits).
        var value: Int64 = 0
        var overflow = false
        for digit in integerDigits where !overflow {
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(Int64(digit - ASCII.zero))
            value = sum
            overflow = o1 || o2
        }
        if !overflow {
            let (scaled, o1) = value.multipliedReportingOverflow(by: unit.dongPerUnit)
            var fraction: Int64 = 0
            for digit in fractionDigits { fraction = fraction * 10 + Int64(digit - ASCII.zero) }
            for _ in fractionDigits.count..<unit.decimalPlaces { fraction *= 10 }
            let (sum, o2) = scaled.addingReportingOverflow(fraction)
            value = sum
            overflow = o1 || o2
        }
        if overflow {
            throw fail(.overflow, "is too large: the most an amount can be is "
                + "\(Money(dong: .max)) (about 9,2 tỷ tỷ). Check for extra digits or a wrong unit.")
        }
        return Money(dong: value)
    }

    /// Reads a run of ASCII digits at `index`, possibly empty.
    mutating func readDigits() -> ArraySlice<UInt8> {
        let start = index
        while index < bytes.count, ASCII.isDigit(bytes[index]) { index += 1 }
        return bytes[start..<index]
    }

    /// Reads the unit words after the number: none, one unit, or a unit
    /// followed by a word for đồng ("triệu đồng").
    mutating func readUnit() throws(MoneyParseError) -> MoneyUnit {
        let rest = String(decoding: bytes[index...], as: UTF8.self)
        let afterSpace = rest.drop(while: \.isWhitespace)
        if afterSpace.count < rest.count, let next = afterSpace.utf8.first,
           ASCII.isDigit(next) || next == ASCII.dot || next == ASCII.comma {
            throw fail(.ambiguous, "is ambiguous: it has spaces inside the number. Write the digits together, "
                + "grouping thousands with '.', like '600.000.000' or '600000000'.")
        }
        let words = afterSpace.split(whereSeparator: \.isWhitespace)
        let units = words.map { MoneyUnit(name: String($0)) }
        if words.isEmpty { return .dong }
        if units.count == 1, let unit = units[0] { return unit }
        if units.count == 2, let unit = units[0], unit != .dong, units[1] == .dong { return unit }

        if let word = words.first(where: { $0.contains(where: \.isNumber) }) {
            throw fail(.malformed, "is not an amount of money: '\(word)' mixes digits into the unit. "
                + "Write one number and one unit, like '5,5 triệu'.")
        }
        if let position = units.firstIndex(of: nil) {
            throw fail(.unknownUnit, "has an unknown unit '\(words[position])': amounts are in Vietnamese đồng, "
                + "written with đ, nghìn, triệu or tỷ (for example '5 triệu'); foreign currencies are not accepted.")
        }
        throw fail(.malformed, "is not an amount of money: write one number and one unit, "
            + "optionally followed by 'đồng', like '5 triệu' or '5 triệu đồng'.")
    }

    /// The trimmed input with "." and "," exchanged inside the number that
    /// starts at `start`: the Vietnamese form of an English-style number.
    func swappingSeparators(from start: Int) -> String {
        var swapped = Array(bytes[start...])
        for position in swapped.indices {
            switch swapped[position] {
            case ASCII.dot: swapped[position] = ASCII.comma
            case ASCII.comma: swapped[position] = ASCII.dot
            case let byte where ASCII.isDigit(byte): continue
            default: return String(decoding: swapped, as: UTF8.self)
            }
        }
        return String(decoding: swapped, as: UTF8.self)
    }

    /// The error for a "." or "," with no digits on one side.
    func separatorAtEdge(_ separator: UInt8, leading: Bool) -> MoneyParseError {
        let mark = separator == ASCII.dot ? "." : ","
        return fail(.ambiguous, "is ambiguous: it \(leading ? "starts" : "ends") the number with '\(mark)'. "
            + "Write digits on both sides of a separator, like '0,5 triệu' or '5.000', "
            + "or leave the separator out, like '5'.")
    }

    /// The error for a "." followed by a group that is not exactly 3 digits.
    func badDotGroup(at dotIndex: Int) -> MoneyParseError {
        var fixed = bytes
        fixed[dotIndex] = ASCII.comma
        let suggestion = checked(String(decoding: fixed, as: UTF8.self))
            .map { "For a decimal write '\($0)'." } ?? "Use ',' for a decimal, like '1,7 tỷ'."
        return fail(.ambiguous, "is ambiguous: in Vietnamese writing '.' groups thousands, so every group after "
            + "a '.' has exactly 3 digits. \(suggestion)")
    }

    /// The exact decimal value of `integer,fraction × 10^shift`, Vietnamese
    /// style ("0,1", "1.234,5"), computed on digits so it never overflows.
    /// `fraction` has more than `shift` digits.
    static func decimalText(integer: [UInt8], fraction: ArraySlice<UInt8>, shift: Int) -> String {
        var whole = integer + fraction.prefix(shift)
        let rest = fraction.dropFirst(shift)
        while whole.count > 1, whole.first == ASCII.zero { whole.removeFirst() }
        var bytes: [UInt8] = []
        appendGrouped(digits: whole[...], to: &bytes)
        bytes.append(ASCII.comma)
        bytes.append(contentsOf: rest)
        return String(decoding: bytes, as: UTF8.self)
    }
}
