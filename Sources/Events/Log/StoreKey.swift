import Glibc

/// The store's secret: 16 random bytes in `<store>/store.key`, mode 0600, that key the tags of the
/// store's own derived files (snapshots, the head mark).
///
/// A snapshot or mark whose tag checks was written by a process that could read this file: the
/// daemon's user (or root). Anyone else who can put files into the store (a group with write
/// access, a copied directory, a restored backup) cannot make one that is believed. The key is a
/// file of its own, never `trackerd.conf` (which the socket's group may read and backups copy),
/// and `backup` does not copy it: a copy of a store without its key replays its log.
public enum StoreKey {
    /// The key's length in bytes.
    static let length = 16

    /// What `loadOrCreate` found.
    public struct Loaded: Sendable {
        public var key: SipHashKey
        /// Whether the key was made now (the first start of a store, or one whose key was missing
        /// or not fit to trust): what was tagged before is then not believed.
        public var created: Bool
        /// Why the key found was not trusted, when it was not.
        public var problem: String?
    }

    /// Reads the store's key, or makes one when there is none. A key file that is not a regular
    /// file of the daemon's user, private to it (no group or other permission bits) and exactly 16
    /// bytes is not trusted: it is moved aside (`store.key.untrusted`) and a fresh key is made.
    ///
    /// Call only while holding the store's lock (creation is not safe against another creator).
    public static func loadOrCreate(_ layout: StoreLayout) throws(TrackerError) -> Loaded {
        let path = layout.key
        var remark: String? = nil
        do throws(Errno) {
            if let file = try FileSystem.openRegular(path) {
                defer { file.fd.close() }
                let info = file.info
                if info.st_uid != geteuid() {
                    remark = "the key file \(path) belongs to uid \(info.st_uid), not to this daemon's uid \(geteuid())"
                } else if info.st_mode & 0o077 != 0 {
                    remark = "the key file \(path) can be read by others (mode \(String(info.st_mode & 0o777, radix: 8)), not 600)"
                } else if info.st_size != length {
                    remark = "the key file \(path) holds \(info.st_size) bytes, not \(length)"
                } else {
                    var bytes = [UInt8](repeating: 0, count: length)
                    let n = try bytes.withMutableBytes { (raw) throws(Errno) -> Int in try file.fd.readFully(into: raw, at: 0) }
                    if n == length, let key = SipHashKey(bytes: bytes) { return Loaded(key: key, created: false, problem: nil) }
                    remark = "the key file \(path) could not be read whole"
                }
            }
        } catch {
            remark = "the key file \(path) is not a plain file (\(error))"
        }
        if remark != nil {
            // Keep it for inspection, out of the way of the new one (a link is moved, not followed).
            let aside = path + ".untrusted"
            _ = try? FileSystem.remove(aside)
            do throws(Errno) { try FileSystem.rename(path, to: aside) } catch {
                throw TrackerError(.ioError, "cannot move the untrusted key file \(path) aside: \(error)")
            }
            remark! += "; it was moved to \(aside) and a new key was made: snapshots and the head mark tagged with the old one are not believed"
        }
        return Loaded(key: try create(path), created: true, problem: remark)
    }

    /// Reads the key without making one (for readers that must not change the store); nil when
    /// there is none or it is not fit to trust.
    public static func load(_ layout: StoreLayout) -> SipHashKey? {
        guard let file = try? FileSystem.openRegular(layout.key) else { return nil }
        defer { file.fd.close() }
        guard file.info.st_uid == geteuid(), file.info.st_mode & 0o077 == 0, file.info.st_size == length else { return nil }
        var bytes = [UInt8](repeating: 0, count: length)
        guard let n = try? bytes.withMutableBytes({ (raw) throws(Errno) -> Int in try file.fd.readFully(into: raw, at: 0) }), n == length else {
            return nil
        }
        return SipHashKey(bytes: bytes)
    }

    /// Makes a key: random bytes into a new private file, linked to its name (never replacing
    /// anything) and synced (`FileSystem.createOnce`).
    private static func create(_ path: String) throws(TrackerError) -> SipHashKey {
        var bytes = [UInt8](repeating: 0, count: length)
        try FileSystem.randomBytes(&bytes, for: "the store key")
        guard let key = SipHashKey(bytes: bytes) else { throw TrackerError(.internal, "a key of the wrong length") }
        do throws(Errno) { try FileSystem.createOnce(path, bytes, mode: 0o600) } catch {
            throw TrackerError(.ioError, "cannot create the store key \(path): \(error)")
        }
        return key
    }
}
