/// A manual page in roff (`man -l` reads it), made from the command specs, so the page says
/// what the program parses and cannot drift from it.
public struct ManualPage: Sendable {
    /// A titled part of the page: paragraphs, or an example shown as written.
    public struct Section: Sendable {
        public var title: String
        public var paragraphs: [String]
        public var example: String?
        public init(_ title: String, _ paragraphs: [String], example: String? = nil) {
            self.title = title
            self.paragraphs = paragraphs
            self.example = example
        }
    }

    public var name: String
    /// The manual section: 1 commands, 5 files, 8 daemons.
    public var section: Int
    /// The line after the name in NAME.
    public var summary: String
    /// The program's own spec (its options), for SYNOPSIS and OPTIONS; nil for a file's page.
    public var program: CommandSpec?
    /// Its subcommands, each with its arguments and options (trackctl's).
    public var commands: [CommandSpec]
    /// DESCRIPTION and the parts after the commands (ENVIRONMENT, FILES, EXIT STATUS, …).
    public var description: [String]
    public var sections: [Section]
    public var seeAlso: [String]
    public var version: String

    public init(name: String, section: Int, summary: String, program: CommandSpec? = nil, commands: [CommandSpec] = [],
                description: [String], sections: [Section] = [], seeAlso: [String] = [], version: String) {
        self.name = name
        self.section = section
        self.summary = summary
        self.program = program
        self.commands = commands
        self.description = description
        self.sections = sections
        self.seeAlso = seeAlso
        self.version = version
    }

    /// The page in roff.
    public var roff: String {
        var out = ".TH \(Self.escape(name.uppercased())) \(section) \"\" \"tracker \(Self.escape(version))\" \"tracker\"\n"
        out += ".SH NAME\n\(Self.escape(name)) \\- \(Self.escape(summary))\n"
        if let program {
            out += ".SH SYNOPSIS\n.B \(Self.escape(name))\n"
            if !commands.isEmpty {
                out += ".I COMMAND\n[\\fIarguments\\fR] [\\fIoptions\\fR]\n"
            } else {
                out += "[\\fIoptions\\fR]\n"
            }
            _ = program
        }
        out += ".SH DESCRIPTION\n" + description.map(Self.paragraph).joined(separator: ".PP\n")
        if !commands.isEmpty {
            out += ".SH COMMANDS\n"
            for command in commands { out += Self.command(command, program: name) }
        }
        if let program, !program.options.isEmpty {
            out += ".SH OPTIONS\n" + Self.options(program.options + [.flag("help", "Show the help (also -h).")])
        }
        for section in sections {
            out += ".SH \(Self.escape(section.title.uppercased()))\n" + section.paragraphs.map(Self.paragraph).joined(separator: ".PP\n")
            if let example = section.example {
                out += ".PP\n.nf\n.RS 4\n" + example.split(separator: "\n", omittingEmptySubsequences: false).map { Self.escapeLine(String($0)) }.joined(separator: "\n")
                    + "\n.RE\n.fi\n"
            }
        }
        if !seeAlso.isEmpty {
            out += ".SH SEE ALSO\n" + seeAlso.map { page -> String in
                guard let open = page.firstIndex(of: "("), page.hasSuffix(")") else { return Self.escape(page) }
                return ".BR \(Self.escape(String(page[..<open]))) \(Self.escape(String(page[open...])))"
            }.joined(separator: " ,\n") + "\n"
        }
        return out
    }

    /// One subcommand: its usage, summary, arguments, options and discussion.
    static func command(_ spec: CommandSpec, program: String) -> String {
        var usage = "\\fB\(escape(program)) \(escape(spec.name))\\fR"
        for positional in spec.positionals { usage += positional.optional ? " [\\fI\(escape(positional.name))\\fR]" : " \\fI\(escape(positional.name))\\fR" }
        for option in spec.options where option.required { usage += " \\fB\\-\\-\(escape(option.name))\\fR \\fI\(escape(option.value ?? ""))\\fR" }
        if spec.options.contains(where: { !$0.required }) { usage += " [\\fIoptions\\fR]" }
        var out = ".SS \(escape(spec.name))\n.PP\n\(usage)\n.PP\n\(escape(spec.summary))\n"
        if !spec.positionals.isEmpty {
            out += ".RS 4\n"
            for positional in spec.positionals { out += ".TP\n.I \(escape(positional.name))\n\(escape(positional.help))\n" }
            out += ".RE\n"
        }
        if !spec.options.isEmpty { out += ".RS 4\n" + options(spec.options) + ".RE\n" }
        if !spec.discussion.isEmpty { out += ".PP\n" + paragraph(spec.discussion) }
        return out
    }

    /// Options as tagged paragraphs.
    static func options(_ options: [OptionSpec]) -> String {
        var out = ""
        for option in options {
            out += ".TP\n\\fB\\-\\-\(escape(option.name))\\fR" + (option.value.map { " \\fI\(escape($0))\\fR" } ?? "") + "\n"
            var help = option.help
            if option.required { help += " (required)" }
            if option.repeatable { help += " (repeatable)" }
            out += escape(help) + "\n"
        }
        return out
    }

    /// A paragraph: its lines joined, escaped, filled by the formatter.
    static func paragraph(_ text: String) -> String {
        let joined = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return escapeLine(joined) + "\n"
    }

    /// Text escaped for roff: backslashes, hyphens of options, a control character at the start.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            default: out.append(character)
            }
        }
        return out
    }

    /// A line escaped, and kept from starting with a request (`.` or `'`).
    static func escapeLine(_ text: String) -> String {
        let escaped = escape(text)
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }
}

private extension Substring {
    func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}

private extension Set where Element == Character {
    static var whitespaces: Set<Character> { [" ", "\t"] }
}
