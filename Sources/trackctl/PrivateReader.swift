import Events
import Foundation
import Glibc

/// `trackctl --store DIR COMMAND`: one command on a store read straight from its files, with no
/// daemon running: a stopped store, a backup, a copy an auditor was given, on read-only media too.
///
/// trackctl starts a trackerd of its own installation for the one command, read-only
/// (`trackerd --read-only`: no lock, no file of the store written, the whole log re-hashed), on a
/// socket in a private directory (mode 0700), and stops it when the command is done. The answers
/// are therefore exactly a daemon's, from the same code. The reader's standard input is a pipe
/// only this process holds (`--exit-when-stdin-closes`), so it stops however trackctl ends, even
/// killed; its messages go to a file in the private directory and are shown when it cannot start.
final class PrivateReader {
    /// The reader's socket.
    let socketPath: String
    /// The store read.
    let store: String
    private let directory: String
    private let pid: pid_t
    private var lifeline: Int32

    private init(socketPath: String, store: String, directory: String, pid: pid_t, lifeline: Int32) {
        self.socketPath = socketPath
        self.store = store
        self.directory = directory
        self.pid = pid
        self.lifeline = lifeline
    }

    /// The trackerd beside this trackctl (`bin/`), in `../sbin/`, or on the PATH.
    static func trackerdPath() -> String? {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let here = (me as NSString).deletingLastPathComponent
        var candidates = [here + "/trackerd", here + "/../sbin/trackerd"]
        for directory in (DefaultPaths.environment("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":") {
            candidates.append(directory + "/trackerd")
        }
        return candidates.first { access($0, X_OK) == 0 }
    }

    /// Starts a read-only trackerd on `store` and waits until it answers on its socket.
    static func start(store: String) throws(Failure) -> PrivateReader {
        guard let trackerd = trackerdPath() else {
            throw Failure.failed("--store needs trackerd, which was not found beside trackctl, in ../sbin or on the PATH")
        }
        guard FileSystem.isDirectory(store) else { throw Failure.failed("--store \(store): no such directory") }
        let base = DefaultPaths.environment("TMPDIR") ?? "/tmp"
        var template = Array((base + "/trackctl-store-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure.failed("cannot make a private directory in \(base) for the reader's socket: \(Errno.current)")
        }
        let directory = String(cString: made)
        let socketPath = directory + "/trackerd.sock"
        let logPath = directory + "/trackerd.log"
        let configPath = directory + "/trackerd.conf"
        // The store's own configuration names its writer's users, who need not exist here (a copy
        // from another machine); the reader's only caller is this user, so the defaults serve.
        _ = try? FileSystem.writeFileAtomically(configPath, [], mode: 0o600)
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0, fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC) == 0 else {
            removeDirectory(directory)
            throw Failure.failed("cannot make a pipe for the reader: \(Errno.current)")
        }
        let arguments = [trackerd, "--read-only", "--data-dir", store, "--socket", socketPath, "--config", configPath, "--exit-when-stdin-closes"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, trackerd, &actions, nil, &argv, environ)
        close(pipeEnds[0])
        guard spawned == 0 else {
            close(pipeEnds[1])
            removeDirectory(directory)
            throw Failure.failed("cannot run \(trackerd): \(Errno(rawValue: spawned))")
        }
        let reader = PrivateReader(socketPath: socketPath, store: store, directory: directory, pid: pid, lifeline: pipeEnds[1])
        try reader.waitUntilServing(log: logPath)
        return reader
    }

    /// Waits until the socket answers, or the reader ends (its messages then say why).
    private func waitUntilServing(log logPath: String) throws(Failure) {
        let address: UnixSocketAddress
        do throws(TrackerError) { address = try UnixSocketAddress(path: socketPath) } catch { throw Failure.failed(error.message) }
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let said = (try? FileSystem.readFile(logPath)).map { String(decoding: $0, as: UTF8.self) } ?? ""
                let reasons = said.split(separator: "\n").map { line -> String in
                    // The reader's own lines carry its time and pid; the message is what matters here.
                    guard let range = line.range(of: "]: ") else { return String(line) }
                    return String(line[range.upperBound...])
                }
                PrivateReader.removeDirectory(directory)
                close(lifeline)
                lifeline = -1
                throw Failure.failed("cannot read the store \(store): \(reasons.last ?? "trackerd ended with status \(status)")")
            }
            if (try? Client(address: address)) != nil { return }
            usleep(10_000)
        }
    }

    /// Stops the reader (it stops itself when its standard input closes) and removes the
    /// private directory.
    func stop() {
        guard lifeline >= 0 else { return }
        close(lifeline)
        lifeline = -1
        var status: Int32 = 0
        for _ in 0..<500 {
            if waitpid(pid, &status, WNOHANG) != 0 { break }
            usleep(10_000)
        }
        if kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
        }
        PrivateReader.removeDirectory(directory)
    }

    private static func removeDirectory(_ path: String) {
        for name in (try? FileSystem.list(path)) ?? [] { unlink(path + "/" + name) }
        rmdir(path)
    }
}

/// The reader of `trackctl --store`, stopped at exit however the command exits.
nonisolated(unsafe) var privateReader: PrivateReader?
