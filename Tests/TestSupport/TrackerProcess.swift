import Events
import Foundation
import Glibc
import Testing

/// A real trackerd on a temporary store: the one way the system tests start the daemon.
///
/// It runs `trackerd --data-dir STORE --socket STORE/trackerd.sock` with the test's arguments,
/// optionally under a wrapper (a command prefix such as `strace -f -e inject=…` or
/// `faketime '2023-12-01 08:00:00'`, which must run the daemon as its child), its standard output
/// and error appended to `STORE/trackerd.log`, and waits until the daemon logs that it serves.
/// `runSecondDaemon` runs another trackerd on the same store to its end, for a start that must be
/// refused.
public final class TrackerProcess {
    public let store: TemporaryDirectory
    public var directory: String { store.path }
    public var socket: String { directory + "/trackerd.sock" }
    public var logPath: String { directory + "/trackerd.log" }
    /// The arguments of every start that gives none of its own.
    public var extraArguments: [String]
    /// The command prefix of every start that gives none of its own (empty: trackerd itself).
    public var wrapper: [String]
    /// Variables added to the daemon's environment.
    public var environment: [String: String]
    /// What the last start launched: trackerd, or the wrapper running it.
    private var launched: RunningProgram?
    /// Whether the last start ran trackerd under a wrapper.
    private var wrapped = false
    /// The last start's trackerd, by the pid in its "serving" line.
    public private(set) var pid: Int32?

    /// Segments of 1 MiB keep the tests' stores small (the default preallocates 64 MiB).
    public static let testConfiguration = "[store]\nsegment_bytes = 1048576\n"

    /// A daemon on a fresh store (or on the directory `reusing`), with `configuration` written to
    /// the store's trackerd.conf; started now unless `start` is false.
    public init(arguments: [String] = [], reusing: TemporaryDirectory? = nil, configuration: String = TrackerProcess.testConfiguration,
                wrapper: [String] = [], environment: [String: String] = [:], start: Bool = true) throws {
        store = try reusing ?? TemporaryDirectory()
        extraArguments = arguments
        self.wrapper = wrapper
        self.environment = environment
        try configuration.write(toFile: store.path + "/trackerd.conf", atomically: true, encoding: .utf8)
        if start { try self.start() }
    }

    deinit {
        guard let launched, launched.isRunning else { return }
        signalDaemon(SIGKILL)
        launched.end(SIGKILL)
    }

    /// The launched process (trackerd itself, or its wrapper).
    public var process: Process? { launched?.process }

    /// Whether the last start's process (or its wrapper) still runs.
    public var isRunning: Bool { launched?.isRunning ?? false }

    /// The command line of a trackerd on this store: the wrapper, the binary, the store and the socket, `arguments`.
    public func commandLine(_ arguments: [String], socket: String? = nil, wrapper: [String] = []) -> [String] {
        wrapper + [Binaries.trackerd, "--data-dir", directory, "--socket", socket ?? self.socket] + arguments
    }

    /// Starts (or restarts) the daemon, with `arguments` (else `extraArguments`) under `wrapper`
    /// (else `self.wrapper`), and waits until it logs that it serves. Throws with the daemon's log
    /// when it ends first or does not serve within 60 s.
    public func start(arguments: [String]? = nil, wrapper: [String]? = nil) throws {
        let logStart = (try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int) ?? 0
        let prefix = wrapper ?? self.wrapper
        let command = commandLine(arguments ?? extraArguments, wrapper: prefix)
        pid = nil
        wrapped = !prefix.isEmpty
        let program = try RunningProgram(command[0], Array(command.dropFirst()), environment: environment, stdout: logPath, stderr: logPath)
        launched = program
        var ended = false
        let serving = pollUntil(seconds: 60) {
            if let pid = servingPID(after: logStart) { self.pid = pid; return true }
            ended = !program.isRunning
            return ended
        }
        if ended { throw DaemonFailed(message: "trackerd exited with status \(program.waitForExit(seconds: 10) ? program.status : -1): \(daemonLog)") }
        if !serving { throw DaemonFailed(message: "trackerd did not start serving within 60 s: \(daemonLog)") }
    }

    /// The pid in the first "serving …" line logged after byte `offset` of the log (a simulated
    /// clock's lines carry its date before the message). The socket listens before that line.
    private func servingPID(after offset: Int) -> Int32? {
        guard let handle = FileHandle(forReadingAtPath: logPath) else { return nil }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil, let data = try? handle.readToEnd() else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard line.contains("]: serving ") || line.contains("] serving "),
                  let open = line.range(of: "trackerd["), let close = line[open.upperBound...].firstIndex(of: "]") else { continue }
            if let pid = Int32(line[open.upperBound..<close]) { return pid }
        }
        return nil
    }

    /// Sends `number` to the daemon: to trackerd itself, or under a wrapper to the wrapper's child
    /// (a wrapper need not pass signals on); before that child has served, to every child.
    public func signalDaemon(_ number: Int32) {
        guard let launched, launched.isRunning else { return }
        guard wrapped else { return launched.signal(number) }
        for child in childProcesses(of: launched.pid) where pid == nil || child == pid { kill(child, number) }
    }

    /// What the daemon wrote to standard error so far, over all its starts.
    public var daemonLog: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Runs trackctl against this daemon.
    @discardableResult
    public func ctl(_ arguments: String..., stdin: String? = nil) throws -> ProcessResult {
        try ctl(arguments, stdin: stdin)
    }

    public func ctl(_ arguments: [String], stdin: String? = nil) throws -> ProcessResult {
        try runProgram(Binaries.trackctl, arguments, environment: ["TRACKER_SOCKET": socket, "TRACKER_HOME": directory], stdin: stdin)
    }

    /// Runs trackctl and expects exit status 0, returning standard output.
    public func ok(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try ctl(arguments)
        #expect(result.status == 0, "trackctl \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// trackctl's JSON answer, parsed.
    public func json(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONObject {
        try json(arguments, sourceLocation: sourceLocation)
    }

    public func json(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONObject {
        let result = try ctl(arguments + ["--json"])
        #expect(result.status == 0, "trackctl \(arguments.joined(separator: " ")) --json failed: \(result.stderr)", sourceLocation: sourceLocation)
        guard case .object(let object) = try JSONParser().parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw DaemonFailed(message: "not a JSON object: \(result.stdout)")
        }
        return object
    }

    /// Stops with SIGTERM and waits (up to 60 s, then SIGKILL and an issue); returns the exit status.
    @discardableResult
    public func stop(sourceLocation: SourceLocation = #_sourceLocation) -> Int32 {
        guard let launched else { return -1 }
        signalDaemon(SIGTERM)
        if !launched.waitForExit(seconds: 60) {
            Issue.record("trackerd did not stop within 60 s of SIGTERM", sourceLocation: sourceLocation)
            signalDaemon(SIGKILL)
            launched.end(SIGKILL)
        }
        return launched.status
    }

    /// Kills with SIGKILL (a crash) and waits.
    public func crash() {
        guard let launched else { return }
        signalDaemon(SIGKILL)
        launched.end(SIGKILL)
    }

    /// Runs another trackerd on this store (on `socket`, else this one's) with `extra` arguments, to
    /// its end, and returns how it ended: for a start that must be refused. One that starts
    /// instead is stopped after `timeout` seconds (and an issue recorded).
    public func runSecondDaemon(_ extra: [String] = [], socket: String? = nil, timeout: Double = 30,
                                sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let command = commandLine(extra, socket: socket)
        return try runProgram(command[0], Array(command.dropFirst()), environment: environment, timeout: timeout, sourceLocation: sourceLocation)
    }

    /// The segment files of the store, in order.
    public func segments() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory + "/log").filter { $0.hasSuffix(".ndjson") }.sorted()
            .map { directory + "/log/" + $0 }
    }
}

/// A daemon that did not start, or an answer that was not what a test can read.
public struct DaemonFailed: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
