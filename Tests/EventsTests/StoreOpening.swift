import Glibc
@testable import Events

/// `LogStore.open` for tests that close a store and open it again in this process.
///
/// The store's lock is a `flock` on an open file description. While another test of this process
/// spawns a program, the child holds a copy of every descriptor between its fork and its exec
/// (they are close-on-exec, so only for that moment), and with it the lock of a store this process
/// has just closed. The open is then refused as "another trackerd (pid <this process>)"; such a
/// refusal is retried for a bounded time. A lock held by anyone else is refused at once.
func openStore(directory: String, options: LogOptions = testOptions()) throws -> (LogStore, RecoveryReport) {
    let deadline = monotonicSeconds() + 10
    while true {
        let outcome = Result { () throws(TrackerError) in try LogStore.open(directory: directory, options: options) }
        guard case .failure(let error) = outcome else { return try outcome.get() }
        let ownLock = error.code == .conflict && error.message.contains("(pid \(getpid()))")
        guard ownLock && monotonicSeconds() < deadline else { throw error }
        usleep(1_000)
    }
}

private func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
