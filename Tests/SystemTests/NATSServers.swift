import Events
import Foundation
import Glibc
import Projections
import Testing
import TestSupport

/// Real `nats-server` processes on loopback for the stream's tests: one node, or a cluster of
/// three with JetStream, each on free ports, its store and log in a temporary directory. Killed
/// when the value goes away. (A test may stop and start a server from another thread while it
/// drives the daemons: one thread at a time touches it.)
final class NATSServers: @unchecked Sendable {
    /// Debian's nats-server (in /usr/sbin, which a user's PATH may not hold).
    static var binary: String? {
        (["/usr/sbin/nats-server", "/usr/bin/nats-server"] + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/nats-server" })
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let directory: TemporaryDirectory
    let clientPorts: [UInt16]
    private let clusterPorts: [UInt16]
    private var programs: [RunningProgram?]

    /// `count` servers (1, or 3 for a cluster), started now. `acceptsLeaves`: each also listens
    /// for leaf nodes (`leafPorts`); `leafRemote`: the server is a leaf node of the cluster whose
    /// leaf port that is, with no JetStream of its own.
    init(count: Int, leafRemote: UInt16? = nil, acceptsLeaves: Bool = false) throws {
        directory = try TemporaryDirectory(prefix: "nats")
        clientPorts = (0..<count).map { _ in Self.freePort() }
        clusterPorts = count > 1 ? (0..<count).map { _ in Self.freePort() } : []
        leafPorts = acceptsLeaves ? (0..<count).map { _ in Self.freePort() } : []
        programs = Array(repeating: nil, count: count)
        for index in 0..<count {
            var conf = "server_name: \(leafRemote == nil ? "n" : "leaf")\(index + 1)\nlisten: 127.0.0.1:\(clientPorts[index])\n"
            // A leaf node keeps no stream of its own: JetStream's API and the stream are the
            // cluster's, reached through it.
            if leafRemote == nil {
                conf += "jetstream { store_dir: \"\(directory.path)/n\(index + 1)\"\(acceptsLeaves ? ", domain: hub" : "") }\n"
            }
            if count > 1 {
                let routes = clusterPorts.enumerated().filter { $0.offset != index }.map { "nats-route://127.0.0.1:\($0.element)" }
                conf += "cluster { name: C, listen: 127.0.0.1:\(clusterPorts[index]), routes: [\(routes.joined(separator: ", "))] }\n"
            }
            if acceptsLeaves { conf += "leafnodes { listen: 127.0.0.1:\(leafPorts[index]) }\n" }
            if let leafRemote { conf += "leafnodes { remotes: [ { url: \"nats-leaf://127.0.0.1:\(leafRemote)\" } ] }\n" }
            try conf.write(toFile: directory.path + "/n\(index + 1).conf", atomically: true, encoding: .utf8)
        }
        for index in 0..<count { try start(index) }
    }

    /// Leaf node ports (when the servers accept leaves).
    let leafPorts: [UInt16]

    deinit {
        for index in programs.indices { programs[index]?.end(SIGKILL) }
        directory.remove()
    }

    var logPath: String { directory.path + "/servers.log" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// `nats://127.0.0.1:PORT` of every server, for `[stream] servers`.
    var urls: String { clientPorts.map { "nats://127.0.0.1:\($0)" }.joined(separator: ", ") }

    /// Starts server `index` (again) and waits until it accepts clients.
    func start(_ index: Int) throws {
        guard let binary = Self.binary else { throw DaemonFailed(message: "nats-server is not installed") }
        programs[index] = try RunningProgram(binary, ["-c", directory.path + "/n\(index + 1).conf"], stdout: logPath, stderr: logPath)
        let port = clientPorts[index]
        guard pollUntil(seconds: 30, { NATSTestClient(port: port) != nil }) else {
            throw DaemonFailed(message: "nats-server n\(index + 1) did not accept clients within 30 s: \(log)")
        }
    }

    /// Kills server `index` with `signal` and waits for it to end.
    func stop(_ index: Int, signal: Int32 = SIGTERM) {
        programs[index]?.end(signal)
        programs[index] = nil
    }

    /// A port nothing listens on now (the kernel's pick).
    static func freePort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return UInt16(bigEndian: address.sin_port)
    }
}

/// A small NATS client for the tests: requests over its own socket, read with the protocol
/// parser (which has its own unit tests), so a test can look into the stream and write into it
/// behind the daemon's back.
final class NATSTestClient {
    private let fd: Int32
    private var parser = NATSParser()
    private var token = 0

    init?(port: UInt16, timeout: Double = 10) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); return nil }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        guard case .info? = next() else { close(fd); return nil }
        send(NATSCommand.connect(name: "test", user: nil, password: nil, token: nil) + NATSCommand.subscribe("_TEST.*", sid: "1") + NATSCommand.ping)
        while true {
            guard let frame = next() else { close(fd); return nil }
            if case .pong = frame { break }
        }
    }

    deinit { close(fd) }

    private func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    private func next() -> NATSFrame? {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let parsed: NATSFrame?
            do { parsed = try parser.next() } catch { return nil }
            if let frame = parsed {
                if case .ping = frame { send(NATSCommand.pong); continue }
                return frame
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            parser.append(Array(chunk[0..<n]))
        }
    }

    /// Publishes with a reply subject and returns the reply (nil on a timeout or a closed connection).
    func request(_ subject: String, headers: NATSHeaders? = nil, payload: [UInt8]) -> NATSMessage? {
        token += 1
        let reply = "_TEST.\(token)"
        send(NATSCommand.publish(subject, replyTo: reply, headers: headers, payload: payload))
        while let frame = next() {
            if case .message(let message) = frame, message.subject == reply { return message }
        }
        return nil
    }

    /// A JetStream API call's JSON answer (an API error is thrown).
    func api(_ subject: String, _ json: String = "") throws -> JSONObject {
        guard let reply = request(subject, payload: Array(json.utf8)) else { throw DaemonFailed(message: "no answer to \(subject)") }
        return try JetStreamReply.object(reply.payload)
    }

    /// Every message the stream holds on `subject`, in stream order.
    func messages(stream: String, subject: String) throws -> [JetStreamReply.StoredMessage] {
        let info = try api("$JS.API.STREAM.INFO.\(stream)")
        guard case .int(let last)? = info["state", "last_seq"] else { throw DaemonFailed(message: "no last_seq in \(info)") }
        var found: [JetStreamReply.StoredMessage] = []
        var seq: Int64 = 1
        while seq <= last {
            // The next message of the subject at or after `seq`.
            guard let reply = request("$JS.API.STREAM.MSG.GET.\(stream)", payload: Array("{\"seq\":\(seq),\"next_by_subj\":\"\(subject)\"}".utf8)) else {
                throw DaemonFailed(message: "no answer to MSG.GET")
            }
            do {
                let message = try JetStreamReply.storedMessage(reply.payload)
                found.append(message)
                seq = Int64(message.seq) + 1
            } catch let error as JetStreamReply.APIError where error.isNoMessage {
                break
            }
        }
        return found
    }
}
