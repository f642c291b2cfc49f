/// A retry that differs from what is recorded only in its note: the note given, not recorded.
public struct NoteNotRecorded: Sendable, Equatable {
    /// The note of the retry (nil when it gave none).
    public var given: String?
    public init(given: String?) { self.given = given }
}
