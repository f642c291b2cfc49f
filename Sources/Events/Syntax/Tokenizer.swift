/// Splits a command line written in a file into words, the way a shell would for simple cases:
/// spaces separate words; 'single' and "double" quotes group them; a backslash escapes the next
/// character (outside single quotes).
public enum Tokenizer {
    /// The words of `line`; throws on an unterminated quote or a trailing backslash.
    public static func words(_ line: String) throws(UsageError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character? = nil
        var escaping = false
        for character in line {
            if escaping {
                // Inside double quotes a backslash escapes only " and \ (as in a shell); before
                // anything else it stays.
                if quote == "\"" && character != "\"" && character != "\\" { current.append("\\") }
                current.append(character)
                escaping = false
                continue
            }
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"" {
                    escaping = true
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case " ", "\t", "\r":
                if inWord { words.append(current); current = ""; inWord = false }
            case "\"", "'":
                quote = character
                inWord = true
            case "\\":
                escaping = true
                inWord = true
            default:
                current.append(character)
                inWord = true
            }
        }
        if escaping { throw UsageError("a backslash ends the line with nothing to escape") }
        if let quote { throw UsageError("a \(quote) quote is not closed") }
        if inWord { words.append(current) }
        return words
    }
}
