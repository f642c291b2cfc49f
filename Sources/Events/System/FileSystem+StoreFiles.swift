import Glibc

/// Creating and reading the store's own small files (snapshots, the key, the head mark, the pid
/// file) without ever going through a link someone planted: every file is created with
/// `O_EXCL|O_NOFOLLOW` (so a symlink or an existing file at the name is an error, never a target)
/// and read with `O_NOFOLLOW`.
extension FileSystem {
    /// Creates a new file at `path` for writing; `EEXIST` if anything (a file, a link) is there.
    public static func createNew(_ path: String, mode: mode_t) throws(Errno) -> FileDescriptor {
        let fd = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: mode)
        // The umask may have taken bits away; it never adds any, but say exactly what is meant.
        _ = try? fd.setMode(mode)
        return fd
    }

    /// Writes `bytes` to a new temporary file beside `path` (`O_EXCL|O_NOFOLLOW`, a stale one from
    /// a crash removed first), syncs it, renames it over `path` and syncs the directory. A link at
    /// `path` is replaced, never followed; a reader sees the old file or the new one, never half.
    public static func replaceFile(_ path: String, with bytes: UnsafeRawBufferPointer, mode: mode_t = 0o640) throws(Errno) {
        let temporary = path + ".tmp"
        try remove(temporary)
        let fd = try createNew(temporary, mode: mode)
        do throws(Errno) {
            try fd.closeAfter { () throws(Errno) in
                try fd.writeAll(bytes, at: 0)
                try fd.sync()
            }
            try rename(temporary, to: path)
        } catch {
            _ = try? remove(temporary)
            throw error
        }
        try syncDirectory(directoryName(of: path))
    }

    /// Writes `bytes` to a new file at `path` that nothing replaces afterwards: a new temporary
    /// file beside it (`O_EXCL|O_NOFOLLOW`, a stale one removed first), synced, then `link`ed to
    /// `path` (which never replaces anything: `EEXIST` when something is there) and the directory
    /// synced. For files made once in a store's life (its key, its id).
    public static func createOnce(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(Errno) {
        let temporary = path + ".tmp"
        try remove(temporary)
        let fd = try createNew(temporary, mode: mode)
        defer { _ = try? remove(temporary) }
        try fd.closeAfter { () throws(Errno) in
            try bytes.withBytes { (raw) throws(Errno) in try fd.writeAll(raw, at: 0) }
            try fd.sync()
        }
        _ = try systemCall { link(temporary, path) }.get()
        try syncDirectory(directoryName(of: path))
    }

    /// Fills `bytes` from the kernel's random source; the error names `what` they were for.
    public static func randomBytes(_ bytes: inout [UInt8], for what: String) throws(TrackerError) {
        do throws(Errno) {
            let fd = try FileDescriptor.open("/dev/urandom", O_RDONLY)
            let n = try fd.closeAfter { () throws(Errno) -> Int in
                try bytes.withMutableBytes { (raw) throws(Errno) -> Int in try fd.readFully(into: raw, at: 0) }
            }
            guard n == bytes.count else { throw Errno.ioError }
        } catch {
            throw TrackerError(.ioError, "cannot read random bytes for \(what) from /dev/urandom: \(error)")
        }
    }

    /// `replaceFile` for a byte array.
    public static func replaceFile(_ path: String, with bytes: [UInt8], mode: mode_t = 0o640) throws(Errno) {
        try bytes.withBytes { (raw) throws(Errno) in try replaceFile(path, with: raw, mode: mode) }
    }

    /// The absolute path of `path` with every link resolved (`realpath`).
    public static func resolvedPath(_ path: String) throws(Errno) -> String {
        guard let resolved = realpath(path, nil) else { throw Errno.current }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What `openRegular` found.
    public struct RegularFile {
        /// The open descriptor (the caller closes it).
        public var fd: FileDescriptor
        /// Its `fstat`.
        public var info: stat
    }

    /// Opens an existing regular file read-only without following a link; nil when nothing is
    /// there. A link, a directory or a device at `path` is `ELOOP`/`EINVAL`, never opened.
    public static func openRegular(_ path: String) throws(Errno) -> RegularFile? {
        let fd: FileDescriptor
        do throws(Errno) { fd = try FileDescriptor.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK) } catch where error == .noEntry {
            return nil
        }
        let info: stat
        do throws(Errno) { info = try fd.status() } catch {
            fd.close()
            throw error
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            fd.close()
            throw Errno(rawValue: EINVAL)
        }
        return RegularFile(fd: fd, info: info)
    }

    /// Reads a small regular file whole (`O_NOFOLLOW`), to its end whatever its size says (files of
    /// /proc say 0), refusing one longer than `limit` bytes; nil when nothing is there.
    public static func readSmallFile(_ path: String, limit: Int) throws(Errno) -> [UInt8]? {
        guard let file = try openRegular(path) else { return nil }
        return try file.fd.closeAfter { () throws(Errno) -> [UInt8] in
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = try chunk.withMutableBytes { (raw) throws(Errno) -> Int in try file.fd.read(into: raw, at: Int64(bytes.count)) }
                if n == 0 { return bytes }
                bytes.append(contentsOf: chunk[..<n])
                if bytes.count > limit { throw Errno(rawValue: EFBIG) }
            }
        }
    }
}
