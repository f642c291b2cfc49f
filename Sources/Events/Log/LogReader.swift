import Glibc

/// Reads records back from the segment files, in order, up to a committed head.
///
/// Safe to use while the daemon appends: it never reads past the `through` position it is given.
/// Without one (a stopped store) it reads to the end of the data of each segment.
public struct LogReader: Sendable {
    /// The store read.
    public let layout: StoreLayout

    /// A reader of the store at `directory`.
    public init(directory: String) { layout = StoreLayout(directory: directory) }

    /// A line of the log as stored.
    public struct RawLine {
        /// The record's sequence number (from the start of the line; the line is not yet verified).
        public let seq: UInt64
        /// The bytes of the line, without newline; valid only during the callback.
        public let bytes: UnsafeRawBufferPointer
        /// The segment holding it.
        public let segment: SegmentFile
        /// The line's byte offset within the segment.
        public let offset: Int64
        /// Whether the line was newline-terminated and free of NUL bytes.
        public let wellFormed: Bool
    }

    /// Calls `body` with every line from the record `from` on, through `through` (inclusive);
    /// `body` returns false to stop early.
    public func forEachLine(from seq: UInt64 = 1, through head: LogPosition? = nil,
                            startingAt position: LogPosition? = nil,
                            _ body: (RawLine) throws(TrackerError) -> Bool) throws(TrackerError) {
        let segments = try LogStore.ioCall("list \(layout.log)") { () throws(Errno) in try SegmentFile.list(in: layout.log) }
        let firstSegment = position?.segment ?? segments.last(where: { $0.firstSeq <= max(seq, 1) })?.firstSeq ?? 1
        for segment in segments where segment.firstSeq >= firstSegment {
            if let head, segment.firstSeq > head.segment { break }
            let fd = try LogStore.ioCall("open \(segment.path)") { () throws(Errno) in try FileDescriptor.open(segment.path, O_RDONLY) }
            defer { fd.close() }
            let end: Int64
            if let head, segment.firstSeq == head.segment {
                end = head.offset
            } else {
                end = try LogStore.ioCall("read \(segment.path)") { () throws(Errno) in try dataEnd(of: fd, size: try fd.size()) }
            }
            let startOffset = (position != nil && segment.firstSeq == position!.segment) ? position!.offset : 0
            var scanner = LineScanner(fd: fd, from: startOffset, to: end)
            defer { scanner.deallocate() }
            while let line = try LogStore.ioCall("read \(segment.path)", { () throws(Errno) in try scanner.next() }) {
                let lineSeq = RecordCodec.leadingSeq(line.bytes) ?? 0
                if lineSeq != 0 && lineSeq < seq { continue }
                let raw = RawLine(seq: lineSeq, bytes: line.bytes, segment: segment, offset: line.offset,
                                  wellFormed: line.terminated && !line.hasNUL)
                if try !body(raw) { return }
                if let head, lineSeq >= head.seq && lineSeq != 0 { return }
            }
        }
    }

    /// Calls `body` with every decoded record from `from` through `through`; stops at the first
    /// damaged record with a `corrupt` error naming it.
    public func forEachRecord(from seq: UInt64 = 1, through head: LogPosition? = nil,
                              _ body: (Record) throws(TrackerError) -> Bool) throws(TrackerError) {
        try forEachLine(from: seq, through: head) { (line) throws(TrackerError) -> Bool in
            let record: Record
            do throws(TrackerError) { record = try RecordCodec.decode(line.bytes) } catch {
                throw TrackerError(.corrupt, "\(error.message) (byte \(line.offset) of \(line.segment.path))")
            }
            return try body(record)
        }
    }

    /// Up to `limit` records from `from` on, through `through`.
    public func records(from seq: UInt64, limit: Int, through head: LogPosition? = nil) throws(TrackerError) -> [Record] {
        var result: [Record] = []
        guard limit > 0 else { return result }
        try forEachRecord(from: seq, through: head) { (record) throws(TrackerError) -> Bool in
            result.append(record)
            return result.count < limit
        }
        return result
    }
}
