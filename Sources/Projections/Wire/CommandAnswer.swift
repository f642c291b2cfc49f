import Events

/// The answer to a command (`disburse`, `allocate`, …): what was recorded, or where the same fact
/// already was.
///
///     {"recorded":true,"seq":60,"last_seq":60,"events":["disbursement.recorded"],"message":"…","line":{…}}
public struct CommandAnswer: Sendable, Equatable {
    /// False when the same fact was already recorded (a retry): nothing was appended.
    public var recorded: Bool
    /// The first record appended, or where the fact was recorded before.
    public var seq: UInt64
    /// The last record appended (`seq` when one, or nothing, was).
    public var lastSeq: UInt64
    /// The event types appended.
    public var events: [String]
    /// A plain sentence for people; for a retry whose note differs, it names both notes.
    public var message: String
    /// A retried disbursement whose note differs from the recorded one: the note was not recorded.
    public var noteNotRecorded: UnrecordedNote?
    /// What the caller should look at although the fact was recorded (e.g. a task completed with money left on its lines).
    public var warnings: [String] = []
    /// The allocation line after a disbursement or reversal.
    public var line: Line?

    public init(recorded: Bool, seq: UInt64, lastSeq: UInt64, events: [String], message: String, noteNotRecorded: UnrecordedNote? = nil,
                line: Line? = nil) {
        self.recorded = recorded
        self.seq = seq
        self.lastSeq = lastSeq
        self.events = events
        self.message = message
        self.noteNotRecorded = noteNotRecorded
        self.line = line
    }

    /// An allocation line's figures after the command.
    public struct Line: Sendable, Equatable {
        public var decision: String
        public var task: String
        /// The budget year.
        public var year: Int
        public var allocated: Money
        public var disbursed: Money
        public var remaining: Money

        public init(decision: String, task: String, year: Int, allocated: Money, disbursed: Money, remaining: Money) {
            self.decision = decision
            self.task = task
            self.year = year
            self.allocated = allocated
            self.disbursed = disbursed
            self.remaining = remaining
        }

        /// Disbursed against allocated.
        public var rateOfAllocation: Rate? { Rate(disbursed, of: allocated) }

        /// Writes the line as an object (`rate_allocated` derived).
        func encode(to w: inout JSONWriter) {
            w.beginObject()
            w.key("decision"); w.string(decision)
            w.key("task"); w.string(task)
            w.key("year"); w.int(year)
            w.key("allocated"); w.int(allocated.dong)
            w.key("disbursed"); w.int(disbursed.dong)
            w.key("remaining"); w.int(remaining.dong)
            w.key("rate_allocated")
            if let rate = rateOfAllocation { w.number(rate.jsonNumber) } else { w.null() }
            w.endObject()
        }

        init(object: JSONObject) throws(TrackerError) {
            self.init(decision: try object.string("decision"), task: try object.string("task"), year: Int(try object.int("year")),
                      allocated: try object.moneyValue("allocated"), disbursed: try object.moneyValue("disbursed"),
                      remaining: try object.moneyValue("remaining"))
        }
    }

    /// Writes the answer's members into an open result object.
    public func encode(to w: inout JSONWriter) {
        w.key("recorded"); w.bool(recorded)
        w.key("seq"); w.int(Int64(seq))
        w.key("last_seq"); w.int(Int64(lastSeq))
        w.key("events")
        w.beginArray()
        for type in events { w.string(type) }
        w.endArray()
        w.key("message"); w.string(message)
        if let noteNotRecorded {
            w.key("note_not_recorded")
            w.beginObject()
            noteNotRecorded.encode(to: &w)
            w.endObject()
        }
        if let line {
            w.key("line")
            line.encode(to: &w)
        }
        if !warnings.isEmpty {
            w.key("warnings")
            w.beginArray()
            for warning in warnings { w.string(warning) }
            w.endArray()
        }
    }

    /// Reads a command's answer.
    public init(result: JSONObject) throws(TrackerError) {
        var events: [String] = []
        for value in try result.array("events") {
            guard case .string(let type) = value else { throw TrackerError(.badRequest, "field 'events' must hold event types") }
            events.append(type)
        }
        let seq = try result.int("seq"), lastSeq = try result.int("last_seq")
        guard seq >= 0, lastSeq >= seq else { throw TrackerError(.badRequest, "the daemon's answer has seq \(seq) and last_seq \(lastSeq)") }
        self.init(recorded: try result.bool("recorded"), seq: UInt64(seq), lastSeq: UInt64(lastSeq), events: events,
                  message: try result.string("message"),
                  noteNotRecorded: try result.optionalObject("note_not_recorded").map { (object) throws(TrackerError) in try UnrecordedNote(in: object) },
                  line: try result.optionalObject("line").map { (object) throws(TrackerError) in try Line(object: object) })
        warnings = try result.optionalArray("warnings").compactMap { if case .string(let text) = $0 { text } else { nil } }
    }
}
