import Events
import Projections

/// `trackctl import FILE`: loads a file of commands, all or nothing.
enum ImportCommand {
    static let spec = CommandSpec(["import"], summary: "Load a file of commands (one per line, as typed after trackctl), all or nothing.",
        positionals: [PositionalSpec("FILE", "The file of commands")],
        options: [jsonOption] + connectionOptions,
        discussion: """
        Lines starting with # are comments; a line ending in \\ continues on the next. The first bad line is
        reported by number and nothing is recorded. Facts already recorded identically (a plan, a decision,
        a payment reference) are skipped, so importing the same file twice records nothing twice.
        """)

    static func run(_ args: ParsedArguments) throws(Failure) {
        let path = args.positionals[0]
        let bytes: [UInt8]
        do throws(Errno) { bytes = try FileSystem.readFile(path) } catch { throw Failure.failed("cannot read \(path): \(error)") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Failure.failed("\(path) is not UTF-8 text") }
        let entries: [ImportFile.Entry]
        do throws(ImportFile.LineError) { entries = try ImportFile.parse(text) } catch {
            throw Failure.failed("\(path): line \(error.line): \(error.message); nothing was imported")
        }
        guard !entries.isEmpty else { throw Failure.failed("\(path) has no commands") }
        let client = try connect(args)
        let response: Wire.Response
        do throws(TrackerError) {
            response = try client.call(.importCommands) { w in
                w.key("commands")
                w.beginArray()
                for entry in entries {
                    w.beginObject()
                    entry.command.encodeFields(to: &w)
                    w.endObject()
                }
                w.endArray()
            }
        } catch { throw Failure(error) }
        if let error = response.error {
            if case .int(let index)? = error.details?["index"], index >= 0, Int(index) < entries.count {
                let entry = entries[Int(index)]
                let message = error.message.replacingPrefix("command \(index + 1) (\(entry.command.operation)): ", with: "")
                    .replacingPrefix("command \(index + 1): ", with: "")
                throw Failure.failed("\(path): line \(entry.line): refused (\(error.code.rawValue)): \(message)")
            }
            throw Failure(error)
        }
        guard let result = response.result else { throw Failure.failed("the daemon sent no result") }
        if args.has("json") { printJSON(result); return }
        let answer: ImportAnswer
        do throws(TrackerError) { answer = try ImportAnswer(result: result) } catch { throw Failure(error) }
        var summary: TerminalText = "imported \(path): \(answer.recorded) command\(answer.recorded == 1 ? "" : "s") recorded"
        if answer.unchanged > 0 { summary += ", \(answer.unchanged) already recorded (not recorded twice)" }
        if let records = answer.records { summary += "; records \(records.lowerBound)–\(records.upperBound)" }
        Terminal.say(summary)
        // Payments already recorded whose note in the file differs: the file's note was not recorded.
        for payment in answer.notesNotRecorded where payment.index < entries.count {
            func quoted(_ note: String?) -> String { note.map { "\"\($0)\"" } ?? "none" }
            Terminal.say("  line \(entries[payment.index].line): payment \(payment.ref) is already recorded (seq \(payment.seq)); its note was not recorded: recorded \(quoted(payment.note.recordedNote)), in the file \(quoted(payment.note.givenNote))")
        }
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
