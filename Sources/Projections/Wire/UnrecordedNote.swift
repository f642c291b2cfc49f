import Events

/// A retried payment whose note differs from the recorded one: the note it gave was not recorded.
/// `"recorded_note"` and `"given_note"` (null for no note, and a recorded note that could not be read).
public struct UnrecordedNote: Sendable, Equatable {
    /// The payment's recorded note (nil: none, or it could not be read from the log).
    public var recordedNote: String?
    /// The note of the retry (nil: it gave none).
    public var givenNote: String?

    public init(recordedNote: String?, givenNote: String?) {
        self.recordedNote = recordedNote
        self.givenNote = givenNote
    }

    /// Writes `recorded_note` and `given_note` into an open object.
    public func encode(to w: inout JSONWriter) {
        w.key("recorded_note")
        if let recordedNote { w.string(recordedNote) } else { w.null() }
        w.key("given_note")
        if let givenNote { w.string(givenNote) } else { w.null() }
    }

    /// Reads `recorded_note` and `given_note` from an object.
    public init(in object: JSONObject) throws(TrackerError) {
        self.init(recordedNote: try object.optionalString("recorded_note"), givenNote: try object.optionalString("given_note"))
    }
}
