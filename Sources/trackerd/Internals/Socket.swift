import Events
import Glibc

/// Raw socket calls for the server, each through `systemCall` (EINTR retried, typed errors).
enum Socket {
    /// Peer credentials from `SO_PEERCRED`.
    struct PeerCredentials: Sendable {
        var pid: Int32
        var uid: UInt32
        var gid: UInt32
    }

    /// Creates, binds and listens on a Unix socket at `address`, mode 0660, non-blocking.
    ///
    /// A stale socket file (nobody answers on it) is removed first; a live one, or a path that is
    /// not a socket, is an error.
    static func listen(at address: UnixSocketAddress, backlog: Int32 = 512) throws(TrackerError) -> FileDescriptor {
        try removeStale(address)
        let fd: Int32
        do {
            fd = try systemCall { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0) }.get()
        } catch {
            throw TrackerError(.ioError, "cannot create a socket: \(error)")
        }
        // Never world-accessible, not even for the instant between bind and chmod.
        let oldMask = umask(0o117)
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        let bindError = Errno.current
        umask(oldMask)
        if bound != 0 {
            close(fd)
            throw TrackerError(.ioError, "cannot bind \(address): \(bindError)")
        }
        chmod(address.path, 0o660)
        if Glibc.listen(fd, backlog) != 0 {
            let error = Errno.current
            close(fd)
            unlink(address.path)
            throw TrackerError(.ioError, "cannot listen on \(address): \(error)")
        }
        return FileDescriptor(rawValue: fd)
    }

    private static func removeStale(_ address: UnixSocketAddress) throws(TrackerError) {
        var info = stat()
        guard lstat(address.path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw TrackerError(.conflict, "\(address) exists and is not a socket; remove it or choose another --socket")
        }
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(probe) }
        let result = address.withSockaddr { connect(probe, $0, $1) }
        if result == 0 {
            throw TrackerError(.conflict, "another daemon is already serving on \(address)")
        }
        let error = Errno.current
        if error == .connectionRefused || error == .noEntry {
            unlink(address.path)
        } else {
            throw TrackerError(.ioError, "cannot check the existing socket \(address): \(error)")
        }
    }

    /// Accepts one connection; nil when none is waiting (`EAGAIN`).
    static func accept(_ listener: FileDescriptor) -> Result<FileDescriptor?, Errno> {
        while true {
            let fd = Glibc.accept(listener.rawValue, nil, nil)
            if fd >= 0 {
                // The listening socket is non-blocking; the connection must not be.
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
                return .success(FileDescriptor(rawValue: fd))
            }
            let error = Errno.current
            if error == .interrupted { continue }
            if error == .wouldBlock { return .success(nil) }
            return .failure(error)
        }
    }

    /// The peer's pid, uid and gid.
    static func peerCredentials(_ fd: FileDescriptor) -> PeerCredentials? {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } (hidden behind _GNU_SOURCE in Glibc's module).
        var credentials = PeerCredentials(pid: 0, uid: 0, gid: 0)
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(fd.rawValue, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return nil }
        return credentials
    }

    /// Sets receive and send timeouts (seconds; 0 means none).
    static func setTimeouts(_ fd: FileDescriptor, receive: Double, send: Double) {
        func set(_ option: Int32, _ seconds: Double) {
            var value = timeval(tv_sec: Int(seconds.rounded(.down)), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
            setsockopt(fd.rawValue, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
        }
        set(SO_RCVTIMEO, receive)
        set(SO_SNDTIMEO, send)
    }

    /// Reads what is available (blocking up to the receive timeout): 0 at end of stream.
    static func receive(_ fd: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        systemCall { recv(fd.rawValue, buffer.baseAddress, buffer.count, 0) }
    }

    /// Sends all of `bytes` without raising SIGPIPE; fails on a closed peer or the send timeout.
    static func sendAll(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer) -> Result<Void, Errno> {
        var done = 0
        while done < bytes.count {
            switch systemCall({ send(fd.rawValue, bytes.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }) {
            case .success(let n): done += n
            case .failure(let error): return .failure(error)
            }
        }
        return .success(())
    }

    /// `POLLRDHUP` (hidden behind _GNU_SOURCE in Glibc's module).
    private static let pollReadHangUp: Int16 = 0x2000

    /// Whether the peer has closed its end (checked without blocking).
    static func peerClosed(_ fd: FileDescriptor) -> Bool {
        var poll = pollfd(fd: fd.rawValue, events: Int16(POLLIN) | pollReadHangUp, revents: 0)
        guard Glibc.poll(&poll, 1, 0) > 0 else { return false }
        if poll.revents & (pollReadHangUp | Int16(POLLHUP) | Int16(POLLERR)) != 0 { return true }
        var byte: UInt8 = 0
        return recv(fd.rawValue, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT)) == 0
    }

    /// The user name for `uid`, or the uid in decimal.
    static func userName(_ uid: UInt32) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 1024)
        if getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, let result, let name = result.pointee.pw_name {
            return String(cString: name)
        }
        return String(uid)
    }
}
