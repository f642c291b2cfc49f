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

/// Where things live by default: `--data-dir` / `TRACKER_HOME`, else `$XDG_STATE_HOME/tracker`,
/// else `~/.local/state/tracker`; the socket is `--socket` / `TRACKER_SOCKET`, else
/// `trackerd.sock` inside the store directory.
public enum DefaultPaths {
    /// The environment variable naming the store directory.
    public static let homeVariable = "TRACKER_HOME"
    /// The environment variable naming the socket.
    public static let socketVariable = "TRACKER_SOCKET"

    /// The store directory from an explicit value, the environment, or the XDG default.
    public static func dataDirectory(explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let home = environment(homeVariable) { return home }
        if let state = environment("XDG_STATE_HOME") { return state + "/tracker" }
        let home = environment("HOME") ?? "."
        return home + "/.local/state/tracker"
    }

    /// The socket path from an explicit value, the environment, or `<data dir>/trackerd.sock`.
    public static func socketPath(explicit: String?, dataDirectory: String) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let socket = environment(socketVariable) { return socket }
        return dataDirectory + "/trackerd.sock"
    }

    /// A non-empty environment variable.
    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}
