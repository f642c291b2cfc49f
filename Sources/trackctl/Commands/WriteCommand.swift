import Events
import Projections

/// The commands that change the books (disburse, allocate, task add…), from `CommandSyntax`.
enum WriteCommand {
    /// The subcommand for one command spec, with the connection options added.
    static func subcommand(_ spec: CommandSpec) -> Subcommand {
        let full = CommandSpec(spec.words, summary: spec.summary, positionals: spec.positionals,
                               options: spec.options + [jsonOption] + connectionOptions, discussion: spec.discussion)
        return Subcommand(spec: full) { (args) throws(Failure) in try run(spec, args) }
    }

    static func run(_ spec: CommandSpec, _ args: ParsedArguments) throws(Failure) {
        let command: Command
        do throws(TrackerError) { command = try CommandSyntax.build(spec.words, args) } catch {
            throw Failure.usage("\(spec.name): \(error.message)")
        }
        let client = try connect(args)
        let result: JSONObject
        do throws(TrackerError) {
            let response = try client.call(command)
            if let error = response.error { throw error }
            guard let object = response.result else { throw TrackerError(.internal, "the daemon sent no result") }
            result = object
        } catch { throw Failure(error) }
        if args.has("json") { printJSON(result); return }
        let answer: CommandAnswer
        do throws(TrackerError) { answer = try CommandAnswer(result: result) } catch { throw Failure(error) }
        let (seq, last) = (answer.seq, answer.lastSeq)
        if answer.recorded {
            Terminal.say("\(answer.message) (seq \(seq == last ? "\(seq)" : "\(seq)–\(last)"))")
        } else {
            Terminal.say("already recorded: \(answer.message) (seq \(seq)); nothing was recorded twice")
        }
        for warning in answer.warnings { Terminal.say("warning: \(warning)") }
        if let line = answer.line {
            // The decision by its full key, as officials read it: 569/QĐ-UBND (QNG, 2023).
            Terminal.say("  \(line.task) under \(DecisionRef(trusted: line.decision)): allocated \(line.allocated), disbursed \(line.disbursed) (\(line.rateOfAllocation.cell)), remaining \(line.remaining)")
        }
    }
}
