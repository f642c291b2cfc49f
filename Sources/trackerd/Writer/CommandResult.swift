import Events
import Foundation
import Projections
import Glibc

/// What one command came to.
struct CommandResult: Sendable {
    /// Whether new records were appended (false: already recorded, a retry).
    var recorded: Bool
    /// The records appended, or where the fact was recorded before.
    var seqs: ClosedRange<UInt64>
    /// The event types appended.
    var types: [String]
    /// A plain sentence for people.
    var message: String
    /// The allocation line after a disbursement or reversal.
    var line: Books.LineEntry?
    /// A retried disbursement whose note differs from the recorded one (at `seqs.lowerBound`).
    var noteNotRecorded: NoteNotRecorded? = nil
}
