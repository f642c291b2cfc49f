import Dispatch
import Foundation

/// The outcome of checking the whole chain.
public struct VerifyReport: Sendable {
    /// Records checked.
    public var records: UInt64 = 0
    /// Bytes of records checked.
    public var bytes: Int64 = 0
    /// The last good record's sequence number and hash (the head, when everything is good).
    public var headSeq: UInt64 = 0
    public var headHash: SHA256Digest = .zero
    /// The first problem found, naming the record; nil when the chain is whole.
    public var problem: Problem?
    /// Whether an anchor given with `against` was found in the chain (nil when none was given).
    public var anchorFound: Bool?

    /// A problem found by verification.
    public struct Problem: Sendable {
        /// The sequence number of the record where the chain breaks (the first bad one).
        public var seq: UInt64
        /// What is wrong, in plain words.
        public var message: String
    }

    /// Whether the chain verified (and reached the anchor, when one was given).
    public var ok: Bool { problem == nil && anchorFound != false }
}
