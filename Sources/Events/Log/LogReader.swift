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
    /// Why the log does not hold record `position.seq` with `position.hash` ending exactly at
    /// `position.offset` of segment `position.segment`, or nil when it does (a snapshot's check).
    public func mismatch(at position: LogPosition, head: LogPosition) -> String? {
        if position.seq == 0 { return nil }
        guard position.seq <= head.seq, position.segment <= head.segment,
              position.segment < head.segment || position.offset <= head.offset else {
            return "it covers seq \(position.seq) but the log ends at seq \(head.seq)"
        }
        let path = layout.log + "/" + SegmentFile.name(firstSeq: position.segment)
        let found: (seq: UInt64, hash: SHA256Digest)?
        do throws(Errno) {
            let fd = try FileDescriptor.open(path, O_RDONLY)
            found = try fd.closeAfter { () throws(Errno) -> (seq: UInt64, hash: SHA256Digest)? in
                guard let line = try TailRecovery.lastLine(fd: fd, end: position.offset),
                      let check = line.withUnsafeBytes({ RecordCodec.verifyLine($0) }), check.hashMatches else { return nil }
                return (check.seq, check.hash)
            }
        } catch {
            return "its segment \(path) cannot be read (\(error))"
        }
        guard let found else { return "no whole record ends at byte \(position.offset) of \(path)" }
        guard found.seq == position.seq, found.hash == position.hash else {
            return "the log has seq \(found.seq) there, with another hash: the snapshot belongs to another history"
        }
        return nil
    }

    /// `forEachRecord`, with the reading and decoding on a second thread while `body` runs on this
    /// one: a replay then takes about as long as the slower of the two halves, not their sum.
    ///
    /// Records arrive in order, in batches; `body` returns false to stop early.
    public func forEachRecordPipelined(through head: LogPosition? = nil, startingAt position: LogPosition? = nil, checkHashes: Bool = false,
                                       _ body: (Record) throws(TrackerError) -> Bool) throws(TrackerError) {
        let channel = BatchChannel()
        let reader = self
        let producer = Thread {
            var batch: [Record] = []
            batch.reserveCapacity(BatchChannel.batchSize)
            do throws(TrackerError) {
                try reader.forEachRecord(through: head, startingAt: position, checkHashes: checkHashes) { (record) throws(TrackerError) -> Bool in
                    batch.append(record)
                    if batch.count == BatchChannel.batchSize {
                        guard channel.put(batch) else { return false }
                        batch = []
                        batch.reserveCapacity(BatchChannel.batchSize)
                    }
                    return true
                }
                if !batch.isEmpty { _ = channel.put(batch) }
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        producer.stackSize = 1 << 20
        producer.start()
        defer { channel.cancel() }
        while let batch = channel.take() {
            for record in batch where try !body(record) { return }
        }
        if let error = channel.failure { throw error }
    }
}

/// A bounded hand-over of record batches from a reading thread to an applying one.
private final class BatchChannel: @unchecked Sendable {
    static let batchSize = 2048
    private let condition = NSCondition()
    private var batches: [[Record]] = []
    private var done = false
    private var cancelled = false
    private(set) var failure: TrackerError?

    /// Queues a batch, waiting while 8 are already queued; false once the consumer has stopped.
    func put(_ batch: [Record]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= 8 && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    func finish(_ error: TrackerError?) {
        condition.lock()
        failure = error
        done = true
        condition.broadcast()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !done { condition.wait() }
        condition.unlock()
    }

    /// The next batch, or nil when the reader is done.
    func take() -> [Record]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !done { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }
}
