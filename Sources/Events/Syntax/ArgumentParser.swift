/// A usage error: the command line (or a line of an import file) is not well formed.
/// Programs exit with status 2 on it.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in plain words.
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

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

/// Arguments parsed against a `CommandSpec`.
public struct ParsedArguments: Sendable {
    /// Positional arguments, in order.
    public var positionals: [String] = []
    /// Option values by name.
    public var values: [String: [String]] = [:]
    /// Flags given.
    public var flags: Set<String> = []

    /// The last value of an option, or nil.
    public func value(_ name: String) -> String? { values[name]?.last }
    /// Every value of a repeatable option.
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    /// Whether a flag was given.
    public func has(_ name: String) -> Bool { flags.contains(name) }
    /// The positional named `name` in the spec.
    public func positional(_ index: Int) -> String? { index < positionals.count ? positionals[index] : nil }
}

/// Parses `--name value`, `--name=value`, flags and positionals; `--` ends options.
public enum ArgumentParser {
    /// Parses `tokens` (the words after the command's name) against `spec`.
    ///
    /// Throws a `UsageError` naming the unknown option, the missing value or argument, or the extra word.
    public static func parse(_ tokens: [String], spec: CommandSpec) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if !optionsEnded && token == "--" { optionsEnded = true; continue }
            if !optionsEnded && token == "-h" { parsed.flags.insert("help"); continue }
            if !optionsEnded && token.hasPrefix("--") && token.count > 2 {
                var name = String(token.dropFirst(2))
                var inlineValue: String? = nil
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                if name == "help" { parsed.flags.insert("help"); continue }
                guard let option = spec.options.first(where: { $0.name == name }) else {
                    let known = spec.options.map { "--\($0.name)" }.joined(separator: ", ")
                    let meant = Suggestion.phrase(for: name, among: spec.options.map(\.name)) { "--\($0)" }
                    throw UsageError("\(spec.name): unknown option --\(name)\(meant)" + (known.isEmpty || !meant.isEmpty ? "" : " (options: \(known))"))
                }
                if option.value == nil {
                    if inlineValue != nil { throw UsageError("\(spec.name): --\(name) takes no value") }
                    parsed.flags.insert(name)
                    continue
                }
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < tokens.count else { throw UsageError("\(spec.name): --\(name) needs a value (\(option.value!))") }
                    value = tokens[index]
                    index += 1
                }
                if !option.repeatable && parsed.values[name] != nil {
                    throw UsageError("\(spec.name): --\(name) is given twice")
                }
                parsed.values[name, default: []].append(value)
                continue
            }
            if !optionsEnded && token.hasPrefix("-") && token.count > 1 && !token.dropFirst().allSatisfy({ $0.isNumber || $0 == "." || $0 == "," }) {
                throw UsageError("\(spec.name): unknown option \(token) (options are written --name)")
            }
            parsed.positionals.append(token)
        }
        if parsed.has("help") { return parsed }
        let required = spec.positionals.filter { !$0.optional }.count
        if parsed.positionals.count < required {
            let missing = spec.positionals[parsed.positionals.count]
            throw UsageError("\(spec.name): missing \(missing.name) (\(missing.help))")
        }
        if parsed.positionals.count > spec.positionals.count {
            throw UsageError("\(spec.name): unexpected argument '\(parsed.positionals[spec.positionals.count])'")
        }
        for option in spec.options where option.required && parsed.values[option.name] == nil {
            throw UsageError("\(spec.name): --\(option.name) \(option.value ?? "") is required (\(option.help))")
        }
        return parsed
    }
}

extension String {
    /// The string padded with spaces to `width` terminal columns (graphemes, so diacritics align).
    public func padding(toDisplayWidth width: Int) -> String {
        let current = Text.displayWidth(self)
        return current >= width ? self : self + String(repeating: " ", count: width - current)
    }

    /// The string padded on the left to `width` terminal columns.
    public func leftPadding(toDisplayWidth width: Int) -> String {
        let current = Text.displayWidth(self)
        return current >= width ? self : String(repeating: " ", count: width - current) + self
    }
}
