import Events

/// The writer's answer to one submission: what the batch step decided (`Books.step`), or the
/// failure of the write that was to record it.
typealias WriteResult = SubmissionOutcome
