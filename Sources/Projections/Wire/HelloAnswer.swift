import Events

/// The answer to `hello`: who answers, in which protocol, for which store, and where its log and
/// clock stand.
///
///     {"server":"trackerd","protocol":2,"store":"/var/lib/tracker","head":{…},"today":"2023-11-30","simulated":false,
///      "store_id":"5f0c…","province":"QNG","stream":{…}}
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
    /// The store's stable id (`store.id`), nil from a daemon before ids.
    public var storeID: String?
    /// The store's province code (`[store] province`).
    public var province: String?
    /// Publishing to JetStream, when configured.
    public var stream: StreamStatus?

    public init(server: String = "trackerd", protocolVersion: Int = Wire.protocolVersion, store: String, head: LogHead, clock: ClockReading,
                writesSuspended: String? = nil, storeID: String? = nil, province: String? = nil, stream: StreamStatus? = nil) {
        self.server = server
        self.protocolVersion = protocolVersion
        self.store = store
        self.head = head
        self.clock = clock
        self.writesSuspended = writesSuspended
        self.storeID = storeID
        self.province = province
        self.stream = stream
    }

    /// Writes the answer's members into an open result object.
    public func encode(to w: inout JSONWriter) {
        w.key("server"); w.string(server)
        w.key("protocol"); w.int(protocolVersion)
        w.key("store"); w.string(store)
        head.encode(to: &w)
        clock.encode(to: &w)
        if let writesSuspended { w.key("writes_suspended"); w.string(writesSuspended) }
        if let storeID { w.key("store_id"); w.string(storeID) }
        if let province { w.key("province"); w.string(province) }
        stream?.encode(to: &w)
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
                  writesSuspended: try result.optionalString("writes_suspended"), storeID: try result.optionalString("store_id"),
                  province: try result.optionalString("province"), stream: try StreamStatus(in: result))
    }
}
