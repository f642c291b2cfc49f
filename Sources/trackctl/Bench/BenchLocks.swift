import Dispatch
import Events
import Foundation
import Glibc
import Projections

final class LockedLatencies: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ more: [Double]) { lock.lock(); values.append(contentsOf: more); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return values.count }
    func sorted() -> [Double] { lock.lock(); defer { lock.unlock() }; return values.sorted() }
}

final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
