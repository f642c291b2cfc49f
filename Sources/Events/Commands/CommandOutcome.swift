/// What `decide` made of a command.
public enum CommandOutcome: Sendable, Equatable {
    /// Append these events.
    case record([Event])
    /// Nothing to append: the same fact is already recorded (a retried command). `seq` is where.
    /// `noteNotRecorded`: a retried disbursement whose note differs from the recorded one; the
    /// note it gave (nil: none) was not recorded, and the answer must say so.
    case unchanged(seq: UInt64, what: String, noteNotRecorded: NoteNotRecorded? = nil)
}

/// A retry that differs from what is recorded only in its note: the note given, not recorded.
public struct NoteNotRecorded: Sendable, Equatable {
    /// The note of the retry (nil when it gave none).
    public var given: String?
    public init(given: String?) { self.given = given }
}
