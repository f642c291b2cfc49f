/// One option of a command: `--date DATE` (takes a value) or `--json` (a flag).
public struct OptionSpec: Sendable {
    /// The long name without dashes.
    public let name: String
    /// The value's placeholder in help ("DATE"), nil for a flag.
    public let value: String?
    /// Whether it may be given more than once.
    public let repeatable: Bool
    /// Whether it must be given.
    public let required: Bool
    /// One line of help.
    public let help: String

    /// An option taking a value.
    public static func value(_ name: String, _ placeholder: String, _ help: String, required: Bool = false, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(name: name, value: placeholder, repeatable: repeatable, required: required, help: help)
    }

    /// A flag.
    public static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, value: nil, repeatable: false, required: false, help: help)
    }
}

/// A positional argument.
public struct PositionalSpec: Sendable {
    public let name: String
    public let help: String
    public let optional: Bool
    public init(_ name: String, _ help: String, optional: Bool = false) {
        self.name = name
        self.help = help
        self.optional = optional
    }
}

/// What a command accepts, and its help text.
public struct CommandSpec: Sendable {
    /// The words naming the command (`["task", "add"]`).
    public let words: [String]
    /// One line saying what it does.
    public let summary: String
    public let positionals: [PositionalSpec]
    public let options: [OptionSpec]
    /// More help, shown after the options (examples, notes).
    public let discussion: String

    public init(_ words: [String], summary: String, positionals: [PositionalSpec] = [], options: [OptionSpec] = [], discussion: String = "") {
        self.words = words
        self.summary = summary
        self.positionals = positionals
        self.options = options
        self.discussion = discussion
    }

    /// The command's name as typed (`task add`).
    public var name: String { words.joined(separator: " ") }

    /// The full help text for `program COMMAND --help`.
    public func help(program: String) -> String {
        var usage = [program, name].filter { !$0.isEmpty }.joined(separator: " ")
        for positional in positionals { usage += positional.optional ? " [\(positional.name)]" : " \(positional.name)" }
        for option in options where option.required { usage += " --\(option.name) \(option.value ?? "")" }
        if options.contains(where: { !$0.required }) { usage += " [options]" }
        var text = "\(summary)\n\nUsage: \(usage)\n"
        if !positionals.isEmpty {
            text += "\nArguments:\n"
            let width = positionals.map { $0.name.count }.max()! + 2
            for positional in positionals {
                text += "  " + positional.name.padding(toDisplayWidth: width) + positional.help + "\n"
            }
        }
        let shown = options + [.flag("help", "Show this help.")]
        text += "\nOptions:\n"
        let labels = shown.map { "--\($0.name)" + ($0.value.map { " \($0)" } ?? "") }
        let width = labels.map(\.count).max()! + 2
        for (option, label) in zip(shown, labels) {
            var line = option.help
            if option.required { line += " (required)" }
            if option.repeatable { line += " (repeatable)" }
            text += "  " + label.padding(toDisplayWidth: width) + line + "\n"
        }
        if !discussion.isEmpty { text += "\n" + discussion + "\n" }
        return text
    }
}
