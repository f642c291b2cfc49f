import Events
import Glibc
import Projections

/// A connection to trackerd: one request line out, one response line back.
final class Client {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var nextID: Int64 = 1
    let address: UnixSocketAddress

    /// Connects to the daemon's socket; the error says how to start one when nobody answers.
    init(address: UnixSocketAddress) throws(TrackerError) {
        self.address = address
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TrackerError(.ioError, "cannot create a socket: \(Errno.current)") }
        let result = address.withSockaddr { connect(fd, $0, $1) }
        if result != 0 {
            let error = Errno.current
            close(fd)
            switch error {
            case .noEntry, .connectionRefused:
                throw TrackerError(.unavailable, "no trackerd is running on \(address) (start it with `trackerd`, or point --socket / TRACKER_SOCKET at its socket)")
            case .permissionDenied:
                throw TrackerError(.forbidden, "permission denied on \(address): your user is not in the daemon's group")
            default:
                throw TrackerError(.ioError, "cannot connect to \(address): \(error)")
            }
        }
    }

    deinit { close(fd) }

    /// Sends one request (its members written by `fields`) and returns the response.
    func call(_ op: String, _ fields: (inout JSONWriter) -> Void = { _ in }) throws(TrackerError) -> Wire.Response {
        var w = JSONWriter(capacity: 256)
        let id = nextID
        nextID += 1
        w.beginObject()
        w.key("id"); w.int(id)
        w.key("op"); w.string(op)
        fields(&w)
        w.endObject()
        w.bytes.append(0x0A)
        try send(w.bytes)
        return try Wire.Response.parse(try readLine())
    }

    /// Sends a command built by `Command.encodeFields`.
    func call(_ command: Command) throws(TrackerError) -> Wire.Response {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("id"); w.int(nextID)
        nextID += 1
        command.encodeFields(to: &w)
        w.endObject()
        w.bytes.append(0x0A)
        try send(w.bytes)
        return try Wire.Response.parse(try readLine())
    }

    /// Reads the next line the daemon sends (for streams).
    func readLine() throws(TrackerError) -> [UInt8] {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { raw in systemCall { recv(fd, raw.baseAddress, raw.count, 0) } }
            switch n {
            case .success(0): throw TrackerError(.unavailable, "trackerd closed the connection")
            case .success(let count): buffer.append(contentsOf: chunk[..<count])
            case .failure(let error): throw TrackerError(.ioError, "reading from trackerd failed: \(error)")
            }
        }
    }

    private func send(_ bytes: [UInt8]) throws(TrackerError) {
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                systemCall { Glibc.send(fd, raw.baseAddress! + done, raw.count - done, Int32(MSG_NOSIGNAL)) }
            }
            switch result {
            case .success(let n): done += n
            case .failure(let error): throw TrackerError(.ioError, "sending to trackerd failed: \(error)")
            }
        }
    }
}
