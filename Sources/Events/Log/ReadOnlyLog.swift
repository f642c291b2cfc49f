import Glibc

/// A store opened only to read it: a live store beside its writer, a stopped one, a backup, a copy
/// on media nobody can write.
///
/// It takes no lock (so it never keeps a writer from starting, and a writer never keeps it out),
/// reads no key, and creates, changes or removes no file. It reads whole records only: the head
/// is the last record that is whole and continues the chain; what follows it in the last segment
/// (a writer's batch being written, a torn write a crash left, the zeros of a preallocated
/// segment) is not read and is not an error. A whole record after a break is damage to recorded
/// history, refused as the writer refuses it (`corrupt`, naming the record).
///
/// A record the reader has read was written by a writer; it is durable once the writer's
/// `fdatasync` returns, which a reader cannot see. If that sync fails, the writer wipes the batch
/// and stops writing, and a reader that read the batch in between has seen records no client was
/// told were recorded (`newRecords` then reports the break when the writer goes on).
public struct ReadOnlyLog: Sendable {
    /// The store read (its directory resolved).
    public let layout: StoreLayout
    /// The last whole record that continues the chain, when the store was opened.
    public let head: LogPosition
    /// Bytes after the head in the last segment when the store was opened: a torn write, or a
    /// batch a live writer was writing (0 when the log ends with its last record).
    public let tailBytes: Int64

    /// Opens the store at `directory` to read it. Throws `invalid_argument` when it is not a
    /// store (no `log/` directory), `corrupt` when a whole record follows a damaged one at the
    /// end of the log or the segments' names do not follow each other, `io_error` when its files
    /// cannot be read.
    public static func open(directory: String) throws(TrackerError) -> ReadOnlyLog {
        let layout: StoreLayout
        do { layout = StoreLayout(directory: try FileSystem.resolvedPath(directory)) } catch {
            throw TrackerError(.ioError, "cannot open the store directory \(directory): \(error)")
        }
        for path in [layout.directory, layout.log] where path == layout.directory || FileSystem.exists(path) {
            if case .failure(let error) = systemCall({ access(path, R_OK | X_OK) }) {
                throw TrackerError(.ioError, "cannot read the store \(layout.directory): \(error) (this user, or its group, must be allowed to read it)")
            }
        }
        guard FileSystem.isDirectory(layout.log) else {
            throw TrackerError(.invalidArgument, "\(layout.directory) is not a tracker store (it has no log/ directory)")
        }
        let segments = try LogStore.ioCall("list \(layout.log)") { () throws(Errno) in try SegmentFile.list(in: layout.log) }
        guard let last = segments.last else { return ReadOnlyLog(layout: layout, head: .empty, tailBytes: 0) }
        let fd = try LogStore.ioCall("open \(last.path)") { () throws(Errno) in try FileDescriptor.open(last.path, O_RDONLY) }
        defer { fd.close() }
        let found = try TailRecovery(layout: layout, options: LogOptions()).inspect(fd: fd, segments: segments)
        return ReadOnlyLog(layout: layout, head: found.head, tailBytes: found.end - found.head.offset)
    }

    /// What `newRecords` found.
    public struct Increment: Sendable {
        /// Whole records after the position asked about, in order, each continuing the chain.
        public var records: [Record] = []
        /// The position after the last of them (the one asked about when there are none).
        public var position: LogPosition
        /// Why the log no longer continues the position asked about (rewritten, or cut and
        /// written again), when it does not; nil while it does.
        public var broken: String?
    }

    /// The whole records written after `position`, up to `limit` of them: each one's hash
    /// checked over its bytes, its seq and its `prev` chained to the one before. Reading stops,
    /// without an error, at the first line that is not yet a whole record (a batch being
    /// written, or the zeros of a preallocated segment). It reads forward from `position` only
    /// (never the unused rest of a preallocated segment), and goes on into the next segment once
    /// the writer has started it. A whole record that does not continue the chain (the log
    /// rewritten, or cut with `--accept-log-end` and written again) ends the reading with `broken`.
    public func newRecords(after position: LogPosition, limit: Int = 10_000) throws(TrackerError) -> Increment {
        var increment = Increment(position: position)
        var ids = IdentifierReader.trusting
        while increment.records.count < limit && increment.broken == nil {
            let before = increment.position
            try readSegment(from: before, limit: limit, into: &increment, ids: &ids)
            guard increment.position.seq == before.seq, increment.broken == nil else { continue }
            // Nothing more in this segment: the writer may have sealed it and started the next,
            // named after the record that follows the last one read.
            let next = before.seq + 1
            guard next != before.segment, FileSystem.exists(layout.log + "/" + SegmentFile.name(firstSeq: next)) else { break }
            increment.position = LogPosition(seq: before.seq, hash: before.hash, segment: next, offset: 0)
        }
        return increment
    }

    /// Reads the whole records of `position`'s segment after `position.offset`, up to the first
    /// NUL byte, the end of the file or an incomplete line.
    private func readSegment(from position: LogPosition, limit: Int, into increment: inout Increment,
                             ids: inout IdentifierReader) throws(TrackerError) {
        let path = layout.log + "/" + SegmentFile.name(firstSeq: position.segment)
        let fd: FileDescriptor
        do throws(Errno) { fd = try FileDescriptor.open(path, O_RDONLY) } catch {
            if error == .noEntry { return }   // no segment yet: nothing written
            throw TrackerError(.ioError, "cannot open \(path): \(error)")
        }
        defer { fd.close() }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset = position.offset
        while increment.records.count < limit {
            let count = try LogStore.ioCall("read \(path)") { () throws(Errno) -> Int in
                try buffer.withMutableBytes { (raw) throws(Errno) -> Int in try fd.readFully(into: raw, at: offset) }
            }
            let dataEnd = buffer[0..<count].firstIndex(of: 0) ?? count
            var lineStart = 0
            while increment.records.count < limit, let newline = buffer[lineStart..<dataEnd].firstIndex(of: 0x0A) {
                let accepted = buffer.withUnsafeBytes { raw in
                    accept(UnsafeRawBufferPointer(rebasing: raw[lineStart..<newline]), at: offset + Int64(lineStart), segment: position.segment,
                           path: path, into: &increment, ids: &ids)
                }
                guard accepted else { return }
                lineStart = newline + 1
            }
            // The data ends here (zeros, the end of the file), or the last line is not whole yet.
            if dataEnd < count || count < buffer.count || increment.records.count >= limit { return }
            if lineStart == 0 {
                // One line longer than the buffer: read it whole (records are bounded by the
                // writer's batch, which is far below this).
                guard buffer.count < 1 << 30 else { return }
                buffer = [UInt8](repeating: 0, count: buffer.count * 2)
                continue
            }
            offset += Int64(lineStart)
        }
    }

    /// Takes one whole line as the next record, or says (false) to stop reading.
    private func accept(_ line: UnsafeRawBufferPointer, at offset: Int64, segment: UInt64, path: String,
                        into increment: inout Increment, ids: inout IdentifierReader) -> Bool {
        guard let check = RecordCodec.verifyLine(line), check.hashMatches else { return false }
        let expected = increment.position
        guard check.seq == expected.seq + 1, check.prev == expected.hash else {
            increment.broken = "the log no longer continues record \(expected.seq) (\(expected.hash.hex.prefix(16))…): "
                + "record \(check.seq) at byte \(offset) of \(path) does not follow it; it was rewritten, or cut and written again"
            return false
        }
        do throws(TrackerError) {
            increment.records.append(try RecordCodec.decode(line, ids: &ids, checkHash: false))
        } catch {
            increment.broken = "record \(check.seq) cannot be read: \(error.message)"
            return false
        }
        increment.position = LogPosition(seq: check.seq, hash: check.hash, segment: segment, offset: offset + Int64(line.count) + 1)
        return true
    }
}
