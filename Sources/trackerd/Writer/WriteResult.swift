import Events
import Foundation
import Projections
import Glibc

/// The writer's answer to one submission.
enum WriteResult: Sendable {
    case success([CommandResult])
    /// Refused or failed: nothing of the submission was recorded. `index` is the failing command
    /// of a batch (import), nil when the failure is not one command's (a disk error).
    case failure(TrackerError, index: Int?)
}
