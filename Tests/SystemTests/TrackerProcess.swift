import Events
import Foundation
import Glibc
import Testing

/// The real binaries, run on a temporary store: what the system tests drive.
enum Binaries {
    /// The directory holding trackerd and trackctl: beside the test runner, or .build/debug.
    static let directory: String = {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var dir = (exe as NSString).deletingLastPathComponent
            candidates.append(dir)
            // Swift Testing may run from inside the .xctest bundle.
            while dir != "/" && !dir.isEmpty {
                dir = (dir as NSString).deletingLastPathComponent
                candidates.append(dir)
                if candidates.count > 4 { break }
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        candidates.append(root + "/.build/debug")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0 + "/trackerd") && FileManager.default.isExecutableFile(atPath: $0 + "/trackctl") }
            ?? candidates.last!
    }()

    static var trackerd: String { directory + "/trackerd" }
    static var trackctl: String { directory + "/trackctl" }
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static var sampleData: String { root + "/data/quang-ngai.tracker" }
}

/// What a finished process left.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion, with its output captured in files (no pipe can fill up).
func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                timeout: Double = 120) throws -> ProcessResult {
    let scratch = try TemporaryDirectory(prefix: "out")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "TRACKER_HOME")
    env.removeValue(forKey: "TRACKER_SOCKET")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let outPath = scratch.path + "/stdout", errPath = scratch.path + "/stderr"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    if let stdin {
        let inPath = scratch.path + "/stdin"
        _ = FileManager.default.createFile(atPath: inPath, contents: Data(stdin.utf8))
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
        if Date() > deadline {
            process.terminate()
            Issue.record("\(path) \(arguments) did not finish within \(timeout) s")
            break
        }
        usleep(2_000)
    }
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

/// A directory removed when the value goes away. Short paths under /tmp, so socket paths fit.
final class TemporaryDirectory {
    let path: String

    init(prefix: String = "trk") throws {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw Errno.current }
        path = String(cString: created)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A real trackerd on a temporary store.
final class TrackerProcess {
    let store: TemporaryDirectory
    var directory: String { store.path }
    var socket: String { directory + "/trackerd.sock" }
    var logPath: String { directory + "/trackerd.log" }
    private(set) var process: Process?
    var extraArguments: [String]

    /// Segments of 1 MiB keep the tests' stores small (the default preallocates 64 MiB).
    static let testConfiguration = "[store]\nsegment_bytes = 1048576\n"

    /// Starts a daemon on a fresh store (or `reusing` another's directory), with `configuration`
    /// written to the store's trackerd.conf.
    init(arguments: [String] = [], reusing: TemporaryDirectory? = nil, configuration: String = TrackerProcess.testConfiguration) throws {
        store = try reusing ?? TemporaryDirectory()
        extraArguments = arguments
        try configuration.write(toFile: store.path + "/trackerd.conf", atomically: true, encoding: .utf8)
        try start()
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Starts (or restarts) the daemon and waits until its socket answers.
    func start(arguments: [String]? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.trackerd)
        process.arguments = ["--data-dir", directory, "--socket", socket] + (arguments ?? extraArguments)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TRACKER_HOME")
        env.removeValue(forKey: "TRACKER_SOCKET")
        process.environment = env
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardError = log
        process.standardOutput = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        try waitUntilServing(process)
    }

    private func waitUntilServing(_ process: Process) throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if !process.isRunning {
                throw DaemonFailed(message: "trackerd exited with status \(process.terminationStatus): \(daemonLog)")
            }
            if let address = try? UnixSocketAddress(path: socket) {
                let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                let connected = address.withSockaddr { connect(fd, $0, $1) } == 0
                close(fd)
                // The socket listens a moment before the daemon logs that it serves; tests read that line.
                if connected && loggedServing(process.processIdentifier) { return }
            }
            usleep(10_000)
        }
        throw DaemonFailed(message: "trackerd did not start serving within 60 s: \(daemonLog)")
    }

    /// Whether the daemon with `pid` has logged its "serving …" line (simulated clocks mark it first).
    private func loggedServing(_ pid: Int32) -> Bool {
        daemonLog.split(separator: "\n").contains { line in
            line.contains("trackerd[\(pid)]: ") && (line.contains("]: serving ") || line.contains("] serving "))
        }
    }

    /// What the daemon wrote to standard error so far.
    var daemonLog: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Runs trackctl against this daemon.
    @discardableResult
    func ctl(_ arguments: String..., stdin: String? = nil) throws -> ProcessResult {
        try ctl(arguments, stdin: stdin)
    }

    func ctl(_ arguments: [String], stdin: String? = nil) throws -> ProcessResult {
        try runProgram(Binaries.trackctl, arguments, environment: ["TRACKER_SOCKET": socket, "TRACKER_HOME": directory], stdin: stdin)
    }

    /// Runs trackctl and expects exit status 0, returning standard output.
    func ok(_ arguments: String...) throws -> String {
        let result = try ctl(arguments)
        #expect(result.status == 0, "trackctl \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return result.stdout
    }

    /// trackctl's JSON answer, parsed.
    func json(_ arguments: String...) throws -> JSONObject { try json(arguments) }

    func json(_ arguments: [String]) throws -> JSONObject {
        let result = try ctl(arguments + ["--json"])
        #expect(result.status == 0, "trackctl \(arguments.joined(separator: " ")) --json failed: \(result.stderr)")
        guard case .object(let object) = try JSONParser().parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw DaemonFailed(message: "not a JSON object: \(result.stdout)")
        }
        return object
    }

    /// Stops with SIGTERM and waits; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard let process else { return -1 }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            Issue.record("trackerd did not stop within 60 s of SIGTERM")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Kills with SIGKILL (a crash) and waits.
    func crash() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The segment files of the store, in order.
    func segments() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory + "/log").filter { $0.hasSuffix(".ndjson") }.sorted()
            .map { directory + "/log/" + $0 }
    }
}

struct DaemonFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension JSONObject {
    /// A nested value by path, for terse expectations: `json["total", "disbursed"]`.
    subscript(path: String...) -> JSONValue? {
        var current: JSONValue = .object(self)
        for key in path {
            guard case .object(let object) = current, let next = object[key] else { return nil }
            current = next
        }
        return current
    }
}

/// A raw NDJSON client over the Unix socket, for tests that need more than trackctl: many
/// concurrent requests, malformed bytes, slow reading.
final class LineClient: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []

    init?(socket path: String, timeout: Double = 30) {
        fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard let address = try? UnixSocketAddress(path: path), address.withSockaddr({ connect(fd, $0, $1) }) == 0 else {
            close(fd)
            return nil
        }
        var value = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Sends bytes as they are; false when the connection is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + done, $0.count - done, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    /// The next line, or nil when the connection ended or timed out.
    func readLine() -> [UInt8]? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    /// Sends one request line and returns the response object, or nil when none came back.
    func call(_ json: String) -> JSONObject? {
        guard send(Array(json.utf8) + [0x0A]), let line = readLine(),
              case .object(let object)? = try? JSONParser().parse(line) else { return nil }
        return object
    }
}

/// A small seeded random generator (SplitMix64), so a failing run can be repeated from its seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The children of a process, from /proc.
func childProcesses(of pid: Int32) -> [Int32] {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
    return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}

/// A setting from the environment (for the longer soak runs of scripts/soak).
func environmentInt(_ name: String, default value: Int) -> Int {
    ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? value
}
