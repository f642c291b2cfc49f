/// A file of commands for `trackctl import` and `trackerd --import`: one command per line, as
/// typed after `trackctl`.
///
/// `#` starts a comment line; blank lines are skipped; a line ending in `\` continues on the next;
/// a leading `trackctl` is allowed (so lines can be pasted from a shell).
public enum ImportFile {
    /// A command and the line it starts on (from 1).
    public struct Entry: Sendable {
        public let line: Int
        public let command: Command

        public init(line: Int, command: Command) {
            self.line = line
            self.command = command
        }
    }

    /// A problem on one line.
    public struct LineError: Error, Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses the whole file; throws at the first bad line.
    public static func parse(_ text: String) throws(LineError) -> [Entry] {
        // A file saved by Notepad or Excel starts with a byte order mark: not part of line 1.
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        var entries: [Entry] = []
        var pending = ""
        var pendingStart = 0
        var number = 0
        // Split on every newline, "\r\n" included (one Character in Swift, so not equal to "\n").
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            let line = String(rawLine)
            if pending.isEmpty {
                let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                pendingStart = number
            }
            if line.hasSuffix("\\") && !line.hasSuffix("\\\\") {
                pending += line.dropLast() + " "
                continue
            }
            pending += line
            let words: [String]
            do { words = try Tokenizer.words(pending) } catch { throw LineError(line: pendingStart, message: error.message) }
            pending = ""
            let commandWords = words.first == "trackctl" ? Array(words.dropFirst()) : words
            do {
                entries.append(Entry(line: pendingStart, command: try CommandSyntax.parse(commandWords)))
            } catch {
                throw LineError(line: pendingStart, message: error.message)
            }
        }
        if !pending.isEmpty { throw LineError(line: pendingStart, message: "the last line ends with '\\' but nothing follows") }
        return entries
    }
}
