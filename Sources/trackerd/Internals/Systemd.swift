import Dispatch
import Events
import Glibc

/// What trackerd does for systemd, and only when systemd asks for it through the environment:
/// readiness and status on `NOTIFY_SOCKET` (`sd_notify`), keep-alives when `WATCHDOG_USEC` is
/// set, the listening socket passed in `LISTEN_FDS`, and the journal's log format when standard
/// error is the journal (`JOURNAL_STREAM`). Without those variables every call does nothing.
enum Systemd {
    /// The address of the datagram socket systemd listens on (`NOTIFY_SOCKET`: a path, or
    /// `@name` in the abstract namespace), as the bytes of `sun_path`; read once.
    private static let notifyPath: [UInt8]? = {
        guard let path = DefaultPaths.environment("NOTIFY_SOCKET") else { return nil }
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 } else { bytes.append(0) }
        return bytes.count <= MemoryLayout.size(ofValue: sockaddr_un().sun_path) ? bytes : nil
    }()

    /// Sends `state` (`READY=1`, `STOPPING=1`, `STATUS=…`, `WATCHDOG=1`, lines joined by
    /// newlines) to systemd; nothing when not started by it. Best effort: a lost datagram costs
    /// a status line, never the daemon.
    static func notify(_ state: String) {
        guard let path = notifyPath else { return }
        guard case .success(let fd) = systemCall({ socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }) else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in raw.copyBytes(from: path) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + path.count)
        let bytes = Array(state.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                bytes.withUnsafeBytes { raw in systemCall { sendto(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL), sockaddrPointer, length) } }
            }
        }
    }

    /// Sends `WATCHDOG=1` every half of `WATCHDOG_USEC` from `queue` (the main queue: a daemon
    /// whose main queue hangs is restarted), when systemd asks for keep-alives of this process.
    static func startWatchdog(on queue: DispatchQueue) -> DispatchSourceTimer? {
        guard let text = DefaultPaths.environment("WATCHDOG_USEC"), let usec = UInt64(text), usec > 0 else { return nil }
        if let pid = DefaultPaths.environment("WATCHDOG_PID"), Int32(pid) != getpid() { return nil }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let half = DispatchTimeInterval.microseconds(Int(min(usec / 2, UInt64(Int.max))))
        timer.schedule(deadline: .now(), repeating: half)
        timer.setEventHandler { notify("WATCHDOG=1") }
        timer.resume()
        return timer
    }

    /// The listening socket systemd passed (socket activation: `LISTEN_PID` is this process,
    /// `LISTEN_FDS` is 1, the socket is fd 3), made non-blocking and close-on-exec; nil when
    /// none was passed. The variables are removed, so no child (the alert command) takes them as
    /// its own. Throws when systemd passed something trackerd cannot serve on.
    static func activatedListener() throws(TrackerError) -> (FileDescriptor, path: String)? {
        guard let pidText = DefaultPaths.environment("LISTEN_PID"), Int32(pidText) == getpid(),
              let countText = DefaultPaths.environment("LISTEN_FDS"), let count = Int(countText), count > 0 else { return nil }
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        guard count == 1 else {
            throw TrackerError(.invalidArgument, "systemd passed \(count) sockets (LISTEN_FDS); trackerd serves on one: give its socket unit one ListenStream")
        }
        let fd: Int32 = 3
        var info = stat()
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        var address = sockaddr_un()
        var addressLength = socklen_t(MemoryLayout<sockaddr_un>.size)
        guard case .success = systemCall({ fstat(fd, &info) }), (info.st_mode & S_IFMT) == S_IFSOCK,
              case .success = systemCall({ getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) }), accepting == 1,
              case .success = systemCall({ withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &addressLength) } } }),
              address.sun_family == sa_family_t(AF_UNIX) else {
            throw TrackerError(.invalidArgument, "the socket systemd passed (fd 3) is not a listening Unix stream socket: give the socket unit a ListenStream= path")
        }
        let flags = (try? systemCall({ fcntl(fd, F_GETFL) }).get()) ?? 0
        _ = systemCall { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        _ = systemCall { fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let path = withUnsafeBytes(of: &address.sun_path) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return (FileDescriptor(rawValue: fd), path)
    }

    /// Whether standard error is the journal's stream (`JOURNAL_STREAM` names its device and
    /// inode): then log lines carry a `<N>` priority and no time of their own.
    static let logsToJournal: Bool = {
        guard let text = DefaultPaths.environment("JOURNAL_STREAM") else { return false }
        let parts = text.split(separator: ":")
        var info = stat()
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]), case .success = systemCall({ fstat(2, &info) }) else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }()
}
