import Events
import Glibc

/// A pipe whose ends never block and are closed on `exec`: the self-pipe of the signal handler
/// and the event loop's wake-up pipe. A byte written says "look"; a full pipe already says so.
struct NonBlockingPipe: Sendable {
    /// The end `poll` or a Dispatch source watches.
    let readEnd: Int32
    /// The end a thread (or a signal handler) writes a byte to.
    let writeEnd: Int32

    init() throws(Errno) {
        var fds: [Int32] = [0, 0]
        _ = try fds.withUnsafeMutableBufferPointer { buffer in
            systemCall { GNU.pipe2(buffer.baseAddress!, O_NONBLOCK | O_CLOEXEC) }
        }.get()
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    /// Writes one byte; a full pipe (`EAGAIN`) already holds a wake-up, so it is not an error.
    func poke(_ byte: UInt8 = 1) {
        var byte = byte
        _ = nonBlockingCall { write(writeEnd, &byte, 1) }
    }

    /// Reads what is in the pipe, up to `limit` bytes at a time, until it is empty; calls `each`
    /// with the bytes of every read.
    func drain(limit: Int = 256, _ each: (ArraySlice<UInt8>) -> Void = { _ in }) {
        var bytes = [UInt8](repeating: 0, count: limit)
        while case .success(.processed(let n)) = nonBlockingCall({ read(readEnd, &bytes, bytes.count) }), n > 0 {
            each(bytes[..<n])
        }
    }

    /// Closes both ends.
    func close() {
        _ = Glibc.close(readEnd)
        _ = Glibc.close(writeEnd)
    }
}
