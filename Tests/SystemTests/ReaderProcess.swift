import Events
import Foundation
import Glibc
import Testing

/// A real `trackerd --read-only` on a store it must not change: its socket and its log live in a
/// directory of their own (the store may be a copy nobody may write), and it may run as another
/// user under a wrapper (`setpriv`).
final class ReaderProcess {
    let store: String
    let place: TemporaryDirectory
    var socket: String { place.path + "/reader.sock" }
    var logPath: String { place.path + "/reader.log" }
    private var program: RunningProgram?

    /// Starts a reader on `store` and waits until it serves; `wrapper` runs it (as another user).
    init(store: String, trackerd: String = Binaries.trackerd, wrapper: [String] = [], arguments: [String] = []) throws {
        self.store = store
        place = try TemporaryDirectory(prefix: "rdr")
        chmod(place.path, 0o777)
        let command = wrapper + [trackerd, "--read-only", "--data-dir", store, "--socket", socket] + arguments
        let program = try RunningProgram(command[0], Array(command.dropFirst()), stdout: logPath, stderr: logPath)
        self.program = program
        var ended = false
        let serving = pollUntil(seconds: 60) {
            if log.contains("READ-ONLY on") { return true }
            ended = !program.isRunning
            return ended
        }
        if !serving || ended { throw DaemonFailed(message: "the reader did not serve: \(log)") }
    }

    deinit { program?.end(SIGKILL) }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Runs trackctl against the reader.
    func ctl(_ arguments: String...) throws -> ProcessResult {
        try runProgram(Binaries.trackctl, arguments + ["--socket", socket])
    }

    /// trackctl's JSON answer from the reader, parsed (an issue when it fails).
    func json(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONObject {
        let result = try runProgram(Binaries.trackctl, arguments + ["--json", "--socket", socket])
        #expect(result.status == 0, "trackctl \(arguments) --json failed: \(result.stderr)", sourceLocation: sourceLocation)
        guard case .object(let object) = try JSONParser().parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw DaemonFailed(message: "not a JSON object: \(result.stdout)")
        }
        return object
    }

    /// Stops the reader with SIGTERM; its exit status.
    @discardableResult
    func stop() -> Int32 {
        guard let program else { return -1 }
        program.end()
        return program.status
    }
}

/// Every file under `directory` (its path below it) with its mode, size and SHA-256: what must
/// be the same before and after a reader that changes nothing.
func fingerprint(_ directory: String) throws -> [String: String] {
    var result: [String: String] = [:]
    let enumerator = FileManager.default.enumerator(atPath: directory)
    while let name = enumerator?.nextObject() as? String {
        let path = directory + "/" + name
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        var line = "mode \(String(info.st_mode, radix: 8)) uid \(info.st_uid)"
        if info.st_mode & S_IFMT == S_IFREG {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            line += " size \(bytes.count) sha256 \(SHA256.hash(bytes).hex)"
        }
        result[name] = line
    }
    return result
}
