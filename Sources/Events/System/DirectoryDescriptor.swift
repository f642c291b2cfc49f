import Glibc

/// An open directory, in which names are created and opened relative to it (`openat`, `mkdirat`),
/// never through a symbolic link.
///
/// The directory itself is opened with `O_NOFOLLOW | O_DIRECTORY`: a link planted where the
/// directory should be is refused (`ELOOP`/`ENOTDIR`) rather than followed. Files are created with
/// `O_CREAT | O_EXCL | O_NOFOLLOW`, so a name that already exists — a file, or a link to one
/// elsewhere — is refused (`EEXIST`) rather than opened and overwritten. Nothing here resolves a
/// path again after it was opened, so what another user does to the path meanwhile does not matter.
/// A plain value: the caller owns closing it.
public struct DirectoryDescriptor: Sendable {
    /// The directory's descriptor.
    public let fd: FileDescriptor

    private init(_ fd: FileDescriptor) { self.fd = fd }

    /// Opens the directory at `path`; refuses a symbolic link in its last component.
    public static func open(_ path: String) throws(Errno) -> DirectoryDescriptor {
        DirectoryDescriptor(try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW))
    }

    /// Opens the directory at `path`, following links on the way (the place a caller names).
    public static func openFollowing(_ path: String) throws(Errno) -> DirectoryDescriptor {
        DirectoryDescriptor(try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY))
    }

    /// Closes the descriptor.
    public func close() { fd.close() }

    /// Opens the directory `name` inside this one; refuses a symbolic link.
    public func openDirectory(_ name: String) throws(Errno) -> DirectoryDescriptor {
        let raw = try systemCall { openat(fd.rawValue, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }.get()
        return DirectoryDescriptor(FileDescriptor(rawValue: raw))
    }

    /// Creates the directory `name` inside this one (`EEXIST` when anything, a link included, has that name).
    public func makeDirectory(_ name: String, mode: mode_t = 0o750) throws(Errno) {
        _ = try systemCall { mkdirat(fd.rawValue, name, mode) }.get()
    }

    /// Creates the new file `name` inside this one for writing (`EEXIST` when anything has that name).
    public func createFile(_ name: String, mode: mode_t = 0o640) throws(Errno) -> FileDescriptor {
        let raw = try systemCall { openat(fd.rawValue, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode) }.get()
        return FileDescriptor(rawValue: raw)
    }

    /// Gives the file `from` the name `to` inside this directory, refusing to replace anything
    /// already named `to` (`EEXIST`): a new link, then the old name removed. (`renameat2` with
    /// `RENAME_NOREPLACE` would do the same, but Glibc's module does not declare it.)
    public func renameNoReplace(_ from: String, to: String) throws(Errno) {
        _ = try systemCall { linkat(fd.rawValue, from, fd.rawValue, to, 0) }.get()
        _ = try systemCall { unlinkat(fd.rawValue, from, 0) }.get()
    }

    /// Removes the file (or, with `directory`, the empty directory) `name` inside this one.
    public func remove(_ name: String, directory: Bool = false) throws(Errno) {
        _ = try systemCall { unlinkat(fd.rawValue, name, directory ? AT_REMOVEDIR : 0) }.get()
    }

    /// The names in the directory (without "." and "..").
    public func names() throws(Errno) -> [String] {
        // fdopendir takes the descriptor over: give it a copy.
        let copy = try systemCall { fcntl(fd.rawValue, F_DUPFD_CLOEXEC, 0) }.get()
        guard let stream = fdopendir(copy) else {
            let error = Errno.current
            _ = Glibc.close(copy)
            throw error
        }
        defer { closedir(stream) }
        return FileSystem.names(in: stream)
    }

    /// Whether `name` inside this directory is a symbolic link (not followed).
    public func isSymbolicLink(_ name: String) -> Bool {
        var info = stat()
        guard case .success = systemCall({ fstatat(fd.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) }) else { return false }
        return (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// The directory's owner.
    public func ownerUID() throws(Errno) -> uid_t {
        try fd.status().st_uid
    }

    /// The directory's device and inode: which directory it is, however it was reached.
    public func identity() throws(Errno) -> FileSystem.Identity {
        let info = try fd.status()
        return FileSystem.Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// `fsync` of the directory, so the names created in it survive power loss.
    public func sync() throws(Errno) { try fd.sync() }
}
