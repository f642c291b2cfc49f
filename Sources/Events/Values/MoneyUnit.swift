import Foundation

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
