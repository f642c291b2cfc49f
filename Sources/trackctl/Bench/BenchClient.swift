import Events
import Glibc

/// A minimal blocking client for load: one request line out, one response line back, no parsing
/// beyond checking `"ok":true`. Kept lean so the load generator is not what is measured.
final class BenchClient: @unchecked Sendable {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private var filled = 0

    init(socket path: String) throws(TrackerError) {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let address = try UnixSocketAddress(path: path)
        guard address.withSockaddr({ connect(fd, $0, $1) }) == 0 else {
            let error = Errno.current
            close(fd)
            throw TrackerError(.unavailable, "cannot connect to \(path): \(error)")
        }
    }

    deinit { close(fd) }

    /// Sends `request` (a full line with newline) and waits for the answer line: true when it
    /// says `"ok":true`, false for an error answer, nil when the connection failed.
    func roundTrip(_ request: [UInt8]) -> Bool? {
        guard case .success = request.withUnsafeBytes({ sendAll(fd, $0) }), let line = readLine() else { return nil }
        return firstIndex(of: Self.okPattern, in: line[..<min(line.count, 64)]) != nil
    }

    /// Sends `bytes` (whole request lines) without waiting for answers; false when the connection failed.
    func send(_ bytes: [UInt8]) -> Bool {
        if case .success = bytes.withUnsafeBytes({ sendAll(fd, $0) }) { return true }
        return false
    }

    private static let okPattern: [UInt8] = Array(#""ok":true"#.utf8)

    /// The last answer line read.
    private(set) var lastLine: [UInt8] = []

    private func readLine() -> [UInt8]? {
        var searchFrom = 0
        while true {
            let found = buffer.withUnsafeBytes { raw in memchr(raw.baseAddress! + searchFrom, 0x0A, filled - searchFrom) }
            if let found {
                let newline = buffer.withUnsafeBytes { raw in raw.baseAddress!.distance(to: UnsafeRawPointer(found)) }
                lastLine = Array(buffer[0..<newline])
                let rest = filled - (newline + 1)
                if rest > 0 { buffer.withUnsafeMutableBytes { _ = memmove($0.baseAddress!, $0.baseAddress! + newline + 1, rest) } }
                filled = rest
                return lastLine
            }
            searchFrom = filled
            if filled == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            // Wait in poll for the answer, as libpq does, not in recv: the daemon's reading of the
            // request wakes every thread asleep in recv on this socket (the room it frees to write),
            // and each such wake-up costs the shared cores a pair of context switches.
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&ready, 1, -1) < 0 && errno == EINTR { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + filled, $0.count - filled, 0) }
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return nil }
            filled += n
        }
    }
}

/// Where `pattern` first occurs in `bytes`, or nil.
func firstIndex(of pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
    guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
    var index = bytes.startIndex
    while index <= bytes.endIndex - pattern.count {
        if bytes[index] == pattern[0] && bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
        index += 1
    }
    return nil
}
