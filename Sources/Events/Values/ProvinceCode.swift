/// A province's code, as the store's configuration gives it (`[store] province = QNG`).
///
/// 1–16 characters of `A–Z`, `0–9` and `-`. It names the store's province in the books (the
/// default province of its agencies) and in the stream (the subject `PREFIX.PROVINCE.STORE`), so
/// it must be a valid subject token: no dots, spaces, wildcards or lowercase variants of the same
/// code.
public struct ProvinceCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The code, e.g. `QNG`.
    public let text: String

    /// The province of a store whose configuration names none: Quảng Ngãi.
    public static let quangNgai = ProvinceCode(trusted: "QNG")
    /// The longest code.
    public static let maximumLength = 16

    /// Validates `text`; the error names what was wrong.
    public init(_ text: String) throws(TrackerError) {
        guard !text.isEmpty else { throw TrackerError(.invalidArgument, "a province code is empty (for example QNG)") }
        guard text.utf8.count <= Self.maximumLength else {
            throw TrackerError(.invalidArgument, "province code '\(text.prefix(40))' is longer than \(Self.maximumLength) characters")
        }
        guard text.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else {
            throw TrackerError(.invalidArgument, "province code '\(text)' may hold only A–Z, 0–9 and '-' (for example QNG)")
        }
        self.text = text
    }

    private init(trusted text: String) { self.text = text }

    /// The default province of a store, as text: Quảng Ngãi.
    public static let defaultCode = "QNG"

    /// `code` when it is a province code; `invalid_argument` naming the rule otherwise (the books'
    /// check of codes in records and commands).
    public static func check(_ code: String) throws(TrackerError) -> String {
        try ProvinceCode(code).text
    }

    public var description: String { text }
    public static func < (a: ProvinceCode, b: ProvinceCode) -> Bool { a.text < b.text }
}
