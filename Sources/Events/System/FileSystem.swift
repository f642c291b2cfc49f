import Glibc

/// Small path helpers over Glibc (no Foundation needed on hot paths).
public enum FileSystem {
    /// Which file a path leads to: its device and inode.
    public struct Identity: Hashable, Sendable {
        public var device: UInt64
        public var inode: UInt64
    }

    /// The `stat` of what `path` leads to (links followed).
    public static func status(_ path: String) throws(Errno) -> stat {
        var info = stat()
        _ = try systemCall { stat(path, &info) }.get()
        return info
    }

    /// The identity of what `path` leads to (links followed), or nil when nothing is there.
    public static func identity(_ path: String) -> Identity? {
        guard let info = try? status(path) else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Whether something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        (try? status(path)) != nil
    }

    /// Whether `path` is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        guard let info = try? status(path) else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Removes the name `path` (a link itself, never what it points to); true if it was there,
    /// false if nothing was.
    @discardableResult
    public static func remove(_ path: String) throws(Errno) -> Bool {
        switch systemCall({ unlink(path) }) {
        case .success: return true
        case .failure(let error) where error == .noEntry: return false
        case .failure(let error): throw error
        }
    }

    /// Renames `path` to `target` (replacing it); false if nothing was at `path`.
    @discardableResult
    public static func rename(_ path: String, to target: String) throws(Errno) -> Bool {
        switch systemCall({ Glibc.rename(path, target) }) {
        case .success: return true
        case .failure(let error) where error == .noEntry: return false
        case .failure(let error): throw error
        }
    }

    /// Creates `path` and any missing parents with `mode`.
    public static func createDirectory(_ path: String, mode: mode_t = 0o750) throws(Errno) {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if !isDirectory(prefix) {
                switch systemCall({ mkdir(prefix, mode) }) {
                case .success: break
                case .failure(let error) where error == .exists: break
                case .failure(let error): throw error
                }
            }
            prefix += "/"
        }
    }

    /// `fsync` of a directory, so a file created or renamed in it survives power loss.
    public static func syncDirectory(_ path: String) throws(Errno) {
        let fd = try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY)
        try fd.closeAfter { () throws(Errno) in try fd.sync() }
    }

    /// The names in a directory (without "." and "..").
    public static func list(_ path: String) throws(Errno) -> [String] {
        guard let dir = opendir(path) else { throw Errno.current }
        defer { closedir(dir) }
        return names(in: dir)
    }

    /// The names an open directory stream lists (without "." and "..").
    static func names(in dir: OpaquePointer) -> [String] {
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Reads a whole file.
    public static func readFile(_ path: String) throws(Errno) -> [UInt8] {
        let fd = try FileDescriptor.open(path, O_RDONLY)
        return try fd.closeAfter { () throws(Errno) -> [UInt8] in
            let size = Int(try fd.size())
            var bytes = [UInt8](repeating: 0, count: size)
            let n = try bytes.withMutableBytes { (buffer) throws(Errno) -> Int in try fd.readFully(into: buffer, at: 0) }
            bytes.removeSubrange(n...)
            return bytes
        }
    }

    /// Maps a whole file read-only and runs `body` over its bytes; the mapping is gone afterwards
    /// (so a large file read once does not stay in the process's memory).
    public static func withMappedFile<R>(_ path: String, _ body: (UnsafeRawBufferPointer) throws(TrackerError) -> R) throws(TrackerError) -> R {
        let fd: FileDescriptor
        do { fd = try FileDescriptor.open(path, O_RDONLY) } catch { throw TrackerError(.ioError, "cannot open \(path): \(error)") }
        defer { fd.close() }
        let size: Int
        do { size = Int(try fd.size()) } catch { throw TrackerError(.ioError, "cannot read \(path): \(error)") }
        guard size > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd.rawValue, 0), base != MAP_FAILED else {
            throw TrackerError(.ioError, "cannot map \(path): \(Errno.current)")
        }
        defer { munmap(base, size) }
        return try body(UnsafeRawBufferPointer(start: base, count: size))
    }

    /// Writes a whole file atomically: to a temporary name, `fsync`, rename, `fsync` of the directory.
    ///
    /// The temporary name is created new (`O_EXCL | O_NOFOLLOW`): a link planted there is never
    /// followed. One left by a crash (or planted) is removed first — `unlink` removes a link
    /// itself, not what it points to.
    public static func writeFileAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o640) throws(Errno) {
        let temporary = path + ".tmp"
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
        let fd: FileDescriptor
        do throws(Errno) { fd = try FileDescriptor.open(temporary, flags, mode: mode) } catch where error == .exists {
            try remove(temporary)
            fd = try FileDescriptor.open(temporary, flags, mode: mode)
        }
        try fd.closeAfter { () throws(Errno) in
            try bytes.withBytes { (buffer) throws(Errno) in try fd.writeAll(buffer, at: 0) }
            try fd.sync()
        }
        try rename(temporary, to: path)
        try syncDirectory(directoryName(of: path))
    }

    /// The directory part of a path ("." when there is none).
    public static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
