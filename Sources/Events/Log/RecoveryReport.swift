import Foundation
import Glibc

/// What opening the log found and did.
public struct RecoveryReport: Sendable {
    /// The last good record.
    public var head: LogPosition = .empty
    /// Number of segment files.
    public var segments = 0
    /// Bytes cut from a torn tail (0 when the tail was clean).
    public var cutBytes = 0
    /// What was cut, one line each, for the daemon's log.
    public var cutDescriptions: [String] = []
    /// Where the cut bytes were kept.
    public var quarantineFile: String?
    /// Other remarks (a segment trimmed after a crash during rotation, say).
    public var remarks: [String] = []
    /// Whether the store's key was made at this open (a new store, or a key not fit to trust).
    public var keyCreated = false
    /// Whether the store's id was made at this open (a new store, or one made before ids existed).
    public var idCreated = false
    /// The marks the operator overrode with `acceptLogEnd`, and the note kept about it.
    public var acceptedLoss: (marks: [DurableMark], note: String)?
}
