import Events
import Foundation
import Glibc

/// The physical floor of this machine, measured the same way the daemon works: what one durable
/// append and one socket round trip cost with nothing of tracker in between. One client cannot
/// go faster than one of each per disbursement.
enum Floor {
    /// How the file under a synced write was made.
    enum FileKind: String, CaseIterable {
        /// Space reserved with `posix_fallocate`, as the daemon's segments are: the blocks exist but
        /// are marked unwritten, so the first write into each still changes the file's extent map.
        case preallocated
        /// Zeros written and synced beforehand: a sync writes the data block and nothing else.
        case zeroFilled = "zero-filled"
        /// An empty file that grows with every write: each sync also writes the new size.
        case growing
    }

    /// Median microseconds to write 300 bytes after the last and `fdatasync` them, into a file of `kind`.
    static func appendSync(directory: String, count: Int, into kind: FileKind = .preallocated) throws(TrackerError) -> Double {
        let path = directory + "/floor.tmp"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TrackerError(.ioError, "cannot create \(path): \(Errno.current)") }
        defer { close(fd); unlink(path) }
        let record = [UInt8](repeating: 0x61, count: 299) + [0x0A]
        let size = count * record.count
        switch kind {
        case .preallocated:
            guard posix_fallocate(fd, 0, off_t(size)) == 0, fsync(fd) == 0 else {
                throw TrackerError(.ioError, "cannot preallocate \(path): \(Errno.current)")
            }
        case .zeroFilled:
            let zeros = [UInt8](repeating: 0, count: size)
            do throws(Errno) { try zeros.withBytes { (bytes) throws(Errno) in try FileDescriptor(rawValue: fd).writeAll(bytes, at: 0) } } catch {
                throw TrackerError(.ioError, "cannot fill \(path) with zeros: \(error)")
            }
            guard fsync(fd) == 0 else { throw TrackerError(.ioError, "cannot sync \(path): \(Errno.current)") }
        case .growing:
            guard fsync(fd) == 0 else { throw TrackerError(.ioError, "cannot sync \(path): \(Errno.current)") }
        }
        var offset: off_t = 0
        var times: [Double] = []
        times.reserveCapacity(count)
        for _ in 0..<count {
            let started = monotonicSeconds()
            let written = record.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, offset) }
            guard written == record.count, fdatasync(fd) == 0 else { throw TrackerError(.ioError, "cannot write \(path): \(Errno.current)") }
            times.append((monotonicSeconds() - started) * 1e6)
            offset += off_t(record.count)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// Median microseconds for a 100-byte message to go to another thread over a Unix socket and back.
    static func socketRoundTrip(count: Int) throws(TrackerError) -> Double {
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw TrackerError(.ioError, "cannot create a socket pair: \(Errno.current)")
        }
        let (mine, theirs) = (pair[0], pair[1])
        defer { close(mine); close(theirs) }
        let echo = Thread {
            var buffer = [UInt8](repeating: 0, count: 100)
            for _ in 0..<count {
                guard readFully(theirs, &buffer), sent(theirs, buffer) else { return }
            }
        }
        echo.stackSize = 256 << 10
        echo.start()
        var message = [UInt8](repeating: 0x62, count: 100)
        var times: [Double] = []
        times.reserveCapacity(count)
        for _ in 0..<count {
            let started = monotonicSeconds()
            guard sent(mine, message), readFully(mine, &message) else { throw TrackerError(.ioError, "the socket pair failed: \(Errno.current)") }
            times.append((monotonicSeconds() - started) * 1e6)
        }
        times.sort()
        return times[times.count / 2]
    }

    private static func sent(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        if case .success = bytes.withUnsafeBytes({ sendAll(fd, $0) }) { return true }
        return false
    }

    private static func readFully(_ fd: Int32, _ bytes: inout [UInt8]) -> Bool {
        bytes.withUnsafeMutableBytes { raw in
            var done = 0
            while done < raw.count {
                let n = recv(fd, raw.baseAddress! + done, raw.count - done, 0)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; return false }
                done += n
            }
            return true
        }
    }
}
