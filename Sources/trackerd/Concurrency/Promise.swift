import Glibc

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
