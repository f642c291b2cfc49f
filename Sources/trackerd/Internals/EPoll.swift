import Events
import Glibc

/// Linux's `epoll`, through the funnel: the event loop's set of descriptors is registered once and
/// changed only when what the loop waits for on one changes, and a wait returns the ready ones
/// only, where `poll` walked every connection in the kernel on every turn.
///
/// Glibc's Swift module does not declare epoll (`GNU`), and `struct epoll_event` is packed on
/// x86-64 (12 bytes, the data at offset 4), so events are read and written as bytes.
final class EPoll {
    private let fd: Int32
    /// Room for the events of one wait.
    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int

    #if arch(x86_64)
    private static let eventSize = 12
    private static let dataOffset = 4
    #else
    private static let eventSize = 16
    private static let dataOffset = 8
    #endif

    static let input: UInt32 = 0x001
    static let output: UInt32 = 0x004
    static let hangUp: UInt32 = 0x010
    static let error: UInt32 = 0x008

    private static let add = Int32(1), delete = Int32(2), modify = Int32(3)

    init(capacity: Int = 512) throws(Errno) {
        fd = try systemCall { GNU.epollCreate1(O_CLOEXEC) }.get()
        self.capacity = capacity
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity * Self.eventSize, alignment: 8)
    }

    deinit {
        buffer.deallocate()
        FileDescriptor(rawValue: fd).close()
    }

    /// Starts watching `descriptor` for `events`; its readiness comes back with `id`.
    func add(_ descriptor: Int32, events: UInt32, id: UInt64) -> Result<Void, Errno> {
        control(Self.add, descriptor, events: events, id: id)
    }

    /// Changes what `descriptor` is watched for.
    func modify(_ descriptor: Int32, events: UInt32, id: UInt64) -> Result<Void, Errno> {
        control(Self.modify, descriptor, events: events, id: id)
    }

    /// Stops watching `descriptor`.
    func remove(_ descriptor: Int32) {
        _ = control(Self.delete, descriptor, events: 0, id: 0)
    }

    private func control(_ operation: Int32, _ descriptor: Int32, events: UInt32, id: UInt64) -> Result<Void, Errno> {
        withUnsafeTemporaryAllocation(byteCount: Self.eventSize, alignment: 8) { event in
            event.baseAddress!.storeBytes(of: events, as: UInt32.self)
            event.baseAddress!.storeBytes(of: id, toByteOffset: Self.dataOffset, as: UInt64.self)
            return systemCall { GNU.epollCtl(fd, operation, descriptor, event.baseAddress!) }.map { _ in () }
        }
    }

    /// Waits up to `milliseconds` (-1: no limit) and calls `each` with the id and events of every
    /// ready descriptor.
    func wait(milliseconds: Int32, _ each: (UInt64, UInt32) -> Void) -> Result<Void, Errno> {
        systemCall { GNU.epollWait(fd, buffer, Int32(capacity), milliseconds) }.map { count in
            for index in 0..<Int(count) {
                let event = buffer + index * Self.eventSize
                each(event.loadUnaligned(fromByteOffset: Self.dataOffset, as: UInt64.self), event.loadUnaligned(as: UInt32.self))
            }
        }
    }
}
