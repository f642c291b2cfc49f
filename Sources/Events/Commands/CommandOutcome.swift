/// What `decide` made of a command.
public enum CommandOutcome: Sendable, Equatable {
    /// Append these events.
    case record([Event])
    /// Nothing to append: the same fact is already recorded (a retried command). `seq` is where.
    /// `noteNotRecorded`: a retried disbursement whose note differs from the recorded one; the
    /// note it gave (nil: none) was not recorded, and the answer must say so.
    case unchanged(seq: UInt64, what: String, noteNotRecorded: NoteNotRecorded? = nil)
}
