import Events
import Glibc

/// The server's socket calls, each through the funnel (`systemCall`, `nonBlockingCall`: `EINTR`
/// retried, errors typed, `EAGAIN` a value).
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
        switch systemCall({ socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0) }) {
        case .success(let made): fd = made
        case .failure(let error): throw TrackerError(.ioError, "cannot create a socket: \(error)")
        }
        // Never world-accessible, not even for the instant between bind and chmod.
        let oldMask = umask(0o117)
        let bound = systemCall { address.withSockaddr { bind(fd, $0, $1) } }
        umask(oldMask)
        if case .failure(let error) = bound {
            close(fd)
            throw TrackerError(.ioError, "cannot bind \(address): \(error)")
        }
        _ = systemCall { chmod(address.path, 0o660) }
        if case .failure(let error) = systemCall({ Glibc.listen(fd, backlog) }) {
            close(fd)
            _ = systemCall { unlink(address.path) }
            throw TrackerError(.ioError, "cannot listen on \(address): \(error)")
        }
        return FileDescriptor(rawValue: fd)
    }

    private static func removeStale(_ address: UnixSocketAddress) throws(TrackerError) {
        var info = stat()
        guard case .success = systemCall({ lstat(address.path, &info) }) else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw TrackerError(.conflict, "\(address) exists and is not a socket; remove it or choose another --socket")
        }
        let probe: Int32
        switch systemCall({ socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }) {
        case .success(let made): probe = made
        case .failure(let error): throw TrackerError(.ioError, "cannot check the existing socket \(address): \(error)")
        }
        defer { close(probe) }
        switch systemCall({ address.withSockaddr { connect(probe, $0, $1) } }) {
        case .success:
            throw TrackerError(.conflict, "another daemon is already serving on \(address)")
        case .failure(let error) where error == .connectionRefused || error == .noEntry:
            _ = systemCall { unlink(address.path) }
        case .failure(let error):
            throw TrackerError(.ioError, "cannot check the existing socket \(address): \(error)")
        }
    }

    /// Accepts one connection, non-blocking and closed on `exec` from the start (`accept4`);
    /// `.wouldBlock` when none is waiting.
    static func accept(_ listener: FileDescriptor) -> Result<IOResult<FileDescriptor>, Errno> {
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        return nonBlockingCall { GNU.accept4(listener.rawValue, nil, nil, flags) }.map { result in
            switch result {
            case .processed(let fd): .processed(FileDescriptor(rawValue: fd))
            case .wouldBlock: .wouldBlock
            }
        }
    }

    /// The peer's pid, uid and gid.
    static func peerCredentials(_ fd: FileDescriptor) -> PeerCredentials? {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } (hidden behind _GNU_SOURCE in Glibc's module).
        var credentials = PeerCredentials(pid: 0, uid: 0, gid: 0)
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard case .success = systemCall({ getsockopt(fd.rawValue, SOL_SOCKET, SO_PEERCRED, &credentials, &length) }) else { return nil }
        return credentials
    }

    /// Reads what the socket holds without blocking: the count (0 at the end of the stream), or
    /// `.wouldBlock` when nothing is there.
    @inline(__always)
    static func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<IOResult<Int>, Errno> {
        nonBlockingCall { recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT)) }
    }

    /// Sends what the socket takes without blocking and without raising SIGPIPE: the count, or
    /// `.wouldBlock` when its buffer is full.
    @inline(__always)
    static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<IOResult<Int>, Errno> {
        nonBlockingCall { Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
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
