import Events
import Glibc
import Projections

/// Bytes received and not yet consumed: `recv` writes straight into the free space at the end, and
/// a line is copied out once (a status answer of a thousand rows is about 400 KB).
struct ReceiveBuffer: ~Copyable {
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    /// The unread bytes are `start..<end`.
    private(set) var start = 0
    var end = 0

    init() {
        capacity = 1 << 16
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// The free space after the unread bytes.
    var free: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: storage + end, count: capacity - end) }

    /// The index of the first `byte` at or after `from`.
    func find(_ byte: UInt8, from: Int) -> Int? {
        guard from < end, let found = memchr(storage + from, Int32(byte), end - from) else { return nil }
        return storage.distance(to: found)
    }

    /// The unread bytes up to (not including) `index`, consuming them and the byte at `index`.
    mutating func take(through index: Int) -> [UInt8] {
        let line = [UInt8](UnsafeRawBufferPointer(start: storage + start, count: index - start))
        start = index + 1
        if start == end { start = 0; end = 0 }
        return line
    }

    /// At least `bytes` of free space: the unread bytes move to the front, or the storage grows.
    mutating func makeRoom(_ bytes: Int) {
        guard capacity - end < bytes else { return }
        let unread = end - start
        if start > 0 && capacity - unread >= bytes {
            (storage + 0).copyMemory(from: storage + start, byteCount: unread)
        } else {
            let grown = max(capacity * 2, unread + bytes)
            let larger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
            larger.copyMemory(from: storage + start, byteCount: unread)
            storage.deallocate()
            storage = larger
            capacity = grown
        }
        start = 0
        end = unread
    }
}
