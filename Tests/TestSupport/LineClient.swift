import Events
import Foundation
import Glibc

/// A raw NDJSON client over a Unix socket, for tests that need more than trackctl: many concurrent
/// requests, malformed bytes, slow reading. Every read and write has a timeout, so a daemon that
/// never answers fails the test instead of hanging it.
///
/// It builds its own socket address and makes its own system calls: a client that shared the
/// daemon's socket code could share its mistakes.
public final class LineClient: @unchecked Sendable {
    public let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to the socket at `path`; nil when nothing listens there. `timeout` bounds each read
    /// and each write, in seconds.
    public init?(socket path: String, timeout: Double = 30) {
        fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        guard Self.connect(fd, to: path) else {
            close(fd)
            return nil
        }
        var value = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Whether `fd` connects to the Unix socket at `path` (false for a path too long for `sun_path`).
    static func connect(_ fd: Int32, to path: String) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    /// Sends bytes as they are; false when the connection is gone (or the write timed out).
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + done, $0.count - done, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    /// The next line, or nil when the connection ended or no byte came within the timeout.
    public func readLine() -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    /// Whether the daemon has sent bytes this client has not read yet (without waiting or reading them).
    public var hasUnreadBytes: Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT)) == 1 || !buffer.isEmpty
    }

    /// Sends one request line and returns the answer object, or nil when none came back.
    public func call(_ json: String) -> JSONObject? {
        guard send(Array(json.utf8) + [0x0A]), let line = readLine(),
              case .object(let object)? = try? JSONParser().parse(line) else { return nil }
        return object
    }
}
