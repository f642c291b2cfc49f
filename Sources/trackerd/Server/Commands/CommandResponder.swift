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
        writer.submit([command], actor: caller.actor, scope: caller.scope, inline: inline) { result in
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

    /// The commands of imports sent in pieces (`more: true`), by connection, until their last
    /// piece: then they are one submission, all or nothing.
    private let staged = LockedBox<[UInt64: (commands: [Command], touched: Double)]>([:])
    /// Commands one import may hold (over all its pieces), and all staged imports together.
    static let maxImportCommands = 1_000_000
    static let maxStagedCommands = 4_000_000

    /// Drops what a connection staged (it closed before its last piece: nothing is recorded).
    func connectionClosed(_ connection: UInt64) {
        _ = staged.withLockedValue { $0.removeValue(forKey: connection) }
    }

    /// An import, or a piece of one: decoded here (it may be large). A piece with `more: true` is
    /// kept for its connection and answered `{"staged": N}` (the commands kept so far); the last
    /// piece (without `more`) is submitted with every piece before it, all or nothing. A failing
    /// command is named by its index over all the pieces; on any refusal nothing is kept.
    func importBatch(_ request: Wire.Request, caller: Caller, respond: @escaping @Sendable ([UInt8]) -> Void) {
        let piece: [Command]
        let more: Bool
        let before: [Command]
        let kept: Int
        do throws(TrackerError) {
            more = try request.fields.optionalBool("more")
            let earlier = staged.withLockedValue { $0[caller.connection]?.commands.count ?? 0 }
            do throws(TrackerError) { piece = try decodeImport(request, firstIndex: earlier) } catch {
                connectionClosed(caller.connection)
                throw error
            }
            (before, kept) = try stage(piece, more: more, connection: caller.connection)
        } catch {
            respond(Wire.failure(id: request.id, error))
            return
        }
        if more {
            respond(Wire.success(id: request.id) { w in w.key("staged"); w.int(kept) })
            return
        }
        let commands = before + piece
        writer.submit(commands, actor: caller.actor, scope: caller.scope) { [log] result in
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

    /// Keeps a piece that has `more` after it and returns how many commands are kept; for the
    /// last piece, takes the pieces before it out and returns them (the caller submits them).
    /// Refuses an import past the bounds, keeping nothing of it.
    private func stage(_ piece: [Command], more: Bool, connection: UInt64) throws(TrackerError) -> (before: [Command], kept: Int) {
        let now = monotonicNow()
        return try staged.withLockedValue { (staged) -> Result<([Command], Int), TrackerError> in
            // An import whose connection went quiet for ten minutes will not be finished.
            for (key, value) in staged where now - value.touched > 600 { staged[key] = nil }
            guard more else {
                let before = staged.removeValue(forKey: connection)?.commands ?? []
                return .success((before, before.count))
            }
            let kept = staged[connection]?.commands.count ?? 0
            let total = staged.values.reduce(0) { $0 + $1.commands.count }
            guard kept + piece.count <= Self.maxImportCommands, total + piece.count <= Self.maxStagedCommands else {
                staged[connection] = nil
                return .failure(TrackerError(.tooLarge, kept + piece.count > Self.maxImportCommands
                    ? "an import holds at most \(Self.maxImportCommands) commands; nothing was imported"
                    : "imports being sent hold \(total) commands together, the most the daemon keeps at once; nothing was imported, try again shortly"))
            }
            staged[connection, default: ([], now)].commands.append(contentsOf: piece)
            staged[connection]?.touched = now
            return .success(([], kept + piece.count))
        }.get()
    }

    /// The import's commands, each read by its definition; a bad one is named by its number
    /// (counted from `firstIndex`, the commands of the pieces before).
    private func decodeImport(_ request: Wire.Request, firstIndex: Int = 0) throws(TrackerError) -> [Command] {
        try request.fields.rejectUnknownKeys(["commands", "more"], envelope: true, in: "import request")
        var commands: [Command] = []
        for (local, value) in try request.fields.array("commands").enumerated() {
            let index = firstIndex + local
            guard case .object(let object) = value else {
                throw TrackerError(.badRequest, "command \(index + 1) is not an object", details: JSONObject([("index", .int(Int64(index)))]))
            }
            do throws(TrackerError) { commands.append(try Command(request: object)) } catch {
                throw TrackerError(error.code, "command \(index + 1): \(error.message)", details: JSONObject([("index", .int(Int64(index)))]))
            }
        }
        guard !commands.isEmpty || firstIndex > 0 else { throw TrackerError(.invalidArgument, "the import has no commands") }
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
