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
        let message = (try? result.string("message")) ?? ""
        let seq = (try? result.int("seq")) ?? 0
        if case .bool(true)? = result["recorded"] {
            let last = (try? result.int("last_seq")) ?? seq
            Terminal.say("\(message) (seq \(seq == last ? "\(seq)" : "\(seq)–\(last)"))")
        } else {
            Terminal.say("already recorded: \(message) (seq \(seq)); nothing was recorded twice")
        }
        if let line = try? result.object("line"),
           let allocated = try? line.int("allocated"), let disbursed = try? line.int("disbursed"), let remaining = try? line.int("remaining") {
            let rate = Rate(Money(dong: disbursed), of: Money(dong: allocated)).cell
            Terminal.say("  \((try? line.string("task")) ?? "") under \((try? line.string("decision")) ?? ""): allocated \(Money(dong: allocated)), disbursed \(Money(dong: disbursed)) (\(rate)), remaining \(Money(dong: remaining))")
        }
    }
}
