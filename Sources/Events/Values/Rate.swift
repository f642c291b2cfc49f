/// A disbursement rate (tỷ lệ giải ngân) as an exact fraction, shown to three decimals of a percent.
public struct Rate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Thousandths of a percent, rounded half up: 1341 is 1,341%.
    public let milliPercent: Int64

    /// The rate `part / whole`; nil when `whole` is zero (no denominator, no rate).
    public init?(_ part: Money, of whole: Money) {
        guard whole.dong > 0 else { return nil }
        let numerator = Int128(part.dong) * 200_000
        let denominator = Int128(whole.dong) * 2
        // (2·p·100000 + w) / 2w rounds half up for non-negative p; symmetric for negative.
        let rounded = numerator >= 0 ? (numerator + Int128(whole.dong)) / denominator : (numerator - Int128(whole.dong)) / denominator
        milliPercent = Int64(clamping: rounded)
    }

    /// A rate of exactly `milliPercent` thousandths of a percent.
    public init(milliPercent: Int64) { self.milliPercent = milliPercent }

    /// Vietnamese style, as officials write it: `1,341%`, `100%`, `60,5%`.
    public var description: String { formatted(decimalMark: UInt8(ascii: ","), percent: true) }

    /// The plain decimal for JSON: `1.341`, `100`, `60.5`.
    public var jsonNumber: String { formatted(decimalMark: UInt8(ascii: "."), percent: false) }

    private func formatted(decimalMark: UInt8, percent: Bool) -> String {
        // Built as bytes: a status table formats thousands of rates.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        if milliPercent < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = milliPercent.magnitude
        appendDecimal(magnitude / 1000, to: &bytes)
        var fraction = magnitude % 1000
        if fraction != 0 {
            bytes.append(decimalMark)
            var place: UInt64 = 100
            while fraction != 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(fraction / place))
                fraction %= place
                place /= 10
            }
        }
        if percent { bytes.append(UInt8(ascii: "%")) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &bytes) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    public static func < (a: Rate, b: Rate) -> Bool { a.milliPercent < b.milliPercent }
}
