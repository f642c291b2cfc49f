import Glibc

/// The address of a Unix-domain socket: a path that must fit `sun_path` (107 bytes on Linux).
///
/// Only the address; connecting and listening belong to the executables (the Events module does
/// no socket I/O).
public struct UnixSocketAddress: Sendable, CustomStringConvertible {
    /// The socket file's path.
    public let path: String

    /// Checks that `path` fits `sun_path`.
    public init(path: String) throws(TrackerError) {
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        guard !path.isEmpty else { throw TrackerError(.invalidArgument, "the socket path is empty") }
        guard path.utf8.count < capacity else {
            throw TrackerError(.invalidArgument, "the socket path \(path) is \(path.utf8.count) bytes; Unix sockets allow at most \(capacity - 1) (choose a shorter --socket)")
        }
        self.path = path
    }

    /// Calls `body` with a filled `sockaddr_un` and its length.
    public func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    public var description: String { path }
}
