import Events

/// The way past the event loop for a command's answer: the thread that makes the answer (the
/// writer, once the records are durable) sends it to the client itself when nothing else of that
/// connection is waiting to be sent, so an uncontended write costs no wake-up of the loop.
///
/// The loop allows it for one request at a time (`allow`), only when that request's answer is the
/// next one due and every byte before it has gone; until the loop learns the answer went (the
/// message posted before the bytes are sent), everything it makes for the connection waits behind
/// it, parked. The loop's own sends on the connection, and its closing of the socket, take the
/// same lock, and send first what the socket did not take of a direct answer (`sendLeftover`), so
/// no two threads write to the socket at once, bytes never change order, and an answer never goes
/// to a descriptor number reused by another client.
final class DirectAnswer: Sendable {
    private struct State {
        var fd: Int32
        var allowed: UInt64?
        /// What the socket did not take of a direct answer; the loop sends it before anything else.
        var leftover: [UInt8] = []
        var leftoverSent = 0
    }

    private let state: LockedBox<State>

    init(fd: Int32) { state = LockedBox(State(fd: fd)) }

    /// The loop: the answer to request `seq` may be sent by the thread that makes it.
    func allow(_ seq: UInt64) { state.withLockedValue { $0.allowed = seq } }

    /// The loop: answers go through it again (something else is to be sent on the connection).
    func revoke() { state.withLockedValue { $0.allowed = nil } }

    /// The loop: closes the socket; no answer is sent to it afterwards.
    func close() {
        state.withLockedValue { state in
            if state.fd >= 0 { FileDescriptor(rawValue: state.fd).close() }
            state = State(fd: -1)
        }
    }

    /// Any thread: when the answer to `seq` may go straight to the client, calls `announce` (which
    /// tells the loop it is answered) and sends `bytes` without blocking, keeping what the socket
    /// does not take for the loop, then true; false when the loop is to place the answer itself.
    /// `leftover` is called, after `announce`, when some of it is kept.
    func send(_ bytes: [UInt8], seq: UInt64, announce: () -> Void, leftover: () -> Void) -> Bool {
        state.withLockedValue { state -> Bool in
            guard state.fd >= 0, state.allowed == seq else { return false }
            state.allowed = nil
            announce()
            let sent: Int
            switch bytes.withUnsafeBytes({ Socket.send(state.fd, $0) }) {
            case .success(.processed(let count)): sent = count
            case .success(.wouldBlock), .failure: sent = 0
            }
            if sent < bytes.count {
                state.leftover = bytes
                state.leftoverSent = sent
                leftover()
            }
            return true
        }
    }

    /// What `sendLeftover` found.
    enum Flush {
        /// Nothing of a direct answer is left to send.
        case clear
        /// Some is left and the socket takes no more now.
        case waiting
        /// The socket failed.
        case failed
    }

    /// The loop, before sending anything else on the connection: sends what is left of a direct answer.
    func sendLeftover() -> Flush {
        state.withLockedValue { state -> Flush in
            while state.leftoverSent < state.leftover.count {
                let result = state.leftover.withUnsafeBytes { raw in
                    Socket.send(state.fd, UnsafeRawBufferPointer(rebasing: raw[state.leftoverSent...]))
                }
                switch result {
                case .success(.processed(let count)) where count > 0: state.leftoverSent += count
                case .success(.wouldBlock): return .waiting
                case .success, .failure: return .failed
                }
            }
            state.leftover = []
            state.leftoverSent = 0
            return .clear
        }
    }
}
