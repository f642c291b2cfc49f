/// An error a caller can match by code and a person can read.
///
/// The code is stable (it is part of the wire protocol, see docs/architecture.md); the message is
/// plain English naming the values involved. `details` carries the numbers behind a refusal
/// (allocated, disbursed, remaining, requested) for clients that want them.
public struct TrackerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes, as sent on the wire.
    public enum Code: String, Sendable, CaseIterable {
        /// The request is malformed: not JSON, missing or mistyped fields.
        case badRequest = "bad_request"
        /// A value is wrong: an amount, a date, an id that cannot be parsed or is out of range.
        case invalidArgument = "invalid_argument"
        /// The operation name is not one the daemon knows.
        case unknownOperation = "unknown_op"
        /// A plan, task, agency, decision or payment reference that is not recorded.
        case notFound = "not_found"
        /// The same id or reference was recorded before with different content.
        case conflict = "conflict"
        /// A disbursement larger than what remains on its allocation line.
        case exceedsAllocation = "exceeds_allocation"
        /// A task status change that the status graph does not allow.
        case invalidTransition = "invalid_transition"
        /// The caller's role does not allow the operation.
        case forbidden = "forbidden"
        /// A request line longer than the configured limit.
        case tooLarge = "too_large"
        /// The daemon is at its connection limit.
        case busy = "busy"
        /// The connection was idle past the configured limit.
        case timeout = "timeout"
        /// Writes are suspended (after a failed sync) or the daemon is shutting down.
        case unavailable = "unavailable"
        /// A write or sync to disk failed; nothing was recorded.
        case ioError = "io_error"
        /// The log on disk failed verification.
        case corrupt = "corrupt"
        /// The daemon only reads its store (`trackerd --read-only`, a mirror): it appends nothing.
        case readOnly = "read_only"
        /// A bug: the daemon hit a state it should never reach.
        case `internal` = "internal"
    }

    /// The stable code.
    public let code: Code
    /// The readable message.
    public let message: String
    /// Numbers behind the refusal, when there are any.
    public let details: JSONObject?

    /// An error with a code, message and optional details.
    public init(_ code: Code, _ message: String, details: JSONObject? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { message }
}
