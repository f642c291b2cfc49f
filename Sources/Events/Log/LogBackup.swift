import Glibc

/// A consistent copy of a live store: every record through a committed head, byte for byte.
///
/// The log only grows, so the bytes up to a committed head never change: copying them while the
/// daemon keeps appending gives a store that verifies on its own and starts as it is.
///
/// The directory is named by a caller, and the daemon may run as root: nothing it writes there may
/// land anywhere else. The backup directory is made by the daemon (`mkdir`), or, if it exists,
/// must be a real directory (not a link) of the daemon's own user and empty. It is opened once with
/// `O_NOFOLLOW | O_DIRECTORY`, and every file is created inside it by name with `openat` and
/// `O_CREAT | O_EXCL | O_NOFOLLOW` (see `DirectoryDescriptor`): an existing name or a link planted
/// meanwhile makes the backup fail, it is never opened or written through. No file outside the new
/// directory can be overwritten.
public enum LogBackup {
    /// What was copied.
    public struct Report: Sendable {
        public var segments: Int
        public var bytes: Int64
        public var head: LogPosition
    }

    /// The file that names the head a backup holds, written last.
    public static let anchorName = "BACKUP"

    /// Copies the records of the store at `layout` through `head` into the new store directory
    /// `destination` (absolute; new, or an empty directory of this process's user), with its
    /// configuration file and a `BACKUP` file naming the head. Every file and directory is synced.
    ///
    /// Throws `conflict` when the directory is not empty, `invalid_argument` when it is a link, not
    /// a directory or another user's, `io_error` when a read or write fails (what was written is
    /// then removed again).
    public static func copy(from layout: StoreLayout, through head: LogPosition, to destination: String,
                            recordedAt time: Timestamp) throws(TrackerError) -> Report {
        let target = try Target.prepare(destination, outside: layout)
        defer { target.close() }
        do throws(TrackerError) {
            return try write(from: layout, through: head, into: target, recordedAt: time)
        } catch {
            target.removeWhatWasMade()
            throw error
        }
    }

    private static func write(from layout: StoreLayout, through head: LogPosition, into target: Target,
                              recordedAt time: Timestamp) throws(TrackerError) -> Report {
        let destination = target.path
        let log = try target.makeDirectory("log")
        let segments = try LogStore.ioCall("list \(layout.log)") { () throws(Errno) in try SegmentFile.list(in: layout.log) }
        var report = Report(segments: 0, bytes: 0, head: head)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for segment in segments where segment.firstSeq <= head.segment && head.seq > 0 {
            let name = SegmentFile.name(firstSeq: segment.firstSeq)
            let copy = try target.createFile(name, in: log)
            try LogStore.ioCall("copy \(segment.path) to \(destination)/log/\(name)") { () throws(Errno) in
                defer { copy.close() }
                let source = try FileDescriptor.open(segment.path, O_RDONLY)
                defer { source.close() }
                let end = segment.firstSeq == head.segment ? head.offset : try dataEnd(of: source, size: try source.size())
                var offset: Int64 = 0
                while offset < end {
                    let want = Int(min(Int64(buffer.count), end - offset))
                    let n = try buffer.withMutableBytes { (raw) throws(Errno) -> Int in
                        try source.readFully(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]), at: offset)
                    }
                    guard n == want else { throw Errno.ioError }
                    try buffer.withBytes { (raw) throws(Errno) in try copy.writeAll(UnsafeRawBufferPointer(rebasing: raw[0..<n]), at: offset) }
                    offset += Int64(n)
                }
                try copy.sync()
                report.bytes += end
            }
            report.segments += 1
        }
        try LogStore.ioCall("sync \(destination)/log") { () throws(Errno) in try log.sync() }
        let config = layout.directory + "/trackerd.conf"
        if FileSystem.exists(config) {
            let bytes = try LogStore.ioCall("read \(config)") { () throws(Errno) in try FileSystem.readFile(config) }
            try target.writeFile("trackerd.conf", bytes)
        }
        // The store's id: a store restored from this backup is the same store in the stream.
        if let id = try StoreID.load(layout) {
            try target.writeFile("store.id", Array((id.text + "\n").utf8))
        }
        // The anchor last, under a temporary name first: a directory with BACKUP in it is whole.
        let anchor = ChainAnchor(seq: head.seq, hash: head.hash)
        try target.writeFile(anchorName + ".tmp", Array(anchor.fileText(recordedAt: time, store: layout.directory).utf8))
        try LogStore.ioCall("finish the backup in \(destination)") { () throws(Errno) in
            try target.directory.renameNoReplace(anchorName + ".tmp", to: anchorName)
            try target.directory.sync()
        }
        target.renamed(anchorName + ".tmp", to: anchorName)
        try target.syncParent()
        return report
    }

    /// The backup directory, opened once, and what was made in it (to take back on failure).
    private final class Target {
        let path: String
        let directory: DirectoryDescriptor
        /// Whether the daemon made the directory (else it was an empty one of its user).
        let made: Bool
        private let parent: DirectoryDescriptor?
        private var files: [(directory: DirectoryDescriptor, name: String)] = []
        private var directories: [(name: String, descriptor: DirectoryDescriptor)] = []

        private init(path: String, directory: DirectoryDescriptor, made: Bool, parent: DirectoryDescriptor?) {
            self.path = path
            self.directory = directory
            self.made = made
            self.parent = parent
        }

        /// Makes `destination`, or opens it if it is an empty real directory of this process's user.
        static func prepare(_ destination: String, outside store: StoreLayout) throws(TrackerError) -> Target {
            var path = destination
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            guard path.hasPrefix("/") else {
                throw TrackerError(.invalidArgument, "the backup directory must be an absolute path, not '\(destination)'")
            }
            let leaf = String(path[path.index(after: path.lastIndex(of: "/")!)...])
            guard !leaf.isEmpty, leaf != ".", leaf != ".." else {
                throw TrackerError(.invalidArgument, "the backup directory must name a directory of its own, not '\(destination)'")
            }
            let parentPath = FileSystem.directoryName(of: path)
            let parent: DirectoryDescriptor
            do throws(Errno) { parent = try DirectoryDescriptor.openFollowing(parentPath) } catch {
                throw TrackerError(error == .noEntry ? .notFound : .ioError, "cannot open \(parentPath), where the backup directory would be: \(error)")
            }
            // Not among the store's own files: a directory in log/ named like a segment would break the store.
            let parentIdentity = try? parent.identity()
            for own in [store.log, store.snapshots, store.quarantine] where parentIdentity != nil && FileSystem.identity(own) == parentIdentity {
                parent.close()
                throw TrackerError(.invalidArgument, "\(path) is inside the store's own \(own); back up outside the store's log, snapshots and quarantine")
            }
            var made = true
            do throws(Errno) {
                try parent.makeDirectory(leaf, mode: 0o750)
            } catch where error == .exists {
                made = false
            } catch {
                parent.close()
                throw TrackerError(.ioError, "cannot create the backup directory \(path): \(error)")
            }
            let directory: DirectoryDescriptor
            do throws(Errno) { directory = try parent.openDirectory(leaf) } catch {
                defer { parent.close() }
                // O_NOFOLLOW | O_DIRECTORY on a link: ELOOP, or ENOTDIR when it leads to a directory.
                if error == Errno(rawValue: ELOOP) || parent.isSymbolicLink(leaf) {
                    throw TrackerError(.invalidArgument, "\(path) is a symbolic link; back up into a new directory or an empty one of the daemon's user, named by its real path")
                }
                if error == Errno(rawValue: ENOTDIR) {
                    throw TrackerError(.invalidArgument, "\(path) exists and is not a directory; back up into a new or empty directory")
                }
                throw TrackerError(.ioError, "cannot open the backup directory \(path): \(error)")
            }
            let target = Target(path: path, directory: directory, made: made, parent: made ? parent : nil)
            if !made {
                parent.close()
                do throws(TrackerError) { try target.checkExisting() } catch {
                    target.close()
                    throw error
                }
            }
            return target
        }

        /// An existing directory must be this process's user's and empty.
        private func checkExisting() throws(TrackerError) {
            let owner = try LogStore.ioCall("read the owner of \(path)") { () throws(Errno) in try directory.ownerUID() }
            guard owner == geteuid() else {
                throw TrackerError(.invalidArgument, "\(path) belongs to uid \(owner), not to the daemon's user (uid \(geteuid())); back up into a new directory or an empty one of the daemon's user")
            }
            let names = try LogStore.ioCall("list \(path)") { () throws(Errno) in try directory.names() }.sorted()
            guard names.isEmpty else {
                if names.contains("log") {
                    throw TrackerError(.conflict, "\(path) already holds a log; back up into a new or empty directory")
                }
                let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
                throw TrackerError(.conflict, "\(path) is not empty (it holds \(shown)); back up into a new or empty directory")
            }
        }

        func makeDirectory(_ name: String) throws(TrackerError) -> DirectoryDescriptor {
            let made = try LogStore.ioCall("create \(path)/\(name)") { () throws(Errno) -> DirectoryDescriptor in
                try directory.makeDirectory(name, mode: 0o750)
                return try directory.openDirectory(name)
            }
            directories.append((name, made))
            return made
        }

        func createFile(_ name: String, in place: DirectoryDescriptor) throws(TrackerError) -> FileDescriptor {
            let fd = try LogStore.ioCall("create \(name) in \(path)") { () throws(Errno) in try place.createFile(name, mode: 0o640) }
            files.append((place, name))
            return fd
        }

        /// Writes a new file `name` of the backup directory whole, synced.
        func writeFile(_ name: String, _ bytes: [UInt8]) throws(TrackerError) {
            let fd = try createFile(name, in: directory)
            try LogStore.ioCall("write \(path)/\(name)") { () throws(Errno) in
                defer { fd.close() }
                try bytes.withBytes { (raw) throws(Errno) in try fd.writeAll(raw, at: 0) }
                try fd.sync()
            }
        }

        /// A directory the daemon made survives power loss once its parent is synced.
        func syncParent() throws(TrackerError) {
            guard let parent else { return }
            try LogStore.ioCall("sync the directory holding \(path)") { () throws(Errno) in try parent.sync() }
        }

        func renamed(_ from: String, to: String) {
            for index in files.indices where files[index].name == from && files[index].directory.fd == directory.fd { files[index].name = to }
        }

        /// Takes back a failed backup: the files and directories made, by name, inside the
        /// descriptors they were made in (never through a path again).
        func removeWhatWasMade() {
            for file in files.reversed() { try? file.directory.remove(file.name) }
            files.removeAll()
            for made in directories.reversed() { try? directory.remove(made.name, directory: true) }
            if made, let parent {
                let leaf = String(path[path.index(after: path.lastIndex(of: "/")!)...])
                try? parent.remove(leaf, directory: true)
            }
        }

        func close() {
            for made in directories { made.descriptor.close() }
            directories.removeAll()
            directory.close()
            parent?.close()
        }
    }
}
