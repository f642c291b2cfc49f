import Synchronization

/// A value guarded by a mutex (`withLockedValue { inout }`), after swift-service-lifecycle's
/// LockedValueBox; the mutex is `Synchronization.Mutex`, whose storage the compiler keeps in place.
final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLockedValue<R: Sendable, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        try mutex.withLock { (value: inout Value) throws(E) -> R in try body(&value) }
    }
}
