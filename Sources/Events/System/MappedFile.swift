import Glibc

/// A whole file mapped read-only, unmapped when the value goes away (so a large snapshot read once
/// does not stay in the process's memory).
public final class MappedFile: @unchecked Sendable {
    /// The file's bytes; valid while this object lives.
    public let bytes: UnsafeRawBufferPointer
    private let base: UnsafeMutableRawPointer?

    /// Maps the regular file at `path` (`O_NOFOLLOW`); nil when nothing is there.
    public init?(path: String) throws(Errno) {
        guard let file = try FileSystem.openRegular(path) else { return nil }
        defer { file.fd.close() }
        let size = Int(file.info.st_size)
        guard size > 0 else {
            base = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, file.fd.rawValue, 0), mapped != MAP_FAILED else {
            throw Errno.current
        }
        base = mapped
        bytes = UnsafeRawBufferPointer(start: mapped, count: size)
    }

    deinit {
        if let base { munmap(base, bytes.count) }
    }
}
