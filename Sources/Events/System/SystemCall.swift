import Glibc

/// Runs a system call that returns -1 and sets `errno` on failure, retrying on `EINTR`.
///
/// This is the one funnel for raw calls of the daemon and the store: everything above it sees
/// `Result<_, Errno>`, and throwing happens only at the public edge.
@inline(__always)
public func systemCall<T: FixedWidthInteger>(_ body: () -> T) -> Result<T, Errno> {
    while true {
        let value = body()
        if value != -1 { return .success(value) }
        let error = Errno.current
        if error == .interrupted { continue }
        return .failure(error)
    }
}

/// Runs a call that returns its error number instead of setting `errno` (`posix_fallocate`,
/// `posix_fadvise`, the pthread calls), retrying on `EINTR`.
@inline(__always)
public func systemCallReturningError(_ body: () -> Int32) -> Result<Void, Errno> {
    while true {
        let result = body()
        if result == 0 { return .success(()) }
        if result == EINTR { continue }
        return .failure(Errno(rawValue: result))
    }
}

/// What a call on a non-blocking descriptor came to: done (with its count or descriptor), or
/// nothing to do now (`EAGAIN`), which is a value, not an error.
public enum IOResult<T> {
    /// The call did its work.
    case processed(T)
    /// The call would have blocked: try again when `poll` says the descriptor is ready.
    case wouldBlock
}

/// `systemCall` for a non-blocking descriptor: `EAGAIN` comes back as `.wouldBlock`.
@inline(__always)
public func nonBlockingCall<T: FixedWidthInteger>(_ body: () -> T) -> Result<IOResult<T>, Errno> {
    switch systemCall(body) {
    case .success(let value): return .success(.processed(value))
    case .failure(let error) where error == .wouldBlock: return .success(.wouldBlock)
    case .failure(let error): return .failure(error)
    }
}
