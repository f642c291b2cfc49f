import Events

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
