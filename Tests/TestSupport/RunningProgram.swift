import Foundation
import Glibc
import Testing

/// A program started by a test, its output going to files (no pipe can fill up and stall it), its
/// environment the test runner's without the tracker's own variables (`TRACKER_HOME`,
/// `TRACKER_SOCKET`) unless they are given. Killed when the value goes away, if still running.
public final class RunningProgram {
    public let process: Process

    /// Starts `path` with `arguments`. Standard output and standard error are appended to the files
    /// at `stdout` and `stderr` (the same path for both makes one log); standard input is read from
    /// the file at `stdin`, or is /dev/null.
    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                stdout: String, stderr: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TRACKER_HOME")
        env.removeValue(forKey: "TRACKER_SOCKET")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = try Self.appending(stdout)
        process.standardOutput = output
        process.standardError = stderr == stdout ? output : try Self.appending(stderr)
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
        try ChildStarts.run(process)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A file opened to append to (made when missing): a later writer never writes over an earlier one.
    private static func appending(_ path: String) throws -> FileHandle {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    /// The exit status (or the number of the signal that ended it); only once it has ended.
    public var status: Int32 { process.terminationStatus }

    /// Sends `number` to the program.
    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits up to `seconds` for the program to end; true when it has (it is then reaped).
    public func waitForExit(seconds: Double) -> Bool {
        guard pollUntil(seconds: seconds, { !process.isRunning }) else { return false }
        process.waitUntilExit()
        return true
    }

    /// Ends the program: `first` (SIGTERM unless given), then SIGKILL if it has not ended within
    /// `seconds`. Returns false when the first signal was not enough.
    @discardableResult
    public func end(_ first: Int32 = SIGTERM, seconds: Double = 30) -> Bool {
        guard process.isRunning else { process.waitUntilExit(); return true }
        signal(first)
        if waitForExit(seconds: seconds) { return true }
        signal(SIGKILL)
        process.waitUntilExit()
        return false
    }
}

/// What a finished program left.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs a program to completion, its output captured in files, and returns what it left. One that
/// has not ended after `timeout` seconds is ended (SIGTERM, then SIGKILL) and an issue recorded.
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                       timeout: Double = 120, sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
    let scratch = try TemporaryDirectory(prefix: "out")
    let outPath = scratch.appending("stdout"), errPath = scratch.appending("stderr")
    var inPath: String? = nil
    if let stdin {
        inPath = scratch.appending("stdin")
        try Data(stdin.utf8).write(to: URL(fileURLWithPath: inPath!))
    }
    let program = try RunningProgram(path, arguments, environment: environment, stdin: inPath, stdout: outPath, stderr: errPath)
    if !program.waitForExit(seconds: timeout) {
        Issue.record(Comment(rawValue: "\(path) \(arguments) did not finish within \(Int(timeout)) s"), sourceLocation: sourceLocation)
        program.end()
    }
    return ProcessResult(status: program.status,
                         stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

/// The children of a process, from /proc.
public func childProcesses(of pid: Int32) -> [Int32] {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
    return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}

/// A whole number from the environment, for the longer runs of scripts/soak (`TRACKER_CRASH_CYCLES`, …).
public func environmentInt(_ name: String, default value: Int) -> Int {
    ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? value
}
