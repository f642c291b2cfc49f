import Glibc

/// One daemon per store: an exclusive `flock` on the store directory itself.
///
/// The directory cannot be deleted or replaced from under the daemon while it holds files (a
/// `LOCK` file can be, which once let a second daemon in). `LOCK` remains, holding the pid for
/// people; it is locked as well, so an older trackerd (which locked only `LOCK`) still keeps a new
/// one out. A reader that only reads (issue 13's read-only mode, `verify --offline`) takes no
/// lock at all, so it never blocks the writer's start and the writer never blocks it.
public struct StoreLock: Sendable {
    let directory: FileDescriptor
    let pidFile: FileDescriptor?
    /// What was odd about the pid file (replaced because it was a link, say).
    public var remarks: [String] = []

    /// Lets the lock go (closing the directory and the pid file).
    public func release() {
        pidFile?.close()
        directory.close()
    }

    /// Takes the lock of the store at `layout.directory` (which must exist), or throws `conflict`
    /// naming the process that holds it.
    public static func take(_ layout: StoreLayout) throws(TrackerError) -> StoreLock {
        let directory: FileDescriptor
        do { directory = try FileDescriptor.open(layout.directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW) } catch {
            throw TrackerError(.ioError, "cannot open the store directory \(layout.directory): \(error)")
        }
        do throws(Errno) { try directory.lockExclusiveNonBlocking() } catch {
            directory.close()
            if error == .wouldBlock { throw inUse(layout, holder: holder(of: layout)) }
            throw TrackerError(.ioError, "cannot lock the store directory \(layout.directory): \(error)")
        }
        do throws(TrackerError) {
            var remarks: [String] = []
            let pid = try pidFile(layout, remarks: &remarks)
            return StoreLock(directory: directory, pidFile: pid, remarks: remarks)
        } catch {
            directory.close()
            throw error
        }
    }

    private static func inUse(_ layout: StoreLayout, holder: Int32?) -> TrackerError {
        TrackerError(.conflict,
            "another trackerd (\(holder.map { "pid \($0)" } ?? "pid unknown")) is already using the store \(layout.directory); stop it first or choose another --data-dir")
    }

    /// Opens (or makes) `LOCK` without following a link, locks it and writes this process's pid.
    private static func pidFile(_ layout: StoreLayout, remarks: inout [String]) throws(TrackerError) -> FileDescriptor? {
        for attempt in 0..<2 {
            let fd: FileDescriptor
            do throws(Errno) {
                fd = try FileDescriptor.open(layout.lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK, mode: 0o640)
            } catch {
                // A link or something else planted at the name: removed (the link itself, never its
                // target) and made afresh. We hold the directory lock, so no trackerd is using it.
                if attempt == 0 && (error.rawValue == ELOOP || error.rawValue == ENXIO || error.rawValue == EISDIR) && (try? FileSystem.remove(layout.lock)) == true {
                    remarks.append("replaced \(layout.lock), which was not a plain file (\(error))")
                    continue
                }
                remarks.append("cannot open the pid file \(layout.lock) (\(error)); the store is locked all the same")
                return nil
            }
            guard let info = try? fd.status(), (info.st_mode & S_IFMT) == S_IFREG else {
                fd.close()
                if attempt == 0 && (try? FileSystem.remove(layout.lock)) == true {
                    remarks.append("replaced \(layout.lock), which was not a plain file")
                    continue
                }
                return nil
            }
            do throws(Errno) { try fd.lockExclusiveNonBlocking() } catch {
                fd.close()
                if error == .wouldBlock { throw inUse(layout, holder: pid(inLockFile: layout)) }
                return nil
            }
            let pid = Array("\(getpid())\n".utf8)
            _ = try? fd.truncate(to: 0)
            _ = try? pid.withBytes { (raw) throws(Errno) in try fd.writeAll(raw, at: 0) }
            return fd
        }
        return nil
    }

    /// The pid holding the lock: from the kernel's table of locks (right even when `LOCK` was
    /// deleted or rewritten), else from `LOCK`.
    static func holder(of layout: StoreLayout) -> Int32? {
        if let info = try? FileSystem.status(layout.directory), let pid = flockHolder(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)) {
            return pid
        }
        return pid(inLockFile: layout)
    }

    private static func pid(inLockFile layout: StoreLayout) -> Int32? {
        guard let bytes = try? FileSystem.readSmallFile(layout.lock, limit: 64) else { return nil }
        return Int32(String(decoding: bytes.filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self))
    }

    /// The pid of the `flock` on the file with this device and inode, from `/proc/locks`
    /// (lines like `3: FLOCK  ADVISORY  WRITE 1234 fd:01:5511 0 EOF`).
    private static func flockHolder(device: UInt64, inode: UInt64) -> Int32? {
        guard let bytes = try? FileSystem.readSmallFile("/proc/locks", limit: 1 << 22) ?? nil else { return nil }
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        let wanted = String(major, radix: 16).leftPadded(2) + ":" + String(minor, radix: 16).leftPadded(2) + ":" + String(inode)
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", fields[5] == wanted[...] else { continue }
            return Int32(fields[4])
        }
        return nil
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
