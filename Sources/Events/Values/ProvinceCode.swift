/// A province's code (`QNG`, `KTM`): A–Z, 0–9 and `-`, at most 16 characters. The store's own is
/// `[store] province` in the daemon's configuration (default `QNG`, Quảng Ngãi); agencies belong
/// to it unless registered with another.
public enum ProvinceCode {
    /// The default province of a store: Quảng Ngãi.
    public static let defaultCode = "QNG"

    /// `code` when it is a province code; `invalid_argument` naming the rule otherwise.
    public static func check(_ code: String) throws(TrackerError) -> String {
        guard !code.isEmpty, code.utf8.count <= 16,
              code.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else {
            throw TrackerError(.invalidArgument, "province code '\(code)' must be 1–16 characters of A–Z, 0–9 and '-', e.g. QNG")
        }
        return code
    }
}
