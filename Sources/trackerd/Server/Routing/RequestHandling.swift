import Events
import Projections

/// What the event loop asks of whoever answers requests: a province's daemon (`RequestHandler`)
/// or a national mirror (`MirrorRequestHandler`).
protocol RequestHandling: Sendable {
    /// Answers one request line, now or later through `respond` (which may be called on any thread).
    /// `inline`: the loop may answer a command on the writer's thread straight to the client.
    func handle(_ bytes: UnsafeRawBufferPointer, caller: Caller, inline: Bool, respond: @escaping @Sendable ([UInt8]) -> Void) -> RequestHandler.Reply
    /// Forgets what a closed connection left unfinished.
    func connectionClosed(_ connection: UInt64)
    /// A line streamed to a follower of alerts.
    func streamLine(id: JSONValue, _ alert: Ledger.RaisedAlert) -> [UInt8]
}

extension RequestHandler: RequestHandling {}
