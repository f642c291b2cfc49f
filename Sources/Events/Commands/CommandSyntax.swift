/// The command-line form of every command, shared by `trackctl` and by import files.
///
/// One grammar for both means a line of an import file is exactly what you would type after
/// `trackctl`, and `trackctl import` reports its errors the same way. Each command's words,
/// options and help are in its definition (`Command.definitions`).
public enum CommandSyntax {
    static let noteOption = OptionSpec.value("note", "TEXT", "Free remarks (kept in the log with the fact).")

    /// How decisions are known (`DocumentKey`), in the help of the commands that record them.
    static let decisionKeys = """
        A decision is known by its issuer, number and year: numbers restart every year and every province \
        numbers its own …/QĐ-UBND. Given by number alone (569/QĐ-UBND), it is the agency's province's decision of \
        the year it is signed: 569/QĐ-UBND@QNG/2023, answered as 569/QĐ-UBND (QNG, 2023). A decision of another \
        issuer (a ministry's) is given in that long form, NUMBER@ISSUER/YEAR (12/QĐ-BTC@BTC/2025), its year the \
        year of signing. Elsewhere (disburse --decision, amend --amends, carry-over --from, lapse, report \
        --decision) the number alone names the decision when only one has it; when several do, the command is \
        refused, listing each in the long form to type.
        """

    /// Every command that changes the books, in the order of the operations' table.
    public static let specs: [CommandSpec] = Command.definitions.map { $0.spec }

    /// The spec whose words start `tokens`, and the remaining tokens.
    public static func match(_ tokens: [String]) -> (spec: CommandSpec, rest: [String])? {
        for spec in specs.sorted(by: { $0.words.count > $1.words.count }) where tokens.starts(with: spec.words) {
            return (spec, Array(tokens.dropFirst(spec.words.count)))
        }
        return nil
    }

    /// Parses a whole command (its words included) into a `Command`.
    public static func parse(_ tokens: [String]) throws(UsageError) -> Command {
        guard let (spec, rest) = match(tokens) else {
            throw UsageError("unknown command '\(tokens.prefix(2).joined(separator: " "))'; commands are: " + specs.map(\.name).joined(separator: ", "))
        }
        let args = try ArgumentParser.parse(rest, spec: spec)
        if args.has("help") { throw UsageError("\(spec.name): --help asks for help; it is not a command to record") }
        do {
            return try build(spec.words, args)
        } catch {
            throw UsageError("\(spec.name): \(error.message)")
        }
    }

    /// Builds the command from parsed arguments; value errors come back as `TrackerError`.
    public static func build(_ words: [String], _ args: ParsedArguments) throws(TrackerError) -> Command {
        guard let definition = Command.definitions.first(where: { $0.spec.words == words }) else {
            throw TrackerError(.unknownOperation, "unknown command '\(words.joined(separator: " "))'")
        }
        return try definition.command(arguments: args)
    }
}
