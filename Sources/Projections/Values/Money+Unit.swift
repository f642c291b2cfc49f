import Events

/// Money written as a report's cells write it: the number alone, in the unit its ĐVT line names.
extension Money {
    /// The amount in `unit` the Vietnamese way, exact and without the unit's name: `600.000.000`
    /// (đồng), `1.700`, `3,402`, `0,162` (triệu), `0,6` (tỷ). `Money.parse` of it with the unit
    /// appended gives the amount back.
    public func vietnameseDigits(_ unit: MoneyUnit) -> String {
        let text = formatted(unit)
        return String(text.dropLast(unit.symbol.count + 1))
    }

    /// The amount in `unit` as a plain number for a spreadsheet: no grouping, `decimals` places
    /// (rounded half away from zero), and `decimalMark` (`.` or `,`): `600000000`, `3.402`, `3,402`.
    public func plainNumber(_ unit: MoneyUnit, decimals: Int, decimalMark: Character) -> String {
        let scale = Int128(unit.dongPerUnit)
        var tenPower: Int128 = 1
        for _ in 0..<decimals { tenPower *= 10 }
        let value = Int128(dong) * tenPower
        let magnitude = value.magnitude
        let rounded = (magnitude + UInt128(scale / 2)) / UInt128(scale)
        var digits = String(rounded)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(decimalMark, at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (dong < 0 && rounded != 0 ? "-" : "") + digits
    }
}

extension Rate {
    /// The rate as a plain percent number for a spreadsheet, three decimals: `1.341`, `100.000`.
    public func plainNumber(decimalMark: Character) -> String {
        let magnitude = milliPercent.magnitude
        let fraction = String(magnitude % 1000)
        return (milliPercent < 0 ? "-" : "") + String(magnitude / 1000) + String(decimalMark)
            + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
