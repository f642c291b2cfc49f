import Foundation
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
            let reading = "read \(segment.path)"   // made once, not once a line
            while let line = try LogStore.ioCall(reading, { () throws(Errno) in try scanner.next() }) {
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
    /// `checkHashes: false` reads without recomputing each record's hash (a replay that checks the
    /// chain's links itself); the ids are trusted as they were checked when recorded.
    public func forEachRecord(from seq: UInt64 = 1, through head: LogPosition? = nil, startingAt position: LogPosition? = nil,
                              checkHashes: Bool = true, _ body: (Record) throws(TrackerError) -> Bool) throws(TrackerError) {
        var ids = IdentifierReader.trusting
        try forEachLine(from: seq, through: head, startingAt: position) { (line) throws(TrackerError) -> Bool in
            let record: Record
            do throws(TrackerError) { record = try RecordCodec.decode(line.bytes, ids: &ids, checkHash: checkHashes) } catch {
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

extension LogReader {
    /// What the log holds of the record a position (a snapshot's, a mark's) names.
    public enum PositionCheck: Sendable, Equatable {
        /// The record is there, with that seq and hash, and its bytes hash to it.
        case found
        /// The log ends before the position's seq.
        case beyondHead
        /// The log holds another record of that seq: `hash` is its hash.
        case otherRecord(seq: UInt64, hash: SHA256Digest)
        /// The record of that seq is missing or damaged; why.
        case noRecord(String)
    }

    /// Whether the log, whose head is `head`, holds record `position.seq` with `position.hash`.
    ///
    /// Looked for first where the position says it ends (`position.offset` of segment
    /// `position.segment`); a position at the start of a segment (the head right after a
    /// rotation) names the last record of the segment before, so the record is then looked for by
    /// its seq.
    public func check(_ position: LogPosition, head: LogPosition) -> PositionCheck {
        if position.seq == 0 { return .found }
        guard position.seq <= head.seq else { return .beyondHead }
        if position.offset > 0, position.segment < head.segment || (position.segment == head.segment && position.offset <= head.offset),
           let found = lineCheck(endingAt: position), found.hashMatches, found.seq == position.seq, found.hash == position.hash {
            return .found
        }
        guard let found = lineCheck(ofRecord: position.seq, through: head) else {
            return .noRecord("record \(position.seq) is not in the log")
        }
        guard found.hashMatches else { return .noRecord("record \(position.seq) has been changed: its hash does not match its bytes") }
        return found.hash == position.hash ? .found : .otherRecord(seq: position.seq, hash: found.hash)
    }

    /// The check of the line that ends at `position.offset` of segment `position.segment`.
    private func lineCheck(endingAt position: LogPosition) -> RecordCodec.LineCheck? {
        let path = layout.log + "/" + SegmentFile.name(firstSeq: position.segment)
        do throws(Errno) {
            let fd = try FileDescriptor.open(path, O_RDONLY)
            return try fd.closeAfter { () throws(Errno) -> RecordCodec.LineCheck? in
                try TailRecovery.lastLine(fd: fd, end: position.offset)?.withUnsafeBytes { RecordCodec.verifyLine($0) }
            }
        } catch {
            return nil
        }
    }

    /// The check of the line of record `seq`, wherever it is in the log through `head`.
    private func lineCheck(ofRecord seq: UInt64, through head: LogPosition) -> RecordCodec.LineCheck? {
        var found: RecordCodec.LineCheck? = nil
        try? forEachLine(from: seq, through: head) { (line) throws(TrackerError) -> Bool in
            guard line.seq == seq else { return line.seq < seq }
            found = RecordCodec.verifyLine(line.bytes)
            return false
        }
        return found
    }

    /// `forEachRecord` spread over the machine's cores: one thread reads the lines, as many as
    /// there are cores hash and decode batches of them in parallel, and `body` runs on the calling
    /// thread with the records in order. A full replay with every record's hash checked then
    /// takes about the work divided by the cores, not the sum of its parts.
    ///
    /// Stops at the first damaged record with a `corrupt` error naming it and where it is; the
    /// records before it have been given to `body`. `body` returns false to stop early.
    public func forEachRecordPipelined(through head: LogPosition? = nil, startingAt position: LogPosition? = nil, checkHashes: Bool = true,
                                       _ body: (Record) throws(TrackerError) -> Bool) throws(TrackerError) {
        let workers = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        let pipeline = DecodePipeline(window: 2 * workers + 2)
        let reader = self
        pipeline.run {
            var batch = DecodePipeline.Batch()
            do throws(TrackerError) {
                try reader.forEachLine(through: head, startingAt: position) { (line) throws(TrackerError) -> Bool in
                    batch.add(line)
                    guard batch.isFull else { return true }
                    defer { batch = DecodePipeline.Batch() }
                    return pipeline.submit(batch)
                }
                if !batch.isEmpty { _ = pipeline.submit(batch) }
                pipeline.finish(nil)
            } catch {
                pipeline.finish(error)
            }
        }
        for _ in 0..<workers {
            pipeline.run {
                var ids = IdentifierReader.trusting
                while let (index, batch) = pipeline.nextWork() {
                    pipeline.deliver(batch.decode(checkHashes: checkHashes, ids: &ids), at: index)
                }
            }
        }
        defer { pipeline.cancel() }
        while let decoded = pipeline.nextResult() {
            for record in decoded.records where try !body(record) { return }
            if let error = decoded.failure { throw error }
        }
        if let error = pipeline.readFailure { throw error }
    }
}
