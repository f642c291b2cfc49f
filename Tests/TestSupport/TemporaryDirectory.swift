import Foundation
import Glibc

/// A directory made for one test, removed with everything in it when the value goes away (or at
/// `remove()`). Short paths under /tmp, so a socket path inside one fits `sun_path`.
public final class TemporaryDirectory: Sendable {
    /// The absolute path.
    public let path: String

    /// Makes a new directory `/tmp/PREFIX.XXXXXX` (mkdtemp: a fresh name, mode 0700).
    public init(prefix: String = "trk") throws {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        path = String(cString: created)
    }

    deinit { remove() }

    /// A path inside the directory (not created).
    public func appending(_ component: String) -> String { path + "/" + component }

    /// Deletes the directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` with a fresh temporary directory and removes it afterwards, even when `body` throws.
public func withTemporaryDirectory<R>(_ prefix: String = "events-tests", _ body: (TemporaryDirectory) throws -> R) throws -> R {
    let directory = try TemporaryDirectory(prefix: prefix)
    defer { directory.remove() }
    return try body(directory)
}
