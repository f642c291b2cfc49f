import Events

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
    public var description: String { formatted(decimalMark: ",") + "%" }

    /// The plain decimal for JSON: `1.341`, `100`, `60.5`.
    public var jsonNumber: String { formatted(decimalMark: ".") }

    private func formatted(decimalMark: String) -> String {
        let negative = milliPercent < 0
        let magnitude = milliPercent.magnitude
        let whole = magnitude / 1000
        var fraction = String(magnitude % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (negative ? "-" : "") + String(whole) + (fraction.isEmpty ? "" : decimalMark + fraction)
    }

    public static func < (a: Rate, b: Rate) -> Bool { a.milliPercent < b.milliPercent }
}
