import Dispatch
import Events
import Glibc
import Projections

/// The listening socket: accepts connections from a Dispatch read source until `EAGAIN`, reads
/// each caller's credentials, and hands the connection to its own thread.
final class Listener: @unchecked Sendable {
    private let address: UnixSocketAddress
    private let fd: FileDescriptor
    private let source: DispatchSourceRead
    private let queue = DispatchQueue(label: "trackerd.accept")
    private let handler: RequestHandler
    private let limits: Limits
    private let access: AccessPolicy
    private let log: DaemonLog
    private let open = LockedBox(0)

    init(address: UnixSocketAddress, handler: RequestHandler, limits: Limits, access: AccessPolicy, log: DaemonLog) throws(TrackerError) {
        self.address = address
        self.handler = handler
        self.limits = limits
        self.access = access
        self.log = log
        fd = try Socket.listen(at: address)
        source = DispatchSource.makeReadSource(fileDescriptor: fd.rawValue, queue: queue)
    }

    /// Starts accepting.
    func start() {
        source.setEventHandler { [self] in acceptAll() }
        source.resume()
    }

    /// Stops accepting and removes the socket file. Connections already open finish their request.
    func stop() {
        queue.sync {
            source.cancel()
            fd.close()
            unlink(address.path)
        }
    }

    /// Connections open now.
    var openConnections: Int { open.withLockedValue { $0 } }

    private func acceptAll() {
        while true {
            switch Socket.accept(fd) {
            case .success(nil):
                return
            case .failure(let error):
                log.warning("accept failed: \(error)")
                return
            case .success(let client?):
                admit(client)
            }
        }
    }

    private func admit(_ client: FileDescriptor) {
        let admitted = open.withLockedValue { count -> Bool in
            guard count < limits.maxConnections else { return false }
            count += 1
            return true
        }
        guard admitted else {
            Socket.setTimeouts(client, receive: 1, send: 1)
            let line = Wire.failure(id: .null, TrackerError(.busy, "trackerd is serving \(limits.maxConnections) connections, its limit; try again shortly"))
            _ = line.withUnsafeBytes { Socket.sendAll(client, $0) }
            client.close()
            return
        }
        let credentials = Socket.peerCredentials(client)
        let uid = credentials?.uid ?? UInt32.max
        let gid = credentials?.gid ?? UInt32.max
        let caller = Caller(actor: Actor(uid: uid, name: credentials == nil ? "unknown" : Socket.userName(uid)), gid: gid,
                            pid: credentials?.pid ?? 0, role: credentials == nil ? nil : access.role(uid: uid, gid: gid))
        let connection = Connection(fd: client, handler: handler, limits: limits, caller: caller) { [open] in
            open.withLockedValue { $0 -= 1 }
        }
        connection.start()
    }
}
