/// A decision known by its number, issuer and year: `569/QĐ-UBND@QNG/2023`.
///
/// Document numbers restart at 01 every year (Nghị định 30/2020/NĐ-CP) and every province's
/// People's Committee issues its own `…/QĐ-UBND`, so a number alone is unique only with its issuer
/// and the year it was signed. The long form a clerk types is `NUMBER@ISSUER/YEAR`: the number as on
/// the document, `@`, the issuer's code (a province's, `QNG`, or another body's, `BTC`: A–Z, 0–9,
/// `-`; typed in any case, recorded in capitals), `/`, the year of signing. The books record every decision under its long form; a number
/// alone is accepted where it names one decision (`DecisionNumbers`).
public struct DocumentKey: Sendable, Hashable, CustomStringConvertible {
    /// The number as on the document, e.g. `569/QĐ-UBND`.
    public let number: DecisionRef
    /// The issuer's code, e.g. `QNG`.
    public let issuer: String
    /// The year the document was signed (its numbering year).
    public let year: Int

    /// The character between the number and the issuer.
    public static let separator = UInt8(ascii: "@")

    /// The key of a document numbered `number` (its number alone) from `issuer`, signed in `year`.
    public init(number: DecisionRef, issuer: String, year: Int) {
        self.number = number
        self.issuer = issuer
        self.year = year
    }

    /// The key `ref` is written as, or nil when `ref` is a number alone. `ref` was validated (or read
    /// from the log), so a long form splits cleanly.
    public init?(_ ref: DecisionRef) {
        guard let parts = Self.parts(of: ref.text) else { return nil }
        number = DecisionRef(trusted: parts.number)
        issuer = parts.issuer
        self.year = parts.year
    }

    /// The number, issuer and year of a validated long form `NUMBER@ISSUER/YEAR` (a decision's or a
    /// plan's: `PlanNumbers.Key`), or nil when `text` is a number alone.
    static func parts(of text: String) -> (number: String, issuer: String, year: Int)? {
        let bytes = text.utf8
        guard let at = bytes.lastIndex(of: separator), let slash = bytes[at...].lastIndex(of: UInt8(ascii: "/")),
              let year = Int(Substring(bytes[bytes.index(after: slash)...])) else { return nil }
        return (String(Substring(bytes[..<at])), String(Substring(bytes[bytes.index(after: at)..<slash])), year)
    }

    /// Whether `ref` is written in the long form (a byte scan: the replay asks it of every record).
    public static func isFull(_ ref: DecisionRef) -> Bool { ref.text.utf8.contains(separator) }

    /// The number of `ref`, whichever form it is written in.
    public static func number(of ref: DecisionRef) -> DecisionRef { DocumentKey(ref)?.number ?? ref }

    /// The long form, as recorded: `569/QĐ-UBND@QNG/2023`.
    public var ref: DecisionRef { DecisionRef(trusted: "\(number.text)@\(issuer)/\(year)") }

    /// How answers name it: `569/QĐ-UBND (QNG, 2023)`.
    public var description: String { "\(number.text) (\(issuer), \(year))" }

    /// Why the long-form suffix `ISSUER/YEAR` of a typed decision is refused, or nil.
    static func refusal(suffix: Substring) -> String? {
        let parts = suffix.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...ProvinceCode.maximumLength).contains(parts[0].utf8.count),
              parts[0].utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }),
              parts[1].utf8.count == 4, let year = Int(parts[1]), year >= 1900 else {
            return "is not a decision's long form: write NUMBER@ISSUER/YEAR, e.g. 569/QĐ-UBND@QNG/2023 (the issuer's code in letters A–Z, 0–9 and '-', the year of signing in four digits)"
        }
        return nil
    }
}
