import Glibc

/// An open file descriptor with the few operations the log needs.
///
/// A plain value: the caller owns closing it (`close()` or `closeAfter`).
/// Every call goes through `systemCall`, so `EINTR` is retried and errors are typed.
public struct FileDescriptor: Sendable, Hashable {
    /// The raw descriptor number.
    public let rawValue: Int32

    /// Wraps a raw descriptor.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Opens `path` with the given `open(2)` flags (`O_CLOEXEC` is always added).
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(Errno) -> FileDescriptor {
        let fd = try systemCall { Glibc.open(path, flags | O_CLOEXEC, mode) }.get()
        return FileDescriptor(rawValue: fd)
    }

    /// Closes the descriptor; errors from `close` are ignored (the descriptor is gone either way,
    /// so `close` is the one call never retried on `EINTR`: the number may already be reused).
    public func close() { _ = Glibc.close(rawValue) }

    /// Runs `body` and closes the descriptor afterwards, even when `body` throws.
    public func closeAfter<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        defer { close() }
        return try body()
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns the count read (0 at end of file).
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(Errno) -> Int {
        try systemCall { pread(rawValue, buffer.baseAddress, buffer.count, off_t(offset)) }.get()
    }

    /// Reads until `buffer` is full or end of file; returns the count read.
    public func readFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(Errno) -> Int {
        var done = 0
        while done < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Writes all of `bytes` at `offset`, looping over partial writes.
    public func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(Errno) {
        var done = 0
        while done < bytes.count {
            let n = try systemCall {
                pwrite(rawValue, bytes.baseAddress! + done, bytes.count - done, off_t(offset + Int64(done)))
            }.get()
            done += n
        }
    }

    /// Writes all of `bytes` at the current position, looping over partial writes.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        var done = 0
        while done < bytes.count {
            let n = try systemCall { Glibc.write(rawValue, bytes.baseAddress! + done, bytes.count - done) }.get()
            done += n
        }
    }

    /// Flushes the file's data (and the metadata needed to read it) to stable storage.
    public func dataSync() throws(Errno) {
        _ = try systemCall { fdatasync(rawValue) }.get()
    }

    /// Flushes the file's data and all its metadata; used on directories after creating a file.
    public func sync() throws(Errno) {
        _ = try systemCall { fsync(rawValue) }.get()
    }

    /// The file's `fstat`.
    public func status() throws(Errno) -> stat {
        var info = stat()
        _ = try systemCall { fstat(rawValue, &info) }.get()
        return info
    }

    /// The file's size in bytes.
    public func size() throws(Errno) -> Int64 {
        Int64(try status().st_size)
    }

    /// Sets the file's permission bits.
    public func setMode(_ mode: mode_t) throws(Errno) {
        _ = try systemCall { fchmod(rawValue, mode) }.get()
    }

    /// Sets the file's size.
    public func truncate(to size: Int64) throws(Errno) {
        _ = try systemCall { ftruncate(rawValue, off_t(size)) }.get()
    }

    /// Reserves disk blocks for `[0, size)` and sets the file size, so later writes there need no
    /// block allocation (and `fdatasync` need not journal a size change).
    public func preallocate(size: Int64) throws(Errno) {
        try systemCallReturningError { posix_fallocate(rawValue, 0, off_t(size)) }.get()
    }

    /// Drops the file's pages from the page cache (`POSIX_FADV_DONTNEED`), so the next read
    /// comes from the disk. Advice: its failure changes nothing the caller relies on.
    public func dropCachedPages() throws(Errno) {
        try systemCallReturningError { posix_fadvise(rawValue, 0, 0, Int32(POSIX_FADV_DONTNEED)) }.get()
    }

    /// Takes an exclusive advisory lock without waiting; `EWOULDBLOCK` means another process holds it.
    public func lockExclusiveNonBlocking() throws(Errno) {
        _ = try systemCall { flock(rawValue, LOCK_EX | LOCK_NB) }.get()
    }
}
