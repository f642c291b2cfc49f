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
