import Events
import Foundation
import Glibc
import Projections

/// One client connection, served on its own thread with blocking I/O.
///
/// A thread per connection keeps each client's slowness its own: a client that stops reading
/// blocks only its thread, and only until the send timeout; one that stops writing is closed
/// after the idle timeout. The writer and other clients never wait on it.
final class Connection: @unchecked Sendable {
    private let fd: FileDescriptor
    private let handler: RequestHandler
    private let limits: Limits
    private let caller: Caller
    private let onClose: @Sendable () -> Void

    init(fd: FileDescriptor, handler: RequestHandler, limits: Limits, caller: Caller, onClose: @escaping @Sendable () -> Void) {
        self.fd = fd
        self.handler = handler
        self.limits = limits
        self.caller = caller
        self.onClose = onClose
    }

    /// Serves the connection on a new thread until the client leaves.
    func start() {
        let thread = Thread { [self] in
            serve()
            fd.close()
            onClose()
        }
        thread.stackSize = 512 << 10
        thread.start()
    }

    private func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            if case .success = Socket.sendAll(fd, raw) { return true }
            return false
        }
    }

    private func serve() {
        Socket.setTimeouts(fd, receive: limits.idleTimeout, send: limits.sendTimeout)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var pending: [UInt8] = []
        var discarding = false
        let tooLarge = TrackerError(.tooLarge, "the request line is longer than \(limits.maxLineBytes) bytes; it was not read")
        while true {
            let received = buffer.withUnsafeMutableBytes { Socket.receive(fd, into: $0) }
            let count: Int
            switch received {
            case .success(let n):
                count = n
            case .failure(let error):
                if error == .wouldBlock {
                    _ = send(Wire.failure(id: .null, TrackerError(.timeout, "closing the connection after \(Int(limits.idleTimeout)) s without a request")))
                }
                return
            }
            if count == 0 { return }
            var start = 0
            var index = 0
            while index < count {
                guard buffer[index] == 0x0A else { index += 1; continue }
                if discarding {
                    discarding = false
                } else if pending.count + (index - start) > limits.maxLineBytes {
                    if !send(Wire.failure(id: .null, tooLarge)) { return }
                    pending.removeAll(keepingCapacity: false)
                } else {
                    pending.append(contentsOf: buffer[start..<index])
                    if !answer(pending) { return }
                    pending.removeAll(keepingCapacity: true)
                }
                index += 1
                start = index
            }
            if !discarding && start < count {
                pending.append(contentsOf: buffer[start..<count])
                if pending.count > limits.maxLineBytes {
                    if !send(Wire.failure(id: .null, tooLarge)) { return }
                    pending.removeAll(keepingCapacity: false)
                    discarding = true
                }
            }
        }
    }

    /// Answers one line; false when the connection should end.
    private func answer(_ line: [UInt8]) -> Bool {
        var bytes = line[...]
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return true }
        let reply = bytes.withUnsafeBytes { handler.handle($0, caller: caller) }
        switch reply {
        case .line(let response):
            return send(response)
        case .follow(let response, let id, let filter):
            guard send(response) else { return false }
            follow(id: id, filter: filter)
            return false
        }
    }

    /// Streams alerts until the client leaves or the daemon stops.
    private func follow(id: JSONValue, filter: AlertFilter) {
        let subscription = handler.hub.subscribe(filter)
        defer { handler.hub.unsubscribe(subscription) }
        while !subscription.isClosed {
            for alert in subscription.next(waiting: 1.0) {
                guard send(handler.streamLine(id: id, alert)) else { return }
            }
            if Socket.peerClosed(fd) { return }
        }
    }
}
