/// What one command of a batch came to: the answer its caller gets once the batch is durable.
public struct CommandResult: Sendable {
    /// Whether new records were appended (false: already recorded, a retry).
    public var recorded: Bool
    /// The records appended, or where the fact was recorded before.
    public var seqs: ClosedRange<UInt64>
    /// The event types appended.
    public var types: [String]
    /// A plain sentence for people.
    public var message: String
    /// The allocation line after a disbursement or reversal.
    public var line: Books.LineEntry?
    /// A retried disbursement whose note differs from the recorded one (at `seqs.lowerBound`).
    public var noteNotRecorded: NoteNotRecorded? = nil
    /// What the caller should know about a fact that was recorded (completing a task whose lines
    /// still hold money, …): recorded anyway, said in the answer.
    public var warnings: [String] = []

    public init(recorded: Bool, seqs: ClosedRange<UInt64>, types: [String], message: String, line: Books.LineEntry?,
                noteNotRecorded: NoteNotRecorded? = nil) {
        self.recorded = recorded
        self.seqs = seqs
        self.types = types
        self.message = message
        self.line = line
        self.noteNotRecorded = noteNotRecorded
    }
}
