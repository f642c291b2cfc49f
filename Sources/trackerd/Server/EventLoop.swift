import Events
import Foundation
import Glibc
import Projections

/// The socket server: one thread, non-blocking sockets, `poll`.
///
/// It accepts connections, reads request lines, hands each to the `RequestHandler` and writes the
/// answers back in request order. Commands are answered later, when the writer has made them
/// durable; the writer (or a query worker) posts the answer here and wakes the loop through a pipe.
/// Under load the loop rarely sleeps: it reads what every ready connection sent, so many requests
/// reach the writer between two syncs (group commit), with no thread switch per request.
///
/// A slow client cannot hold anyone up: sockets never block the loop; a client that does not read
/// its answers stops being read from (its output is capped) and is dropped after the send timeout.
final class EventLoop: @unchecked Sendable {
    /// One client's state; a class, so the buffers are changed in place (a struct copied out of
    /// the dictionary and back would copy its buffers on every change).
    private final class Connection {
        let fd: Int32
        let caller: Caller
        var input: [UInt8] = []
        var discarding = false
        var output: [UInt8] = []
        var sent = 0
        var nextRequest: UInt64 = 0
        var nextReply: UInt64 = 0
        var parked: [UInt64: [UInt8]] = [:]
        var lastActivity: Double
        var lastProgress: Double
        var following = false
        var closeAfterFlush = false

        var pendingOutput: Int { output.count - sent }
        var inFlight: UInt64 { nextRequest - nextReply }

        init(fd: Int32, caller: Caller, now: Double) {
            self.fd = fd
            self.caller = caller
            lastActivity = now
            lastProgress = now
        }
    }

    private enum Message {
        case reply(UInt64, seq: UInt64, [UInt8])
        case stream(UInt64, [UInt8])
    }

    private let address: UnixSocketAddress
    private let listener: FileDescriptor
    private let handler: RequestHandler
    private let limits: Limits
    private let access: AccessPolicy
    private let log: DaemonLog
    private let hub: AlertHub
    private var connections: [UInt64: Connection] = [:]
    private var nextID: UInt64 = 1
    private let inbox = LockedBox<(messages: [Message], signalled: Bool)>(([], false))
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let state = LockedBox<(accepting: Bool, running: Bool)>((true, true))
    private let finished = ConditionLock()
    private var done = false
    private var readBuffer = [UInt8](repeating: 0, count: 256 << 10)
    /// Output kept for one client before it stops being read from.
    private let outputCap = 8 << 20
    /// Requests one client may have waiting for answers before it stops being read from.
    private let inFlightCap: UInt64 = 256

    init(address: UnixSocketAddress, handler: RequestHandler, limits: Limits, access: AccessPolicy, log: DaemonLog, hub: AlertHub) throws(TrackerError) {
        self.address = address
        self.handler = handler
        self.limits = limits
        self.access = access
        self.log = log
        self.hub = hub
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TrackerError(.ioError, "cannot create the wake-up pipe: \(Errno.current)") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        listener = try Socket.listen(at: address)
    }

    /// Starts serving on a thread of its own.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "trackerd-loop"
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Stops accepting and reading requests and removes the socket; answers still owed keep flowing.
    func stopAccepting() {
        state.withLockedValue { $0.accepting = false }
        wake()
    }

    /// Sends what is owed (up to `seconds`), closes every connection and ends the loop.
    func finish(within seconds: Double) {
        let deadline = monotonicNow() + seconds
        while monotonicNow() < deadline {
            let owed = inbox.withLockedValue { !$0.messages.isEmpty }
            if !owed && outputDrained.withLockedValue({ $0 }) { break }
            usleep(5_000)
        }
        state.withLockedValue { $0.running = false }
        wake()
        finished.withLock { while !done { _ = finished.wait(seconds: 0.1) } }
    }

    private let outputDrained = LockedBox(true)

    /// Queues an answer for connection `id` (any thread).
    private func post(_ message: Message) {
        let mustWake = inbox.withLockedValue { box -> Bool in
            box.messages.append(message)
            defer { box.signalled = true }
            return !box.signalled
        }
        if mustWake { wake() }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: The loop

    private func run() {
        var polls: [pollfd] = []
        var ids: [UInt64] = []
        var listening = true
        while true {
            let (accepting, running) = state.withLockedValue { ($0.accepting, $0.running) }
            if !accepting && listening {
                listening = false
                listener.close()
                unlink(address.path)
            }
            if !running { break }
            polls.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            polls.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            if listening { polls.append(pollfd(fd: listener.rawValue, events: Int16(POLLIN), revents: 0)) }
            let base = polls.count
            for (id, connection) in connections {
                // A client that has hung up is only waited on for the answers it is owed.
                if connection.closeAfterFlush && connection.pendingOutput == 0 { continue }
                var events: Int16 = 0
                if connection.following || (accepting && !connection.closeAfterFlush && connection.pendingOutput < outputCap
                                            && connection.inFlight < inFlightCap) {
                    events |= Int16(POLLIN)
                }
                if connection.pendingOutput > 0 { events |= Int16(POLLOUT) }
                polls.append(pollfd(fd: connection.fd, events: events, revents: 0))
                ids.append(id)
            }
            let ready = poll(&polls, nfds_t(polls.count), 250)
            if ready < 0 && errno != EINTR {
                log.error("poll failed: \(Errno.current)")
                usleep(10_000)
            }
            let now = monotonicNow()
            if polls[0].revents != 0 { drainWake() }
            deliverInbox(now: now)
            if listening && polls[1].revents != 0 { acceptAll(now: now) }
            for index in 0..<ids.count {
                let revents = polls[base + index].revents
                guard revents != 0, connections[ids[index]] != nil else { continue }
                if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { read(ids[index], now: now) }
            }
            // Answers posted while reading go out in this turn.
            deliverInbox(now: now)
            var drained = true
            for id in Array(connections.keys) {
                flush(id, now: now)
                if let connection = connections[id], connection.pendingOutput > 0 { drained = false }
            }
            outputDrained.withLockedValue { $0 = drained && inbox.withLockedValue { $0.messages.isEmpty } }
            expire(now: now)
        }
        for id in Array(connections.keys) { close(id) }
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
        finished.withLock {
            done = true
            finished.broadcast()
        }
    }

    private func drainWake() {
        var bytes = [UInt8](repeating: 0, count: 256)
        while Glibc.read(wakeRead, &bytes, bytes.count) > 0 {}
    }

    private func deliverInbox(now: Double) {
        let messages = inbox.withLockedValue { box -> [Message] in
            box.signalled = false
            defer { box.messages.removeAll(keepingCapacity: true) }
            return box.messages
        }
        for message in messages {
            switch message {
            case .reply(let id, let seq, let bytes): deliver(id, seq: seq, bytes)
            case .stream(let id, let bytes):
                connections[id]?.output.append(contentsOf: bytes)
            }
        }
    }

    /// Puts an answer in its place: answers go out in the order of the requests.
    private func deliver(_ id: UInt64, seq: UInt64, _ bytes: [UInt8]) {
        guard let connection = connections[id] else { return }
        if seq == connection.nextReply {
            connection.output.append(contentsOf: bytes)
            connection.nextReply += 1
            while let next = connection.parked.removeValue(forKey: connection.nextReply) {
                connection.output.append(contentsOf: next)
                connection.nextReply += 1
            }
        } else {
            connection.parked[seq] = bytes
        }
    }

    private func acceptAll(now: Double) {
        while true {
            let client: FileDescriptor
            switch Socket.accept(listener) {
            case .success(nil): return
            case .failure(let error):
                log.warning("accept failed: \(error)")
                return
            case .success(let accepted?): client = accepted
            }
            _ = fcntl(client.rawValue, F_SETFL, fcntl(client.rawValue, F_GETFL) | O_NONBLOCK)
            guard connections.count < limits.maxConnections else {
                let line = Wire.failure(id: .null, TrackerError(.busy, "trackerd is serving \(limits.maxConnections) connections, its limit; try again shortly"))
                _ = line.withUnsafeBytes { send(client.rawValue, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                client.close()
                continue
            }
            let credentials = Socket.peerCredentials(client)
            let uid = credentials?.uid ?? UInt32.max
            let gid = credentials?.gid ?? UInt32.max
            let caller = Caller(actor: Actor(uid: uid, name: credentials == nil ? "unknown" : Socket.userName(uid)), gid: gid,
                                pid: credentials?.pid ?? 0, role: credentials == nil ? nil : access.role(uid: uid, gid: gid))
            connections[nextID] = Connection(fd: client.rawValue, caller: caller, now: now)
            nextID += 1
        }
    }

    private func read(_ id: UInt64, now: Double) {
        guard let connection = connections[id] else { return }
        let fd = connection.fd
        let count = readBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if count < 0 {
            if errno == EAGAIN || errno == EINTR { return }
            close(id)
            return
        }
        if count == 0 {
            // The client is done sending (it may wait for answers still owed: `socat` does).
            connection.closeAfterFlush = true
            if connection.inFlight == 0 && connection.pendingOutput == 0 { close(id) }
            return
        }
        connection.lastActivity = now
        if connection.following { return }
        var start = 0
        var index = 0
        let tooLarge = TrackerError(.tooLarge, "the request line is longer than \(limits.maxLineBytes) bytes; it was not read")
        while index < count {
            guard readBuffer[index] == 0x0A else { index += 1; continue }
            if connection.discarding {
                connection.discarding = false
            } else if connection.input.count + (index - start) > limits.maxLineBytes {
                connection.input.removeAll(keepingCapacity: false)
                respondNow(connection, Wire.failure(id: .null, tooLarge))
            } else {
                if connection.input.isEmpty {
                    readBuffer.withUnsafeBytes { raw in
                        answer(id, connection, UnsafeRawBufferPointer(rebasing: raw[start..<index]))
                    }
                } else {
                    connection.input.append(contentsOf: readBuffer[start..<index])
                    let line = connection.input
                    connection.input.removeAll(keepingCapacity: true)
                    line.withUnsafeBytes { answer(id, connection, $0) }
                }
                if connection.following { break }
            }
            index += 1
            start = index
        }
        if !connection.discarding && !connection.following && start < count {
            connection.input.append(contentsOf: readBuffer[start..<count])
            if connection.input.count > limits.maxLineBytes {
                connection.input.removeAll(keepingCapacity: false)
                connection.discarding = true
                respondNow(connection, Wire.failure(id: .null, tooLarge))
            }
        }
    }

    /// An answer to the next request, produced here and now.
    private func respondNow(_ connection: Connection, _ bytes: [UInt8]) {
        let seq = connection.nextRequest
        connection.nextRequest += 1
        if seq == connection.nextReply && connection.parked.isEmpty {
            connection.output.append(contentsOf: bytes)
            connection.nextReply += 1
        } else {
            connection.parked[seq] = bytes
        }
    }

    private func answer(_ id: UInt64, _ connection: Connection, _ line: UnsafeRawBufferPointer) {
        var bytes = line
        if let last = bytes.last, last == 0x0D { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        let seq = connection.nextRequest
        let reply = handler.handle(bytes, caller: connection.caller) { [weak self] answer in
            self?.post(.reply(id, seq: seq, answer))
        }
        switch reply {
        case .line(let answer):
            respondNow(connection, answer)
        case .pending:
            connection.nextRequest += 1
        case .follow(let answer, let requestID, let filter):
            respondNow(connection, answer)
            connection.following = true
            connection.input.removeAll()
            hub.subscribe(id, filter: filter) { [weak self, handler] alert in
                self?.post(.stream(id, handler.streamLine(id: requestID, alert)))
            }
        }
    }

    private func flush(_ id: UInt64, now: Double) {
        guard let connection = connections[id] else { return }
        while connection.pendingOutput > 0 {
            let n = connection.output.withUnsafeBytes { raw in
                send(connection.fd, raw.baseAddress! + connection.sent, raw.count - connection.sent, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if n > 0 {
                connection.sent += n
                connection.lastProgress = now
                continue
            }
            if n < 0 && (errno == EAGAIN || errno == EINTR) { break }
            close(id)
            return
        }
        if connection.pendingOutput == 0 && connection.sent > 0 {
            connection.output.removeAll(keepingCapacity: connection.output.count < 1 << 20)
            connection.sent = 0
        }
        if connection.closeAfterFlush && connection.pendingOutput == 0 && connection.inFlight == 0 { close(id) }
    }

    /// Drops clients that do not read their answers, and closes idle ones.
    private func expire(now: Double) {
        for (id, connection) in connections {
            if connection.pendingOutput > 0 && now - connection.lastProgress > limits.sendTimeout {
                log.warning("dropped a client (uid \(connection.caller.actor.uid)) that did not read its answers for \(Int(limits.sendTimeout)) s")
                close(id)
            } else if !connection.following && !connection.closeAfterFlush && connection.inFlight == 0 && connection.pendingOutput == 0
                        && now - connection.lastActivity > limits.idleTimeout {
                respondNow(connection, Wire.failure(id: .null, TrackerError(.timeout, "closing the connection after \(Int(limits.idleTimeout)) s without a request")))
                connection.closeAfterFlush = true
                flush(id, now: now)
            }
        }
    }

    private func close(_ id: UInt64) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        if connection.following { hub.unsubscribe(id) }
        Glibc.close(connection.fd)
    }
}

/// Seconds on the monotonic clock.
func monotonicNow() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
