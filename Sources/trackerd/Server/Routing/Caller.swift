import Events

/// Who is asking: from the socket's peer credentials.
struct Caller: Sendable {
    var actor: Actor
    var gid: UInt32
    var pid: Int32
    /// From the configuration's `[roles]` (`AccessPolicy`); nil: no access at all.
    var role: Role?
    /// The agencies it may act for (`clerk of BDT`); nil: every agency.
    var scope: AgencyScope? = nil
    /// The daemon's number of the connection (an import sent in pieces is kept by it).
    var connection: UInt64 = 0
}
