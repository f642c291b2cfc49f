import Events

/// The answer to `import`: how many commands were recorded and which records they made.
///
///     {"commands":120,"recorded":118,"unchanged":2,"first_seq":61,"last_seq":190,"notes_not_recorded":[…]}
public struct ImportAnswer: Sendable, Equatable {
    /// Commands in the import.
    public var commands: Int
    /// Commands that appended records.
    public var recorded: Int
    /// Commands already recorded (retries): nothing appended for them.
    public var unchanged: Int
    /// The records appended, when any were.
    public var records: ClosedRange<UInt64>?
    /// Retried payments whose note differs from the recorded one.
    public var notesNotRecorded: [PaymentNote]

    public init(commands: Int, recorded: Int, unchanged: Int, records: ClosedRange<UInt64>?, notesNotRecorded: [PaymentNote] = []) {
        self.commands = commands
        self.recorded = recorded
        self.unchanged = unchanged
        self.records = records
        self.notesNotRecorded = notesNotRecorded
    }

    /// A retried payment of the import whose note was not recorded.
    public struct PaymentNote: Sendable, Equatable {
        /// The command's index in the import (from 0).
        public var index: Int
        /// The payment reference.
        public var ref: String
        /// Where the payment was recorded.
        public var seq: UInt64
        public var note: UnrecordedNote

        public init(index: Int, ref: String, seq: UInt64, note: UnrecordedNote) {
            self.index = index
            self.ref = ref
            self.seq = seq
            self.note = note
        }
    }

    /// Writes the answer's members into an open result object.
    public func encode(to w: inout JSONWriter) {
        w.key("commands"); w.int(commands)
        w.key("recorded"); w.int(recorded)
        w.key("unchanged"); w.int(unchanged)
        if let records {
            w.key("first_seq"); w.int(Int64(records.lowerBound))
            w.key("last_seq"); w.int(Int64(records.upperBound))
        }
        guard !notesNotRecorded.isEmpty else { return }
        w.key("notes_not_recorded")
        w.beginArray()
        for payment in notesNotRecorded {
            w.beginObject()
            w.key("index"); w.int(payment.index)
            w.key("ref"); w.string(payment.ref)
            w.key("seq"); w.int(Int64(payment.seq))
            payment.note.encode(to: &w)
            w.endObject()
        }
        w.endArray()
    }

    /// Reads an import's answer.
    public init(result: JSONObject) throws(TrackerError) {
        var records: ClosedRange<UInt64>? = nil
        if let first = try result.optionalInt("first_seq") {
            let last = try result.int("last_seq")
            guard first >= 0, last >= first else { throw TrackerError(.badRequest, "the daemon's answer has first_seq \(first) and last_seq \(last)") }
            records = UInt64(first)...UInt64(last)
        }
        var notes: [PaymentNote] = []
        for value in try result.optionalArray("notes_not_recorded") {
            guard case .object(let object) = value else { throw TrackerError(.badRequest, "field 'notes_not_recorded' must hold objects") }
            let index = try object.int("index"), seq = try object.int("seq")
            guard index >= 0, seq >= 0 else { throw TrackerError(.badRequest, "a note not recorded has index \(index) and seq \(seq)") }
            notes.append(PaymentNote(index: Int(index), ref: try object.string("ref"), seq: UInt64(seq), note: try UnrecordedNote(in: object)))
        }
        self.init(commands: Int(try result.int("commands")), recorded: Int(try result.int("recorded")), unchanged: Int(try result.int("unchanged")),
                  records: records, notesNotRecorded: notes)
    }
}
