import Foundation

/// One parse of one input: scans the number as UTF-8 bytes, then reads the
/// unit words after it.
struct MoneyParser {
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
