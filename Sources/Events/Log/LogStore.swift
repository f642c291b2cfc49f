import Foundation
import Glibc

/// The append-only, hash-chained, segmented file log. The only code that writes log files.
///
/// Not thread-safe: one writer owns it. Readers use `LogReader` on the segment files up to a
/// `LogPosition` the writer hands them. A write is acknowledged (the call returns) only after
/// `fdatasync`; new files are followed by an `fsync` of the directory. After a failed sync the
/// store refuses writes (`suspended`) until `resume()` has dropped the cached pages and re-read
/// and re-verified the tail from disk.
public final class LogStore {
    /// The store's directory layout.
    public let layout: StoreLayout
    /// Options in force.
    public let options: LogOptions
    /// The last durable record.
    public private(set) var head: LogPosition
    /// Why writes are refused, or nil when they are accepted.
    public private(set) var suspended: String?

    /// The store's key (`StoreKey`), for the tags of snapshots and the head mark.
    public let key: SipHashKey
    /// The store's stable id (`StoreID`).
    public let id: StoreID

    private var lock: StoreLock?
    private var active: FileDescriptor
    private var activeCapacity: Int64
    private var preallocationPending = false

    private init(layout: StoreLayout, options: LogOptions, lock: StoreLock, key: SipHashKey, id: StoreID, active: FileDescriptor,
                 head: LogPosition, capacity: Int64) {
        self.layout = layout
        self.id = id
        self.options = options
        self.lock = lock
        self.key = key
        self.active = active
        self.head = head
        self.activeCapacity = capacity
    }

    deinit { close() }

    // MARK: Opening

    /// Opens (creating if needed) the store at `directory`: takes the lock, reads (or makes) the
    /// store's key, checks the tail against the durable marks, cuts a torn last record, and
    /// positions for appending.
    ///
    /// `directory` is resolved (`realpath`) and locked (`StoreLock`). `marks` is called with the
    /// resolved layout and the key once the lock is held, and returns marks of its own (the
    /// daemon's newest snapshot); the head mark file is read here. A log that ends before a mark,
    /// or holds another record at a mark's seq, is refused before anything is cut (`MarkCheck`),
    /// unless `options.acceptLogEnd` names the seq it ends at (then the marks are moved aside, a
    /// note is kept in `quarantine/`, and the report says so).
    ///
    /// Throws `conflict` when another process holds the lock, `corrupt` when damage is found before
    /// the tail or a mark proves records are missing (the daemon must not start on it), `ioError`
    /// for system failures.
    public static func open(directory: String, options: LogOptions = LogOptions(),
                            marks: (StoreLayout, StoreKey.Loaded) -> [DurableMark] = { _, _ in [] }) throws(TrackerError) -> (LogStore, RecoveryReport) {
        let layout: StoreLayout
        do {
            try FileSystem.createDirectory(directory)
            layout = StoreLayout(directory: try FileSystem.resolvedPath(directory))
            try FileSystem.createDirectory(layout.log)
        } catch {
            throw TrackerError(.ioError, "cannot create the store directory \(directory): \(error)")
        }
        let lock = try StoreLock.take(layout)
        do throws(TrackerError) {
            var report = RecoveryReport()
            report.remarks += lock.remarks
            let key = try StoreKey.loadOrCreate(layout)
            if let problem = key.problem { report.remarks.append(problem) }
            report.keyCreated = key.created
            let id = try StoreID.loadOrCreate(layout)
            report.idCreated = id.created
            var found = marks(layout, key)
            switch HeadMark.read(layout, key: key.key) {
            case .none: break
            case .mark(let mark):
                found.append(DurableMark(position: mark.position, path: layout.headMark,
                                         source: "the head mark \(layout.headMark) (written \(mark.written))"))
            case .rejected(let why):
                report.remarks.append("ignored the head mark \(layout.headMark): \(why)")
            }
            let check = MarkCheck(layout: layout, marks: found, accept: options.acceptLogEnd)
            var segments: [SegmentFile]
            do { segments = try SegmentFile.list(in: layout.log) } catch {
                throw TrackerError(.ioError, "cannot list \(layout.log): \(error)")
            }
            if segments.isEmpty {
                var overridden = try check.reach(head: .empty, cutBytes: 0)
                overridden += try check.history(head: .empty)
                try check.accept(overridden, head: .empty, key: key.key, report: &report)
                let first = try createSegment(layout: layout, firstSeq: 1, size: options.segmentBytes)
                report.segments = 1
                return (LogStore(layout: layout, options: options, lock: lock, key: key.key, id: id.id, active: first,
                                 head: .empty, capacity: options.segmentBytes), report)
            }
            report.segments = segments.count
            // Sealed segments are trimmed to their data when sealed; one left padded by a crash
            // during rotation is trimmed now.
            for segment in segments.dropLast() {
                try trimIfPadded(segment, report: &report)
            }
            var recovery = TailRecovery(layout: layout, options: options)
            var overridden: [DurableMark] = []
            let (fd, head) = try recovery.recover(segments: segments, report: &report) { (head, cutBytes) throws(TrackerError) in
                overridden = try check.reach(head: head, cutBytes: cutBytes)
            }
            do throws(TrackerError) {
                report.head = head
                overridden += try check.history(head: head)
                try check.accept(overridden, head: head, key: key.key, report: &report)
                // A stopped store is trimmed to its data; the room for appends is made by
                // `prepareForAppends`, once the caller has decided to start on it.
                let size = try ioCall("size of the last segment") { () throws(Errno) in try fd.size() }
                let store = LogStore(layout: layout, options: options, lock: lock, key: key.key, id: id.id, active: fd, head: head,
                                     capacity: max(size, options.segmentBytes))
                store.preallocationPending = size < options.segmentBytes
                return (store, report)
            } catch {
                fd.close()
                throw error
            }
        } catch {
            lock.release()
            throw error
        }
    }

    static func ioCall<T>(_ what: String, _ body: () throws(Errno) -> T) throws(TrackerError) -> T {
        do { return try body() } catch { throw TrackerError(.ioError, "cannot \(what): \(error)") }
    }

    static func createSegment(layout: StoreLayout, firstSeq: UInt64, size: Int64) throws(TrackerError) -> FileDescriptor {
        let path = layout.log + "/" + SegmentFile.name(firstSeq: firstSeq)
        return try ioCall("create segment \(path)") { () throws(Errno) -> FileDescriptor in
            let fd: FileDescriptor
            do throws(Errno) {
                fd = try FileDescriptor.open(path, O_RDWR | O_CREAT | O_EXCL, mode: 0o640)
            } catch where error == .exists {
                // Left by a rotation that crashed before its first write: reuse it if it holds no data.
                fd = try FileDescriptor.open(path, O_RDWR)
                if try dataEnd(of: fd, size: try fd.size()) != 0 { fd.close(); throw Errno.exists }
            }
            do throws(Errno) {
                try fd.preallocate(size: size)
                try fd.sync()
                try FileSystem.syncDirectory(layout.log)
            } catch {
                fd.close()
                throw error
            }
            return fd
        }
    }

    private static func trimIfPadded(_ segment: SegmentFile, report: inout RecoveryReport) throws(TrackerError) {
        try ioCall("check segment \(segment.path)") { () throws(Errno) in
            let fd = try FileDescriptor.open(segment.path, O_RDWR)
            try fd.closeAfter { () throws(Errno) in
                let size = try fd.size()
                let end = try dataEnd(of: fd, size: size)
                if end != size {
                    try fd.truncate(to: end)
                    try fd.sync()
                    report.remarks.append("trimmed \(size - end) bytes of preallocated space from sealed segment \(segment.path)")
                }
            }
        }
    }

    // MARK: Appending

    /// Preallocates the active segment when opening found it trimmed to its data (a stopped
    /// store), so that `fdatasync` of an append need not journal a size change. Returns why it
    /// could not, if it could not: not fatal, appends then extend the file (and a full disk shows up
    /// as refused writes, not a refused start). `append` does it too, if nobody did before.
    @discardableResult
    public func prepareForAppends() -> String? {
        guard preallocationPending else { return nil }
        preallocationPending = false
        do throws(Errno) { try active.preallocate(size: options.segmentBytes) } catch {
            return "could not preallocate the last segment (\(error)); appends will extend the file"
        }
        return nil
    }

    /// Appends a batch of encoded records and waits until they are durable.
    ///
    /// `bytes` holds complete record lines for sequence numbers `head.seq + 1 ... lastSeq`. On any
    /// failure nothing of the batch remains in the log (its bytes are overwritten with zeros), the
    /// head does not move, and the error says what failed. A failed `fdatasync` also suspends writes.
    public func append(_ bytes: UnsafeRawBufferPointer, lastSeq: UInt64, lastHash: SHA256Digest) throws(TrackerError) {
        if let suspended { throw TrackerError(.unavailable, "writes are suspended: \(suspended)") }
        guard bytes.count > 0 else { return }
        if preallocationPending { prepareForAppends() }
        if head.offset + Int64(bytes.count) > activeCapacity && head.offset > 0 {
            try rotate(firstSeq: head.seq + 1, needed: Int64(bytes.count))
        } else if head.offset + Int64(bytes.count) > activeCapacity {
            try LogStore.ioCall("grow the segment for a large batch") { () throws(Errno) in
                try active.preallocate(size: Int64(bytes.count))
            }
            activeCapacity = max(activeCapacity, Int64(bytes.count))
        }
        let offset = head.offset
        do throws(Errno) {
            try active.writeAll(bytes, at: offset)
        } catch {
            discard(from: offset, count: bytes.count)
            throw TrackerError(.ioError, "writing to the log failed (\(error)); nothing was recorded")
        }
        do throws(Errno) {
            try active.dataSync()
        } catch {
            suspended = "fdatasync failed (\(error)); the page cache can no longer be trusted"
            discard(from: offset, count: bytes.count)
            throw TrackerError(.ioError, "flushing the log to disk failed (\(error)); nothing was recorded, and writes are suspended until the tail is re-verified")
        }
        head = LogPosition(seq: lastSeq, hash: lastHash, segment: head.segment, offset: offset + Int64(bytes.count))
    }

    /// Overwrites a failed batch with zeros and syncs, best effort; if even that fails, writes stay
    /// suspended and the next open cuts the unacknowledged tail.
    private func discard(from offset: Int64, count: Int) {
        let zeros = [UInt8](repeating: 0, count: count)
        do throws(Errno) {
            try zeros.withBytes { (raw) throws(Errno) in try active.writeAll(raw, at: offset) }
            try active.dataSync()
        } catch {
            if suspended == nil { suspended = "a failed write could not be wiped (\(error))" }
        }
    }

    /// After a failed sync: drops the cached pages of the active segment, re-reads the tail from
    /// disk, and resumes writes only if the last record's hash is the head's and nothing follows it.
    ///
    /// Returns nil when writes resumed, or why they stay suspended.
    @discardableResult
    public func resume() -> String? {
        guard suspended != nil else { return nil }
        let path = layout.log + "/" + SegmentFile.name(firstSeq: head.segment)
        do throws(Errno) {
            try active.dataSync()
            try? active.dropCachedPages()
            let fresh = try FileDescriptor.open(path, O_RDWR)
            try? fresh.dropCachedPages()
            let check = try TailRecovery.verifyHead(fd: fresh, head: head)
            if let problem = check {
                fresh.close()
                suspended = "the tail re-read from disk does not match: \(problem)"
                return suspended
            }
            active.close()
            active = fresh
            suspended = nil
            return nil
        } catch {
            suspended = "re-reading the tail failed (\(error))"
            return suspended
        }
    }

    private func rotate(firstSeq: UInt64, needed: Int64) throws(TrackerError) {
        try LogStore.ioCall("seal the full segment") { () throws(Errno) in
            try active.truncate(to: head.offset)
            try active.dataSync()
        }
        // Sealed: if the new segment cannot be made (a full disk), the next batch tries again.
        activeCapacity = head.offset
        let size = max(options.segmentBytes, needed)
        let fresh = try LogStore.createSegment(layout: layout, firstSeq: firstSeq, size: size)
        active.close()
        active = fresh
        activeCapacity = size
        head = LogPosition(seq: head.seq, hash: head.hash, segment: firstSeq, offset: 0)
    }

    // MARK: Closing

    /// Trims the active segment to its data (so a stopped store is plain NDJSON), syncs, and
    /// releases the lock. Safe to call twice.
    public func close() {
        guard let lock else { return }
        if suspended == nil {
            _ = try? active.truncate(to: head.offset)
            _ = try? active.dataSync()
        }
        active.close()
        lock.release()
        self.lock = nil
    }

    /// Releases the lock and the files without touching them (no trim, no sync): for a start that
    /// is refused after the store was opened, so the store stays exactly as it was found.
    public func abandon() {
        guard let lock else { return }
        active.close()
        lock.release()
        self.lock = nil
    }

    /// Bytes of records in the log: the sealed segments (trimmed to their data) and the head's offset.
    public func recordBytes() -> Int64 {
        var total = head.offset
        for segment in (try? SegmentFile.list(in: layout.log)) ?? [] where segment.firstSeq < head.segment {
            if let info = try? FileSystem.status(segment.path) { total += Int64(info.st_size) }
        }
        return total
    }

    /// The segment files, in order.
    public func segments() throws(TrackerError) -> [SegmentFile] {
        try LogStore.ioCall("list the segments") { () throws(Errno) in try SegmentFile.list(in: layout.log) }
    }
}
