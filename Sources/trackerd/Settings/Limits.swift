import Foundation
import Glibc
import Projections
import Events

/// Limits on what one client can ask of the daemon; each is configurable and each is answered
/// with a clear error, never a crash.
struct Limits: Sendable {
    /// Longest request line accepted, in bytes.
    var maxLineBytes = 1 << 20
    /// Connections served at once; one more is answered `busy` and closed.
    var maxConnections = 256
    /// Seconds a connection may stay silent before it is closed.
    var idleTimeout: Double = 300
    /// Seconds a response may take to be accepted by a slow reader before the connection is dropped.
    var sendTimeout: Double = 10
    /// Deepest JSON nesting accepted in a request.
    var maxJSONDepth = 16
    /// Connections one uid may hold at once (the daemon's own user is not held to it).
    var maxConnectionsPerUID = 32
    /// Requests one connection may have waiting for answers; further lines stay unread.
    var maxRequestsInFlight = 16
    /// Bytes of answers held for one connection (not yet sent, or parked out of order) past which
    /// no more of its requests are read and none of its queries is started.
    var maxOutputBytes = 4 << 20
    /// The same for all connections together: past it, only connections holding nothing are served.
    var maxOutputBytesTotal = 128 << 20
    /// The largest answer built: a `log` or `status` answer that would be larger comes in pages.
    var maxAnswerBytes = 4 << 20
    /// Heavy queries (`verify`, `log`, `backup`) running at once, over all connections.
    var heavyQueries = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)

    /// The answer to a request line longer than `maxLineBytes`, naming the setting and the way on.
    var lineTooLarge: TrackerError {
        TrackerError(.tooLarge, "the request line is longer than \(maxLineBytes) bytes (max_line_bytes in [limits] of the daemon's configuration); "
            + "it was not read. Send it in smaller requests (trackctl import sends a large file in pieces), or raise max_line_bytes")
    }
}
