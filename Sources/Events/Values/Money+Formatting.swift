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
func appendGrouped(digits: ArraySlice<UInt8>, to bytes: inout [UInt8]) {
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
