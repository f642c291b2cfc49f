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

/// Printing for a person, and the one escape every such output goes through.
enum Terminal {
    /// Writes `text` to standard output.
    static func say(_ text: TerminalText, terminator: String = "\n") {
        print(text.text, terminator: terminator)
    }

    /// Writes `text` and a newline to standard error.
    static func complain(_ text: TerminalText) {
        StandardError.write(text.text + "\n")
    }

    /// `text` with every character that acts on a terminal instead of showing written as
    /// `\u{…}` (its code point in hex): the C0 controls (newline and tab included: a value's
    /// newline could start a line that looks like the program's), DEL, the C1 controls, the
    /// bidirectional embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069,
    /// U+200E, U+200F, U+061C), and the line and paragraph separators U+2028, U+2029.
    ///
    /// Text without any (nearly all of it) is returned as it is after one pass over its bytes.
    static func escape(_ text: String) -> String {
        guard needsEscaping(text) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if acts(scalar.value) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether a code point is one `escape` writes out.
    static func acts(_ value: UInt32) -> Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Whether `text` holds any such character, read from its UTF-8 bytes.
    private static func needsEscaping(_ text: String) -> Bool {
        var iterator = text.utf8.makeIterator()
        var previous: (UInt8, UInt8) = (0, 0)
        while let byte = iterator.next() {
            if byte < 0x20 || byte == 0x7F { return true }
            // C1: C2 80–9F. U+061C: D8 9C. U+200E/F: E2 80 8E/8F. U+2028–202E: E2 80 A8–AE. U+2066–2069: E2 81 A6–A9.
            if previous.1 == 0xC2 && (0x80...0x9F).contains(byte) { return true }
            if previous.1 == 0xD8 && byte == 0x9C { return true }
            if previous.0 == 0xE2 && previous.1 == 0x80 && (byte == 0x8E || byte == 0x8F || (0xA8...0xAE).contains(byte)) { return true }
            if previous.0 == 0xE2 && previous.1 == 0x81 && (0xA6...0xA9).contains(byte) { return true }
            previous = (previous.1, byte)
        }
        return false
    }
}
