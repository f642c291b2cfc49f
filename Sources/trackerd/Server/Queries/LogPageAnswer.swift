import Events
import Projections

/// Answers `log`: a page of records, exactly as stored.
///
/// Records from `from` (or the last `tail`), at most `limit` of them and at most
/// `max_answer_bytes` of answer (at least one record); `next` says where the next page starts
/// when records are left before the head the page was read through.
final class LogPageAnswer: Sendable {
    private let context: QueryContext
    /// Where recent log pages ended: the next record's seq → the segment and offset just past the
    /// page's last record, so the next page starts there instead of scanning its segment from the
    /// top. A small cache (the bytes below a committed head never change), started over when full.
    private let resumePoints = LockedBox<[UInt64: LogPosition]>([:])
    private static let resumePointLimit = 256

    init(context: QueryContext) {
        self.context = context
    }

    func answer(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        try request.fields.rejectUnknownKeys(["from", "limit", "tail"], envelope: true, in: "log request")
        let head = context.live.head
        let limit = Int(try request.fields.optionalInt("limit") ?? 1000)
        guard (1...100_000).contains(limit) else { throw TrackerError(.invalidArgument, "'limit' must be 1–100000, got \(limit)") }
        var from = UInt64(max(1, try request.fields.optionalInt("from") ?? 1))
        if let tail = try request.fields.optionalInt("tail") {
            guard tail >= 1 else { throw TrackerError(.invalidArgument, "'tail' must be at least 1") }
            from = head.seq >= UInt64(tail) ? head.seq - UInt64(tail) + 1 : 1
        }
        // The records are written straight into the answer, which stops before the record that
        // would take it past the bound.
        let bound = context.answerBound
        var count = 0
        var last: UInt64 = 0
        return try Wire.success(id: request.id, capacity: min(bound, 1024 + limit * 400) + 1024) { (w) throws(TrackerError) in
            w.key("records")
            w.beginArray()
            if head.seq >= from {
                var start = resumePoints.withLockedValue { $0[from] }
                var end: (segment: UInt64, offset: Int64)? = nil
                while true {
                    var misplaced = false
                    try LogReader(directory: context.layout.directory).forEachLine(from: from, through: head, startingAt: start) { (line) throws(TrackerError) -> Bool in
                        // A resume point is the daemon's own note of where a page ended; the
                        // first line must be the record it names, or the page is read by a scan.
                        if count == 0 && start != nil && line.seq != from {
                            misplaced = true
                            return false
                        }
                        if count > 0 && w.bytes.count + line.bytes.count > bound { return false }
                        w.raw(UnsafeRawBufferPointer(line.bytes))
                        count += 1
                        last = line.seq
                        end = (line.segment.firstSeq, line.offset + Int64(line.bytes.count) + 1)
                        return count < limit
                    }
                    guard misplaced else { break }
                    start = nil
                }
                if let end, last < head.seq {
                    rememberResumePoint(LogPosition(seq: last + 1, hash: .zero, segment: end.segment, offset: end.offset))
                }
            }
            w.endArray()
            w.key("count"); w.int(count)
            LogHead(head).encode(to: &w)
            context.clockReading.encode(to: &w)
            if count > 0 && last < head.seq { w.key("next"); w.int(Int64(last + 1)) }
        }
    }

    private func rememberResumePoint(_ point: LogPosition) {
        resumePoints.withLockedValue { points in
            if points.count >= Self.resumePointLimit { points.removeAll() }
            points[point.seq] = point
        }
    }
}
