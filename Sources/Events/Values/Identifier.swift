/// What kind of thing an identifier names, and the rules its text must follow.
public protocol IdentifierKind: Sendable {
    /// The noun used in messages ("agency", "plan", "decision", "payment reference").
    static var noun: String { get }
    /// An example shown when the text is refused.
    static var example: String { get }
    /// Extra rules beyond the common ones; returns why `text` is refused, or nil.
    static func refusal(_ text: String) -> String?
    /// The matching key of validated `text`: what two ids must share to be the same.
    static func key(_ text: String) -> String
    /// Whether single spaces may stand between words (`số 12 UNC`); runs of spaces are made one.
    static var allowsInnerSpaces: Bool { get }
    /// How messages and answers name an id written `text` (its text, unless the kind says otherwise).
    static func display(_ text: String) -> String
}

extension IdentifierKind {
    public static func refusal(_ text: String) -> String? { nil }
    public static var allowsInnerSpaces: Bool { false }
    public static func display(_ text: String) -> String { text }
    /// Insensitive to case, diacritics and đ/Đ: ids people type and retype from documents.
    public static func key(_ text: String) -> String { Text.foldKey(text) }
}

/// An id typed by what it names: `AgencyID`, `PlanID`, `DecisionRef`, `PaymentRef`.
///
/// `text` is kept as first written (NFC, surrounding whitespace removed); equality, hashing and
/// lookup use `key`. For agencies, plans and decisions the key ignores case, diacritics and đ/Đ,
/// so `569/QD-UBND` finds `569/QĐ-UBND`; a payment reference is its own key (see `PaymentKind`).
public struct Identifier<Kind: IdentifierKind>: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The id as written (NFC).
    public let text: String
    /// The matching key (folded).
    public let key: String

    /// The longest id accepted, in characters.
    public static var maximumLength: Int { 80 }

    /// Validates and normalises `raw`.
    public init(_ raw: String) throws(TrackerError) {
        var text = Text.normalized(raw)
        if Kind.allowsInnerSpaces && text.utf8.contains(0x20) {
            text = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }
        if text.isEmpty { throw TrackerError(.invalidArgument, "\(Kind.noun) is empty (for example \(Kind.example))") }
        if text.utf8.count > Self.maximumLength && text.count > Self.maximumLength {
            throw TrackerError(.invalidArgument, "\(Kind.noun) '\(text.prefix(40))…' is longer than \(Self.maximumLength) characters")
        }
        if !Self.isPrintableWithoutSpaces(Kind.allowsInnerSpaces ? text.replacingOccurrences(of: " ", with: "") : text) {
            throw TrackerError(.invalidArgument, "\(Kind.noun) '\(text)' contains a space or control character (for example \(Kind.example))")
        }
        if let reason = Kind.refusal(text) { throw TrackerError(.invalidArgument, "\(Kind.noun) '\(text)' \(reason)") }
        self.text = text
        self.key = Kind.key(text)
    }

    /// Whether every character is visible: no spaces, no control or format characters. ASCII is
    /// checked byte by byte; only other scalars consult the Unicode tables.
    static func isPrintableWithoutSpaces(_ text: String) -> Bool {
        for byte in text.utf8 {
            if byte <= 0x20 || byte == 0x7F { return false }
            if byte >= 0x80 {
                return text.unicodeScalars.allSatisfy { scalar in
                    if scalar.value < 0x80 { return scalar.value > 0x20 && scalar.value != 0x7F }
                    let category = scalar.properties.generalCategory
                    return !scalar.properties.isWhitespace && category != .format && category != .control
                }
            }
        }
        return true
    }

    /// An id from text already validated (records read back from the log).
    public init(trusted text: String) {
        self.text = text
        self.key = Kind.key(text)
    }

    /// `id` under a namespace: `prefix` followed by its text (a national mirror's `QNG:BDT`), its
    /// key made from `id`'s without folding the text again. `prefix` must be ASCII letters, digits,
    /// `-` or `:` (so it folds on its own and does not change how the text after it folds).
    public init(prefix: String, _ id: Identifier) {
        text = prefix + id.text
        key = Kind.key(prefix) + id.key
    }

    public static func == (a: Self, b: Self) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
    public static func < (a: Self, b: Self) -> Bool { a.key < b.key }
    public var description: String { Kind.display(text) }
}

public enum AgencyKind: IdentifierKind {
    public static let noun = "agency"
    public static let example = "BDT"
    public static func refusal(_ text: String) -> String? {
        text.utf8.contains(UInt8(ascii: "#")) || text.utf8.contains(UInt8(ascii: "/")) ? "must not contain '#' or '/'" : nil
    }
}

public enum PlanKind: IdentifierKind {
    public static let noun = "plan"
    public static let example = "560/KH-BDT or BDT-2023"
    /// A number (`560/KH-BDT`), a name (`BDT-2023`), or a long form `560/KH-BDT@QNG/2024` (`PlanNumbers`).
    public static func refusal(_ text: String) -> String? {
        if text.utf8.contains(UInt8(ascii: "#")) { return "must not contain '#' (it separates a plan from a task number: 560/KH-BDT#1)" }
        let bytes = Substring(text).utf8
        guard let at = bytes.lastIndex(of: DocumentKey.separator) else { return nil }
        guard at != bytes.startIndex, !bytes[..<at].contains(DocumentKey.separator),
              DocumentKey.refusal(suffix: Substring(bytes[bytes.index(after: at)...])) == nil else {
            return "is not a plan's long form: write NUMBER@ISSUER/YEAR, e.g. 560/KH-BDT@QNG/2024 (the province's code, the year of the plan's date)"
        }
        return nil
    }
}

public enum DecisionKind: IdentifierKind {
    public static let noun = "decision"
    public static let example = "569/QĐ-UBND"
    /// A number alone (`569/QĐ-UBND`) or the long form `569/QĐ-UBND@QNG/2023` (`DocumentKey`).
    public static func refusal(_ text: String) -> String? {
        var bytes = Substring(text).utf8
        if let at = bytes.firstIndex(of: DocumentKey.separator) {
            if let reason = DocumentKey.refusal(suffix: Substring(bytes[bytes.index(after: at)...])) { return reason }
            bytes = bytes[..<at]
        }
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")), slash != bytes.startIndex,
              bytes[..<slash].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), bytes.index(after: slash) != bytes.endIndex else {
            return "is not a decision number: write it as on the document, e.g. 569/QĐ-UBND"
        }
        return bytes.contains(UInt8(ascii: "#")) ? "must not contain '#'" : nil
    }
    /// The long form reads `569/QĐ-UBND (QNG, 2023)`; a number alone as written.
    public static func display(_ text: String) -> String {
        guard text.utf8.contains(DocumentKey.separator), let key = DocumentKey(DecisionRef(trusted: text)) else { return text }
        return key.description
    }
}

/// Payment references are compared exactly, after NFC, with surrounding whitespace removed and
/// runs of inner spaces made one (`số 12 UNC`, as written on a voucher; no tabs or other spaces). A reference is a number another system issued — the
/// treasury (Kho bạc) or the bank on an ủy nhiệm chi or giấy rút dự toán — and copied from the
/// document: `CÕNF-1`, `CONF-1` and `conf-1` may be three payments, and folding them would drop
/// a real payment without a word, while an exact match at worst records a mistyped retry twice,
/// visibly, and a reversal corrects it. NFC is kept because the same letters typed on two
/// keyboards (composed or not) are the same reference; whitespace around it is not part of it.
public enum PaymentKind: IdentifierKind {
    public static let noun = "payment reference"
    public static let example = "UNC-2023-0412"
    public static func key(_ text: String) -> String { text }
    public static let allowsInnerSpaces = true
}

/// An agency (cơ quan), e.g. `BDT`.
public typealias AgencyID = Identifier<AgencyKind>
/// A plan (kế hoạch): its document number `560/KH-BDT`, or a name for an unnumbered one.
public typealias PlanID = Identifier<PlanKind>
/// An allocation decision (quyết định), e.g. `569/QĐ-UBND`.
public typealias DecisionRef = Identifier<DecisionKind>
/// A payment reference (số chứng từ / ủy nhiệm chi); unique across the log.
public typealias PaymentRef = Identifier<PaymentKind>
