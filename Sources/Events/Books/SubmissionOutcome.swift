/// What one submission of a batch came to: every command's result, or the refusal or failure
/// that recorded nothing of it (a submission is all or nothing).
public enum SubmissionOutcome: Sendable {
    case success([CommandResult])
    /// Refused or failed: nothing of the submission was recorded. `index` is the failing command
    /// of a submission of several (an import), nil when the failure is not one command's (a disk
    /// error) or the submission had one command.
    case failure(TrackerError, index: Int?)
}
