import Dispatch
import Events
import Projections

/// Hands commands to the writer and answers them once they are durable: one command, or an
/// import (decoded on the light lane, then one all-or-nothing submission).
final class CommandResponder: Sendable {
    private let writer: Writer
    private let live: LiveLedger
    private let layout: StoreLayout
    private let log: DaemonLog
    /// Where the recorded note of a retried payment is read from the log, off the writer's thread
    /// (rare: only a retry whose note differs).
    private let noteReader = DispatchQueue(label: "trackerd.retried-notes")

    init(writer: Writer, live: LiveLedger, layout: StoreLayout, log: DaemonLog) {
        self.writer = writer
        self.live = live
        self.layout = layout
        self.log = log
    }

    /// Submits one command; `respond` gets its answer once durable (or its refusal).
    func submit(_ command: Command, _ request: Wire.Request, caller: Caller, inline: Bool = false, respond: @escaping @Sendable ([UInt8]) -> Void) {
        writer.submit([command], actor: caller.actor, inline: inline) { result in
            switch result {
            case .failure(let error, _): respond(Wire.failure(id: request.id, error))
            case .success(let results):
                guard results[0].noteNotRecorded != nil else {
                    let answer = CommandAnswer(results[0])
                    return respond(Wire.success(id: request.id) { w in answer.encode(to: &w) })
                }
                // The recorded note is in the log: read it off the writer's thread.
                self.noteReader.async {
                    let answer = CommandAnswer(results[0], recordedNote: self.recordedNotes(of: results)[0])
                    respond(Wire.success(id: request.id) { w in answer.encode(to: &w) })
                }
            }
        }
    }

    /// An import: decoded here (it may be large), then one all-or-nothing submission.
    func importBatch(_ request: Wire.Request, caller: Caller, respond: @escaping @Sendable ([UInt8]) -> Void) {
        let commands: [Command]
        do throws(TrackerError) { commands = try decodeImport(request) } catch {
            respond(Wire.failure(id: request.id, error))
            return
        }
        writer.submit(commands, actor: caller.actor) { [log] result in
            switch result {
            case .failure(let error, let index):
                guard let index else { return respond(Wire.failure(id: request.id, error)) }
                var details = error.details ?? JSONObject()
                details["index"] = .int(Int64(index))
                respond(Wire.failure(id: request.id, TrackerError(error.code,
                    "command \(index + 1) (\(commands[index].operation)): \(error.message); nothing was imported", details: details)))
            case .success(let results):
                let recorded = results.filter(\.recorded)
                if !recorded.isEmpty {
                    log.info("import by \(caller.actor): \(recorded.count) of \(results.count) commands recorded (seq \(recorded.first!.seqs.lowerBound)–\(recorded.last!.seqs.upperBound))")
                }
                // Retried payments whose note differs: each named, with both notes.
                let notes = self.recordedNotes(of: results)
                var unrecorded: [ImportAnswer.PaymentNote] = []
                for index in notes.keys.sorted() {
                    guard let note = results[index].noteNotRecorded, case .disburse(let command) = commands[index] else { continue }
                    unrecorded.append(ImportAnswer.PaymentNote(index: index, ref: command.ref.text, seq: results[index].seqs.lowerBound,
                                                               note: UnrecordedNote(recordedNote: notes[index]!, givenNote: note.given)))
                }
                let answer = ImportAnswer(commands: results.count, recorded: recorded.count, unchanged: results.count - recorded.count,
                                          records: recorded.first.map { $0.seqs.lowerBound...recorded.last!.seqs.upperBound },
                                          notesNotRecorded: unrecorded)
                respond(Wire.success(id: request.id) { w in answer.encode(to: &w) })
            }
        }
    }

    /// The import's commands, each read by its definition; a bad one is named by its number.
    private func decodeImport(_ request: Wire.Request) throws(TrackerError) -> [Command] {
        try request.fields.rejectUnknownKeys(["commands"], envelope: true, in: "import request")
        var commands: [Command] = []
        for (index, value) in try request.fields.array("commands").enumerated() {
            guard case .object(let object) = value else {
                throw TrackerError(.badRequest, "command \(index + 1) is not an object", details: JSONObject([("index", .int(Int64(index)))]))
            }
            do throws(TrackerError) { commands.append(try Command(request: object)) } catch {
                throw TrackerError(error.code, "command \(index + 1): \(error.message)", details: JSONObject([("index", .int(Int64(index)))]))
            }
        }
        guard !commands.isEmpty else { throw TrackerError(.invalidArgument, "the import has no commands") }
        return commands
    }

    /// The recorded notes of the retries in `results` whose note differs, by index (nil: the
    /// payment was recorded without one), read from the log in one pass. A failed read leaves
    /// them out (the answer still says the note was not recorded) and is logged.
    private func recordedNotes(of results: [CommandResult]) -> [Int: String?] {
        let wanted = results.indices.filter { results[$0].noteNotRecorded != nil }
        guard !wanted.isEmpty else { return [:] }
        let records: [UInt64: Record]
        do throws(TrackerError) {
            records = try LogReader(directory: layout.directory).records(at: Set(wanted.map { results[$0].seqs.lowerBound }), through: live.head)
        } catch {
            log.warning("could not read the recorded notes of retried payments: \(error.message)")
            return [:]
        }
        var notes: [Int: String?] = [:]
        for index in wanted {
            if case .disbursementRecorded(let e)? = records[results[index].seqs.lowerBound]?.event { notes[index] = .some(e.note) }
        }
        return notes
    }
}
