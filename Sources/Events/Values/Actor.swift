/// Who caused a record: the Unix user on the other end of the socket (from `SO_PEERCRED`).
public struct Actor: Sendable, Hashable, CustomStringConvertible {
    /// The numeric user id.
    public let uid: UInt32
    /// The user name at the time, or the uid in decimal when the system has no name for it.
    public let name: String

    /// An actor with the given uid and name.
    public init(uid: UInt32, name: String) {
        self.uid = uid
        self.name = name
    }

    public var description: String { "\(name) (uid \(uid))" }
}
