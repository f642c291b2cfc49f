import Events
import Projections

extension CommandAnswer {
    /// The answer to a command the writer decided. For a retry whose note differs, the message
    /// names both notes (the recorded one when it could be read: `recordedNote` nil when not, and
    /// `.some(nil)` for a payment recorded without one) and `note_not_recorded` has them.
    init(_ result: CommandResult, recordedNote: String?? = nil) {
        var message = result.message
        var unrecorded: UnrecordedNote? = nil
        if let note = result.noteNotRecorded {
            message += recordedNote.map { ": recorded \(Self.quoted($0)), this request \(Self.quoted(note.given))" }
                ?? " (this request: \(Self.quoted(note.given)))"
            unrecorded = UnrecordedNote(recordedNote: recordedNote ?? nil, givenNote: note.given)
        }
        self.init(recorded: result.recorded, seq: result.seqs.lowerBound, lastSeq: result.seqs.upperBound, events: result.types,
                  message: message, noteNotRecorded: unrecorded,
                  line: result.line.map { line in
                      Line(decision: line.decision.text, task: line.task.description, year: line.fiscalYear,
                           allocated: line.allocated, disbursed: line.disbursed, remaining: line.remaining)
                  })
        warnings = result.warnings
    }

    /// "first payment" in quotes, or "none".
    private static func quoted(_ note: String?) -> String { note.map { "\"\($0)\"" } ?? "none" }
}
