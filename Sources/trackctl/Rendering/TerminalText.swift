import Events

/// Text for a person's terminal: the program's own words, and values that came from outside
/// (the log, the daemon, the command line) made harmless.
///
/// A note, a name or a title is whatever a clerk typed, and a terminal obeys what it is sent: an
/// escape sequence can clear the line and print a fake "verified", a bidirectional override can
/// reorder a number. So every value interpolated into a `TerminalText` is escaped
/// (`Terminal.escape`), while its literal parts, and other `TerminalText`s, are kept as written.
/// Every human output of trackctl is a `TerminalText` printed by `Terminal.say` or
/// `Terminal.complain`; machine output (`--json`, the NDJSON of `log --json`, `alerts --follow
/// --json`) is printed as stored, since JSON escapes control characters itself.
struct TerminalText: ExpressibleByStringInterpolation, CustomStringConvertible, Sendable {
    /// The text, safe to print.
    fileprivate(set) var text: String

    init(stringLiteral literal: String) { text = literal }

    init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }

    /// The program's own text (help), or text built from parts already escaped (a rendered table).
    init(escapedParts text: String) { self.text = text }

    var description: String { text }

    /// Whether there is no text.
    var isEmpty: Bool { text.isEmpty }

    /// Whether the text ends with `suffix` (the program's own words).
    func hasSuffix(_ suffix: String) -> Bool { text.hasSuffix(suffix) }

    static func + (a: TerminalText, b: TerminalText) -> TerminalText { TerminalText(escapedParts: a.text + b.text) }

    static func += (a: inout TerminalText, b: TerminalText) { a.text += b.text }

    /// Joins texts with a separator of the program's own.
    static func joined(_ parts: [TerminalText], separator: String) -> TerminalText {
        TerminalText(escapedParts: parts.map(\.text).joined(separator: separator))
    }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var text = ""

        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity + 16 * interpolationCount) }

        mutating func appendLiteral(_ literal: String) { text += literal }

        /// A value from anywhere: escaped.
        mutating func appendInterpolation<Value>(_ value: Value) { text += Terminal.escape(String(describing: value)) }

        /// Text already made safe: kept.
        mutating func appendInterpolation(_ value: TerminalText) { text += value.text }
    }
}
