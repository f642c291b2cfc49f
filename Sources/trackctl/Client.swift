import Events
import Glibc
import Projections

/// A connection to trackerd: one request line out, one response line back.
final class Client {
    private let fd: Int32
    private var input = ReceiveBuffer()
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
                throw TrackerError(.unavailable, "no trackerd is running on \(address). Start it with `trackerd`, or point --socket / "
                    + "TRACKER_SOCKET at its socket. To read a stopped store, a backup or a copy without a daemon: `trackctl --store DIR COMMAND` "
                    + "(read-only, nothing written), `trackctl verify --offline --data-dir DIR`, or serve it with `trackerd --read-only --data-dir DIR --socket PATH`")
            case .permissionDenied:
                throw TrackerError(.forbidden, "permission denied on \(address): your user is not in the daemon's group")
            default:
                throw TrackerError(.ioError, "cannot connect to \(address): \(error)")
            }
        }
    }

    deinit { close(fd) }

    /// The daemon's `hello`, once `greet` has read it.
    private(set) var hello: HelloAnswer?

    /// What the daemon's `hello` said of its protocol.
    enum Greeting {
        /// It speaks this trackctl's protocol; `hello` holds its answer.
        case speaks
        /// Another protocol (nil: its hello named none).
        case speaksOther(Int?)
        /// The caller may not even say hello (no role): its own request is refused the same way,
        /// naming that request.
        case mayNotAsk
    }

    /// Sends `hello` and reads which protocol the daemon speaks. Any refusal but `forbidden`
    /// (a daemon at its connection limit, say) is thrown.
    func greet() throws(TrackerError) -> Greeting {
        let response = try call(.hello)
        if let error = response.error {
            guard error.code == .forbidden else { throw error }
            return .mayNotAsk
        }
        guard let result = response.result else { throw TrackerError(.internal, "the daemon sent no result") }
        let version = HelloAnswer.protocolVersion(of: result)
        guard version == Wire.protocolVersion else { return .speaksOther(version) }
        hello = try HelloAnswer(result: result)
        return .speaks
    }

    /// Sends one request (its members written by `fields`) and returns the response.
    func call(_ op: WireOperation, _ fields: (inout JSONWriter) -> Void = { _ in }) throws(TrackerError) -> Wire.Response {
        var w = JSONWriter(capacity: 256)
        let id = nextID
        nextID += 1
        w.beginObject()
        w.key("id"); w.int(id)
        w.key("op"); w.string(op.name)
        fields(&w)
        w.endObject()
        w.bytes.append(0x0A)
        try send(w.bytes)
        return try Wire.Response.parse(try readLine())
    }

    /// Sends one request and reads its result with `read`, straight from the answer's bytes.
    func call<T>(_ op: WireOperation, _ fields: (inout JSONWriter) -> Void, result read: (inout JSONReader) throws(JSONParseError) -> T) throws(TrackerError) -> T {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("id"); w.int(nextID)
        nextID += 1
        w.key("op"); w.string(op.name)
        fields(&w)
        w.endObject()
        w.bytes.append(0x0A)
        try send(w.bytes)
        return try Wire.Response.read(try readLine(), result: read)
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
        // Only the bytes not yet looked at are searched (answers run to megabytes); counted from
        // the start of the unread bytes, which `makeRoom` may move.
        var searched = 0
        while true {
            if let newline = input.find(0x0A, from: input.start + searched) {
                return input.take(through: newline)
            }
            searched = input.end - input.start
            input.makeRoom(1 << 16)
            let n = systemCall { recv(fd, input.free.baseAddress, input.free.count, 0) }
            switch n {
            case .success(0): throw TrackerError(.unavailable, "trackerd closed the connection")
            case .success(let count): input.end += count
            case .failure(let error): throw TrackerError(.ioError, "reading from trackerd failed: \(error)")
            }
        }
    }

    private func send(_ bytes: [UInt8]) throws(TrackerError) {
        if case .failure(let error) = bytes.withUnsafeBytes({ sendAll(fd, $0) }) {
            throw TrackerError(.ioError, "sending to trackerd failed: \(error)")
        }
    }
}

/// Sends all of `bytes` on a socket, looping over partial sends; a closed peer is an error, not SIGPIPE.
func sendAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Void, Errno> {
    var done = 0
    while done < bytes.count {
        switch systemCall({ Glibc.send(fd, bytes.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }) {
        case .success(let n): done += n
        case .failure(let error): return .failure(error)
        }
    }
    return .success(())
}
