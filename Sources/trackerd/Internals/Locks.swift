import Glibc

/// A readers-writer lock (pthread): many queries read the ledger at once; the writer applies
/// each batch alone, briefly.
final class ReadWriteLock: @unchecked Sendable {
    private var lock = pthread_rwlock_t()

    init() {
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        // Prefer the writer, so a stream of queries cannot starve appends.
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(&lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
    }

    deinit { pthread_rwlock_destroy(&lock) }

    func withReadLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_rdlock(&lock)
        defer { pthread_rwlock_unlock(&lock) }
        return try body()
    }

    func withWriteLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_wrlock(&lock)
        defer { pthread_rwlock_unlock(&lock) }
        return try body()
    }
}

/// A mutex with a condition variable, for the writer's queue and for waiting on results.
final class ConditionLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()

    init() {
        pthread_mutex_init(&mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(&condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    func lock() { pthread_mutex_lock(&mutex) }
    func unlock() { pthread_mutex_unlock(&mutex) }

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }

    /// Waits (the mutex must be held) until signalled.
    func wait() { pthread_cond_wait(&condition, &mutex) }

    /// Waits (the mutex must be held) until signalled or `seconds` pass; false on timeout.
    @discardableResult
    func wait(seconds: Double) -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let nanos = Int(deadline.tv_nsec) + Int((seconds - seconds.rounded(.down)) * 1e9)
        deadline.tv_sec += Int(seconds.rounded(.down)) + nanos / 1_000_000_000
        deadline.tv_nsec = nanos % 1_000_000_000
        return pthread_cond_timedwait(&condition, &mutex, &deadline) == 0
    }

    func signal() { pthread_cond_signal(&condition) }
    func broadcast() { pthread_cond_broadcast(&condition) }
}

/// A value guarded by a mutex (`withLockedValue { inout }`), after swift-service-lifecycle's LockedValueBox.
final class LockedBox<Value>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var value: Value

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    func withLockedValue<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body(&value)
    }
}

/// A one-shot result a thread waits for, filled by another.
final class Promise<Value: Sendable>: @unchecked Sendable {
    private let condition = ConditionLock()
    private var value: Value?

    func fulfil(_ value: Value) {
        condition.withLock {
            self.value = value
            condition.signal()
        }
    }

    func wait() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value!
    }
}
