import Events
import Foundation
import Glibc
import Testing

/// trackerd under systemd: the shipped units verify, socket activation serves on the passed
/// socket, readiness and stopping are reported on `NOTIFY_SOCKET`, and under journald log lines
/// carry priorities instead of times.
@Suite("systemd: units, socket activation, notifications, the journal", .serialized)
struct SystemdTests {
    static var units: String { Binaries.root + "/packaging/systemd" }

    /// A unit file's `key=value` lines.
    func settings(_ unit: String) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for line in try String(contentsOfFile: Self.units + "/" + unit, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            result[String(line[..<equals]), default: []].append(String(line[line.index(after: equals)...]))
        }
        return result
    }

    @Test("the units pass systemd-analyze verify, the socket is 0660 with a group, and the service is notify-typed and hardened")
    func unitsVerify() throws {
        let analyze = try #require(Binaries.tool("/usr/bin/systemd-analyze", "/bin/systemd-analyze"), "systemd-analyze (Debian's systemd) is needed")
        // As scripts/install writes them: the programs where they are installed (here: built).
        let place = try TemporaryDirectory(prefix: "units")
        let names = ["trackerd.service", "trackerd.socket", "trackerd-backup.service", "trackerd-backup.timer"]
        for name in names {
            let text = try String(contentsOfFile: Self.units + "/" + name, encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/sbin/trackerd", with: Binaries.trackerd)
                .replacingOccurrences(of: "/usr/local/libexec/tracker/trackerd-backup", with: Self.units + "/trackerd-backup")
            try text.write(toFile: place.appending(name), atomically: true, encoding: .utf8)
        }
        let verified = try runProgram(analyze, ["verify", "--man=no"] + names.map { place.appending($0) })
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stderr.isEmpty, "\(verified.stderr)")

        let socket = try settings("trackerd.socket")
        #expect(socket["SocketMode"] == ["0660"])
        #expect(socket["SocketGroup"]?.first?.isEmpty == false)
        let service = try settings("trackerd.service")
        #expect(service["Type"] == ["notify"])
        #expect(service["StateDirectory"] == ["tracker"])
        #expect(service["ProtectSystem"] == ["strict"])
        #expect(service["NoNewPrivileges"] == ["yes"])
        #expect(service["ExecReload"]?.first?.contains("-HUP") == true)
        #expect(service["WatchdogSec"] != nil)
    }

    @Test("under systemd-socket-activate trackerd serves on the socket it is passed, and leaves that socket to its maker")
    func socketActivation() throws {
        let activate = try #require(Binaries.tool("/usr/bin/systemd-socket-activate", "/bin/systemd-socket-activate"), "systemd-socket-activate is needed")
        let place = try TemporaryDirectory(prefix: "act")
        let socket = place.appending("passed.sock")
        let logPath = place.appending("log")
        // Started with posix_spawn, not Foundation's Process: systemd-socket-activate execs into
        // trackerd, and Foundation then stops reaping this test's other children until it ends.
        let arguments = [activate, "-l", socket, Binaries.trackerd, "--data-dir", place.appending("store"), "--import", Binaries.sampleData]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        #expect(posix_spawn(&pid, activate, &actions, nil, &argv, environ) == 0)
        defer { kill(pid, SIGKILL); var status: Int32 = 0; _ = waitpid(pid, &status, WNOHANG) }
        waitUntil("the socket to be made") { FileManager.default.fileExists(atPath: socket) }
        // The first connection starts trackerd on the passed socket.
        let client = try #require(LineClient(socket: socket, timeout: 60))
        let status = client.call(#"{"id":1,"op":"status","as_of":"2023-12-31","by":"decision"}"#)
        #expect(status?["result", "total", "allocated"] == .int(600_000_000), "\(String(describing: status))")
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        #expect(log.contains("(passed by systemd)"), "\(log)")
        let ctl = try runProgram(Binaries.trackctl, ["head", "--socket", socket])
        #expect(ctl.status == 0, "\(ctl.stderr)")
        kill(pid, SIGTERM)
        var status32: Int32 = 0
        var ended = false
        waitUntil("trackerd to stop on SIGTERM") {
            let reaped = waitpid(pid, &status32, WNOHANG)
            ended = reaped == pid || (reaped < 0 && errno == ECHILD)
            return ended
        }
        #expect(((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").contains("stopped cleanly"))
        #expect(FileManager.default.fileExists(atPath: socket), "the socket systemd made is not trackerd's to remove")
    }

    @Test("READY=1 comes on NOTIFY_SOCKET only once the socket answers, WATCHDOG=1 when asked, STOPPING=1 on SIGTERM")
    func notifications() throws {
        let place = try TemporaryDirectory(prefix: "ntf")
        let notifyPath = place.appending("notify")
        let receiver = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #expect(receiver >= 0)
        defer { close(receiver) }
        let address = try UnixSocketAddress(path: notifyPath)
        #expect(address.withSockaddr { bind(receiver, $0, $1) } == 0)
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(receiver, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(receiver, &buffer, buffer.count, 0)
            return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
        }
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData],
                                        environment: ["NOTIFY_SOCKET": notifyPath, "WATCHDOG_USEC": "400000"], start: false)
        let socketPath = daemon.socket
        try daemon.start()
        var before: [String] = []
        var ready: String? = nil
        while ready == nil, let message = receive() {
            if message.contains("READY=1") { ready = message } else { before.append(message) }
        }
        let readyMessage = try #require(ready, "no READY=1 came")
        // At READY=1 the socket answers at once.
        let client = try #require(LineClient(socket: socketPath, timeout: 5))
        #expect(client.call(#"{"id":1,"op":"hello"}"#)?["ok"] == .bool(true))
        #expect(readyMessage.contains("STATUS=serving"))
        #expect(before.contains { $0.hasPrefix("STATUS=") })
        #expect(!before.contains { $0.contains("READY=1") })
        var watchdog = false
        while !watchdog, let message = receive() { watchdog = message.contains("WATCHDOG=1") }
        #expect(watchdog)
        daemon.signalDaemon(SIGTERM)
        var stopping = false
        while !stopping, let message = receive() { stopping = message.contains("STOPPING=1") }
        #expect(stopping)
        #expect(daemon.stop() == 0)
    }

    @Test("when standard error is the journal, log lines carry <N> priorities and no time of their own")
    func journalFormat() throws {
        let place = try TemporaryDirectory(prefix: "jrn")
        let logPath = place.appending("journal")
        #expect(FileManager.default.createFile(atPath: logPath, contents: nil))
        var info = stat()
        #expect(stat(logPath, &info) == 0)
        let program = try RunningProgram(Binaries.trackerd, ["--data-dir", place.appending("store"), "--socket", place.appending("s")],
                                         environment: ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"], stdout: logPath, stderr: logPath)
        var text = ""
        waitUntil("the daemon to serve") {
            text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            return text.contains("serving ")
        }
        program.end()
        text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(line.hasPrefix("<6>") || line.hasPrefix("<4>warning: ") || line.hasPrefix("<3>error: "), "\(line)")
            #expect(!line.contains("trackerd["), "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("<6>serving ") })
    }

    @Test("trackerd-backup takes a backup through the daemon, writes its head where asked and hands it to a command, and keeps KEEP backups")
    func backupScript() throws {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData])
        let place = try TemporaryDirectory(prefix: "bkp")
        let root = place.appending("backups")
        try FileManager.default.createDirectory(atPath: root + "/2000-01-01T000000Z", withIntermediateDirectories: true)
        let result = try runProgram("/bin/sh", [Self.units + "/trackerd-backup"], environment: [
            "TRACKER_SOCKET": daemon.socket, "TRACKCTL": Binaries.trackctl, "BACKUP_ROOT": root, "KEEP": "1",
            "HEAD_FILE": place.appending("head"), "HEAD_COMMAND": "/usr/bin/tee " + place.appending("head-by-command"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let backups = try FileManager.default.contentsOfDirectory(atPath: root)
        #expect(backups.count == 1, "\(backups)")
        #expect(!backups.contains("2000-01-01T000000Z"))
        let head = try String(contentsOfFile: place.appending("head"), encoding: .utf8)
        #expect(try head == String(contentsOfFile: root + "/" + backups[0] + "/BACKUP", encoding: .utf8))
        #expect(try String(contentsOfFile: place.appending("head-by-command"), encoding: .utf8) == head)
        let verified = try daemon.ctl("verify", "--against", place.appending("head"))
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("It still extends the recorded head."))
    }
}
