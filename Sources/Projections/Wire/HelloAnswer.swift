import Events

/// The answer to `hello`: who answers, in which protocol, for which store, and where its log and
/// clock stand.
///
///     {"server":"trackerd","protocol":2,"store":"/var/lib/tracker","head":{…},"today":"2023-11-30","simulated":false}
public struct HelloAnswer: Sendable, Equatable {
    /// `trackerd`.
    public var server: String
    /// The protocol the daemon speaks (`Wire.protocolVersion` of its build).
    public var protocolVersion: Int
    /// The store's directory.
    public var store: String
    public var head: LogHead
    public var clock: ClockReading
    /// Why writes are refused, while they are (after a failed sync).
    public var writesSuspended: String?

    public init(server: String = "trackerd", protocolVersion: Int = Wire.protocolVersion, store: String, head: LogHead, clock: ClockReading,
                writesSuspended: String? = nil) {
        self.server = server
        self.protocolVersion = protocolVersion
        self.store = store
        self.head = head
        self.clock = clock
        self.writesSuspended = writesSuspended
    }

    /// Writes the answer's members into an open result object.
    public func encode(to w: inout JSONWriter) {
        w.key("server"); w.string(server)
        w.key("protocol"); w.int(protocolVersion)
        w.key("store"); w.string(store)
        head.encode(to: &w)
        clock.encode(to: &w)
        if let writesSuspended { w.key("writes_suspended"); w.string(writesSuspended) }
    }

    /// The protocol a `hello` answer names, read before anything else in it (whose shape is that
    /// protocol's); nil when it names none.
    public static func protocolVersion(of result: JSONObject) -> Int? {
        guard case .int(let version)? = result["protocol"], let version = Int(exactly: version) else { return nil }
        return version
    }

    /// Reads a `hello` answer.
    public init(result: JSONObject) throws(TrackerError) {
        guard let version = Self.protocolVersion(of: result) else { throw TrackerError(.badRequest, "the daemon's hello names no protocol") }
        self.init(server: try result.string("server"), protocolVersion: version, store: try result.string("store"),
                  head: try LogHead(in: result), clock: try ClockReading(in: result),
                  writesSuspended: try result.optionalString("writes_suspended"))
    }
}
