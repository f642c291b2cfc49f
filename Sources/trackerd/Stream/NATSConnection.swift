import Events
import Foundation
import Glibc
import Projections

/// Where a NATS server listens: `nats://host:port` or `host:port` (port 4222 when none is given).
struct NATSServerAddress: Sendable, Equatable, CustomStringConvertible {
    var host: String
    var port: UInt16

    /// Parses `nats://host:port`, `host:port` or `host`; the error names what was wrong.
    init(_ text: String) throws(TrackerError) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.hasPrefix("nats://") { rest = rest.dropFirst(7) }
        if rest.hasPrefix("tls://") {
            throw TrackerError(.invalidArgument, "'\(text)': trackerd does not speak TLS; run a local nats-server (a leaf node) and point trackerd at it on loopback")
        }
        guard !rest.contains("@"), !rest.contains("/") else {
            throw TrackerError(.invalidArgument, "'\(text)': write the server as nats://host:port (credentials go in user/password or token)")
        }
        var port: UInt16 = 4222
        if let colon = rest.lastIndex(of: ":") {
            guard let number = UInt16(rest[rest.index(after: colon)...]), number > 0 else {
                throw TrackerError(.invalidArgument, "'\(text)': the port must be a number from 1 to 65535")
            }
            port = number
            rest = rest[..<colon]
        }
        guard !rest.isEmpty, rest.utf8.count <= 253, rest.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw TrackerError(.invalidArgument, "'\(text)': no host name")
        }
        host = String(rest)
        self.port = port
    }

    var description: String { "nats://\(host):\(port)" }
}

/// A connection to one NATS server, spoken over plain TCP by hand (the client protocol: INFO,
/// CONNECT, PING/PONG, SUB, PUB/HPUB, MSG/HMSG, +OK/-ERR), used by one thread at a time.
///
/// It makes requests: a message published with a reply subject under the connection's own inbox
/// (`_INBOX.<random>.<n>`, one `SUB` to `_INBOX.<random>.*`), and the first reply to that
/// subject returned. Replies to earlier requests that came too late are passed over. Every
/// read and write has a deadline; a server that stops answering ends the connection with an
/// error, never a hang.
final class NATSConnection {
    let server: NATSServerAddress
    private let fd: Int32
    private var parser = NATSParser()
    private let inbox: String
    private var nextToken: UInt64 = 1
    private var readBuffer = [UInt8](repeating: 0, count: 256 << 10)
    /// What the server said of itself (`server_name`, `max_payload`, …).
    private(set) var info = JSONObject()
    private var closed = false

    /// Connects to `server`, reads its INFO, sends CONNECT (with the credentials) and a PING, and
    /// waits for the PONG that proves the server took the CONNECT. `timeout` bounds each step.
    init(server: NATSServerAddress, name: String, user: String?, password: String?, token: String?, timeout: Double) throws(TrackerError) {
        self.server = server
        fd = try Self.open(server, timeout: timeout)
        var random = [UInt8](repeating: 0, count: 8)
        do throws(TrackerError) { try FileSystem.randomBytes(&random, for: "a NATS inbox") } catch {
            Glibc.close(fd)
            throw error
        }
        inbox = "_INBOX." + random.map { String($0, radix: 16) }.joined()
        do throws(TrackerError) {
            let deadline = monotonicNow() + timeout
            guard case .info(let info) = try nextFrame(until: deadline) else {
                throw TrackerError(.unavailable, "\(server) did not begin with INFO: not a NATS server?")
            }
            self.info = info
            if case .int(let max)? = info["max_payload"], max > 0 { parser.maxPayload = Int(max) }
            try send(NATSCommand.connect(name: name, user: user, password: password, token: token))
            try send(NATSCommand.subscribe(inbox + ".*", sid: "1"))
            try send(NATSCommand.ping)
            while true {
                switch try nextFrame(until: deadline) {
                case .pong: return
                case .error(let text):
                    throw TrackerError(.unavailable, "\(server) refused the connection: \(text)")
                default: continue
                }
            }
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    deinit { close() }

    /// Closes the connection (once).
    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// Publishes `payload` (with `headers`) to `subject` and waits up to `timeout` seconds for the
    /// reply. A server that answers nothing in time, or a connection that breaks, is an error.
    func request(_ subject: String, headers: NATSHeaders? = nil, payload: [UInt8], timeout: Double) throws(TrackerError) -> NATSMessage {
        let reply = inbox + "." + String(nextToken)
        nextToken += 1
        try send(NATSCommand.publish(subject, replyTo: reply, headers: headers, payload: payload))
        let deadline = monotonicNow() + timeout
        while true {
            switch try nextFrame(until: deadline) {
            case .message(let message) where message.subject == reply: return message
            case .error(let text): throw TrackerError(.unavailable, "\(server) answered -ERR '\(text)'")
            default: continue
            }
        }
    }

    /// Sends a JetStream pull request `payload` to `subject` (a `CONSUMER.MSG.NEXT`) without
    /// waiting: its messages come to `receive` (the caller keeps requests outstanding so that the
    /// server sends while the caller works). Returns the reply subject that ends it (its status).
    func requestPull(_ subject: String, payload: [UInt8]) throws(TrackerError) -> String {
        let reply = inbox + "." + String(nextToken)
        nextToken += 1
        try send(NATSCommand.publish(subject, replyTo: reply, headers: nil, payload: payload))
        return reply
    }

    /// What `receive` found: JetStream messages (their `replyTo` is the `$JS.ACK.…` subject to
    /// acknowledge them by), and the pull requests the server ended (404 no messages, 408 expired).
    struct Pulled {
        var messages: [NATSMessage] = []
        var ended: [String] = []
    }

    /// Waits up to `timeout` seconds for messages of pull requests, then takes what has already
    /// arrived without waiting more, up to `max` messages. A status other than 404/408 on a pull
    /// (409: the consumer was deleted, a leader changed…) is an error, as is `-ERR`.
    func receive(max: Int, timeout: Double) throws(TrackerError) -> Pulled {
        var pulled = Pulled()
        pulled.messages.reserveCapacity(max)
        var deadline = monotonicNow() + timeout
        while pulled.messages.count < max {
            let frame: NATSFrame
            do throws(TrackerError) { frame = try nextFrame(until: deadline) } catch where error.code == .timeout { break }
            switch frame {
            case .message(let message) where message.replyTo?.hasPrefix("$JS.ACK.") == true:
                pulled.messages.append(message)
            case .message(let message) where message.subject.hasPrefix(inbox):
                guard let status = message.headers?.status else { continue }
                guard status == 404 || status == 408 else {
                    throw TrackerError(.unavailable, "JetStream answered the pull with status \(status) \(message.headers?.statusDescription ?? "")")
                }
                pulled.ended.append(message.subject)
            case .error(let text): throw TrackerError(.unavailable, "\(server) answered -ERR '\(text)'")
            default: continue
            }
            // Something came: from now on only what is already here or arrives at once.
            deadline = 0
        }
        return pulled
    }

    /// Publishes without waiting for anything (an acknowledgement to `$JS.ACK.…`).
    func publish(_ subject: String, payload: [UInt8]) throws(TrackerError) {
        try send(NATSCommand.publish(subject, replyTo: nil, headers: nil, payload: payload))
    }

    /// Sends bytes whole, or throws.
    private func send(_ bytes: [UInt8]) throws(TrackerError) {
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                systemCall { Glibc.send(fd, raw.baseAddress! + done, raw.count - done, Int32(MSG_NOSIGNAL)) }
            }
            switch result {
            case .success(let n): done += n
            case .failure(let error):
                throw TrackerError(.unavailable, error == .wouldBlock ? "\(server) took nothing for too long" : "sending to \(server) failed: \(error)")
            }
        }
    }

    /// The next frame, answering the server's PINGs on the way; an error past `deadline`.
    private func nextFrame(until deadline: Double) throws(TrackerError) -> NATSFrame {
        var lookedOnce = false
        while true {
            let parsed: NATSFrame?
            do throws(NATSParser.ParseError) { parsed = try parser.next() } catch {
                throw TrackerError(.unavailable, "\(server) sent what is not the NATS protocol: \(error)")
            }
            if let frame = parsed {
                if case .ping = frame { try send(NATSCommand.pong); continue }
                return frame
            }
            // Past the deadline, what has already arrived is still read (once, without waiting).
            let left = deadline - monotonicNow()
            if left <= 0 {
                guard !lookedOnce else { throw TrackerError(.timeout, "\(server) did not answer within the time allowed") }
                lookedOnce = true
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = Glibc.poll(&poller, 1, left <= 0 ? 0 : Int32(min(left, 1) * 1000) + 1)
            if ready < 0 && errno != EINTR { throw TrackerError(.unavailable, "waiting for \(server) failed: \(Errno.current)") }
            guard ready > 0 else { continue }
            let n = readBuffer.withUnsafeMutableBytes { raw in systemCall { recv(fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT)) } }
            switch n {
            case .success(0): throw TrackerError(.unavailable, "\(server) closed the connection")
            case .success(let count): readBuffer.withUnsafeBytes { parser.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            case .failure(let error) where error == .wouldBlock: continue
            case .failure(let error): throw TrackerError(.unavailable, "reading from \(server) failed: \(error)")
            }
        }
    }

    /// A TCP connection to `server` (its name resolved), with send and connect bounded by `timeout`.
    private static func open(_ server: NATSServerAddress, timeout: Double) throws(TrackerError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>? = nil
        let status = getaddrinfo(server.host, String(server.port), &hints, &found)
        guard status == 0, let first = found else {
            throw TrackerError(.unavailable, "cannot resolve \(server.host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(found) }
        var lastError = Errno.connectionRefused
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            guard case .success(let fd) = systemCall({ socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }) else {
                lastError = Errno.current
                continue
            }
            var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            switch systemCall({ connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) }) {
            case .success: return fd
            case .failure(let error):
                lastError = error
                Glibc.close(fd)
            }
        }
        throw TrackerError(.unavailable, "cannot connect to \(server): \(lastError)")
    }
}
