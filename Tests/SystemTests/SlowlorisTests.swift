import Events
import Foundation
import Glibc
import Testing

/// Slow clients: a connection that sends no request closes at the idle timeout however it trickles
/// bytes, and one user cannot hold every connection slot.
@Suite("Slow clients: trickles do not keep a connection, and one user cannot take every slot", .serialized)
struct SlowlorisTests {
    /// A flag set by one thread and read by another.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.lock(); value = true; lock.unlock() }
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    }

    /// Sends `pieces` one after another, 100 ms apart, until `stop` is set or the connection is gone.
    func trickle(_ client: LineClient, _ pieces: [String], stop: Flag) -> Thread {
        let thread = Thread {
            var index = 0
            while !stop.isSet && client.send(Array(pieces[index % pieces.count].utf8)) {
                index += 1
                usleep(100_000)
            }
        }
        thread.start()
        return thread
    }

    func expectTimeout(_ client: LineClient) throws {
        let line = try #require(client.readLine(), "the connection was neither answered nor closed")
        guard case .object(let answer) = try JSONParser().parse(line) else { Issue.record("not JSON"); return }
        #expect(answer["error", "code"] == .string("timeout"))
        #expect(client.readLine() == nil, "the connection is closed after the timeout")
    }

    @Test("blank lines and keep-alives on every slot do not keep the connections past the idle timeout; the slots come back")
    func blankLines() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "[limits]\nmax_connections = 4\nidle_timeout_seconds = 1\n")
        let stop = Flag()
        defer { stop.set() }
        let keepAlives = ["\n", " \n", "\r\n", "\t \r\n"]
        var clients: [LineClient] = []
        for index in 0..<4 {
            // Each takes a slot for sure: a hello answered, then only keep-alives.
            let taken = waitFor("connection \(index + 1) of 4 to be served", seconds: 20) { () -> LineClient? in
                guard let client = LineClient(socket: daemon.socket, timeout: 20),
                      client.call(#"{"id":1,"op":"hello"}"#)?["ok"] == .bool(true) else { return nil }
                return client
            }
            let client = try #require(taken, "connection \(index + 1) of 4 was not served")
            _ = trickle(client, Array(keepAlives[index...] + keepAlives[..<index]), stop: stop)
            clients.append(client)
        }
        for client in clients { try expectTimeout(client) }
        #expect(LineClient(socket: daemon.socket)?.call(#"{"id":1,"op":"hello"}"#)?["ok"] == .bool(true))
    }

    @Test("a request sent a byte at a time is closed at the idle timeout")
    func byteAtATime() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "[limits]\nidle_timeout_seconds = 1\n")
        let stop = Flag()
        defer { stop.set() }
        let client = try #require(LineClient(socket: daemon.socket, timeout: 20))
        _ = trickle(client, (#"{"id":1,"op":"status","search":""# + String(repeating: "x", count: 400)).map(String.init), stop: stop)
        try expectTimeout(client)
    }

    @Test("a real request still resets the idle timer")
    func requestsKeepTheConnection() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "[limits]\nidle_timeout_seconds = 2\n")
        let client = try #require(LineClient(socket: daemon.socket, timeout: 20))
        let started = Date()
        var answered = 0
        // Requests 0.3 s apart keep it open well past the timeout.
        while Date().timeIntervalSince(started) < 5 {
            guard client.call(#"{"id":1,"op":"head"}"#)?["ok"] == .bool(true) else { break }
            answered += 1
            usleep(300_000)
        }
        #expect(Date().timeIntervalSince(started) >= 5, "the connection ended after \(answered) requests")
    }

    /// A connection opened as nobody (uid 65534, in the root group so it can reach the socket):
    /// socat under setpriv, with pipes to talk through.
    final class NobodyConnection {
        let process = Process()
        private let input = Pipe()
        private let output = Pipe()
        private var buffer: [UInt8] = []

        init(socket: String) throws {
            let setpriv = try #require(AccessTests.setpriv, "setpriv (util-linux) is needed, and the tests must run as root to act as another user")
            let socat = try #require(Binaries.tool("/usr/bin/socat", "/bin/socat"), "socat is needed")
            signal(SIGPIPE, SIG_IGN)
            process.executableURL = URL(fileURLWithPath: setpriv)
            process.arguments = ["--reuid=\(AccessTests.nobody)", "--regid=\(AccessTests.nobody)", "--groups=0", "--", socat, "-", "UNIX-CONNECT:" + socket]
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try ChildStarts.run(process)
        }

        deinit { close() }

        func close() {
            // SIGKILL: the child inherits the test runner's blocked signals, SIGTERM among them.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        /// The next line from the daemon, or nil after `timeout` seconds or at the end.
        func readLine(timeout: Double = 20) -> [UInt8]? {
            let fd = output.fileHandleForReading.fileDescriptor
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    defer { buffer.removeSubrange(...newline) }
                    return Array(buffer[..<newline])
                }
                let left = deadline.timeIntervalSinceNow
                guard left > 0 else { return nil }
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, Int32(left * 1000) + 1) > 0 else { continue }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { return nil }
                buffer.append(contentsOf: chunk[..<n])
            }
        }

        func call(_ json: String) -> JSONObject? {
            let line = Array((json + "\n").utf8)
            let written = line.withUnsafeBytes { Glibc.write(input.fileHandleForWriting.fileDescriptor, $0.baseAddress, $0.count) }
            guard written == line.count, let answer = readLine(), case .object(let object)? = try? JSONParser().parse(answer) else { return nil }
            return object
        }
    }

    @Test("one user gets at most max_connections_per_uid connections, answered busy naming the limit; the daemon's own user is not held to it")
    func perUser() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration
                                        + "[limits]\nmax_connections = 8\nmax_connections_per_uid = 2\n[roles]\ndefault = viewer\n")
        chmod(daemon.directory, 0o750)
        let first = try NobodyConnection(socket: daemon.socket)
        let second = try NobodyConnection(socket: daemon.socket)
        #expect(first.call(#"{"id":1,"op":"hello"}"#)?["ok"] == .bool(true))
        #expect(second.call(#"{"id":1,"op":"hello"}"#)?["ok"] == .bool(true))
        let third = try NobodyConnection(socket: daemon.socket)
        let line = try #require(third.readLine(), "the third connection was not answered")
        guard case .object(let answer) = try JSONParser().parse(line) else { Issue.record("not JSON"); return }
        #expect(answer["error", "code"] == .string("busy"))
        let message = answer["error", "message"].flatMap { if case .string(let text) = $0 { text } else { nil } } ?? ""
        #expect(message.contains("max_connections_per_uid") && message.contains("2"), "\(message)")
        #expect(third.readLine() == nil, "the refused connection is closed")
        // The daemon's own user (root here) opens more than two.
        var mine: [LineClient] = []
        for _ in 0..<4 {
            let client = try #require(LineClient(socket: daemon.socket))
            #expect(client.call(#"{"id":1,"op":"hello"}"#)?["ok"] == .bool(true))
            mine.append(client)
        }
        // A slot given back can be taken again.
        first.close()
        waitUntil("nobody to connect again after closing a connection", seconds: 20) {
            guard let next = try? NobodyConnection(socket: daemon.socket) else { return false }
            return next.call(#"{"id":1,"op":"hello"}"#)?["ok"] == .bool(true)
        }
        #expect(second.call(#"{"id":2,"op":"hello"}"#)?["ok"] == .bool(true))
    }
}
