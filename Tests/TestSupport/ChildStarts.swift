import Foundation
import Glibc

/// Starting a child copies every open descriptor of the test process into it until it executes its
/// program (posix_spawn: the copy lives from clone to exec, and `Process.run` returns after the
/// exec). A store's lock is an `flock`, held by every copy of the locked descriptor: a store closed
/// by one test and opened again at once would find it still locked by a child another test is
/// starting at that moment, on a busy machine often enough to fail (the lock is refused as if
/// another trackerd held it).
///
/// So the tests start children through `ChildStarts.run` (many at once), and open a store in the
/// test process with `ChildStarts.excluded`: an open waits until no child is being started, which
/// is until every copy of a descriptor closed before it is gone.
public enum ChildStarts {
    /// Shared by starts, exclusive for opens; preferring the opens, so a stream of starts cannot
    /// keep one waiting. On the heap: a pthread object must not move.
    nonisolated(unsafe) private static let lock: UnsafeMutablePointer<pthread_rwlock_t> = {
        let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        return lock
    }()

    /// Starts `process` (its program is executing when this returns).
    public static func run(_ process: Process) throws {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        try process.run()
    }

    /// Runs `body` while no child of this process is being started: no descriptor closed before it
    /// lives on in a child.
    public static func excluded<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}
