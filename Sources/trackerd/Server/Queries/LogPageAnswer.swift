import Events
import Projections

/// Answers `log` (`LogRequest`): a page of records, exactly as stored, or a follower.
///
/// Records from `from` (or the last `tail`) that pass the filters, at most `limit` of them and at
/// most `max_answer_bytes` of answer (at least one record); a filtered page looks at no more than
/// `recordsLookedAtPerPage` records. `next` says where the next page starts (the seq after the
/// last record looked at) when records are left before the head the page was read through.
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

    /// The most records one filtered page looks at: a filter that passes few records answers a
    /// page (with `next`) after this many, not a scan of the whole log.
    static let recordsLookedAtPerPage = 250_000

    func answer(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        let query = try LogRequest(request: request.fields)
        let head = context.live.head
        let limit = query.limit
        var from = query.from
        if let tail = query.tail { from = head.seq >= tail ? head.seq - tail + 1 : 1 }
        var matcher = query.filter.isEmpty ? nil : context.live.read { (ledger, _) in LogMatcher(filter: query.filter, ledger: ledger) }
        var ids = IdentifierReader.trusting
        // The records are written straight into the answer, which stops before the record that
        // would take it past the bound.
        let bound = context.answerBound
        var count = 0
        var looked = 0
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
                        if looked == 0 && start != nil && line.seq != from {
                            misplaced = true
                            return false
                        }
                        if count > 0 && w.bytes.count + line.bytes.count > bound { return false }
                        if matcher != nil {
                            let record: Record
                            do throws(TrackerError) { record = try RecordCodec.decode(line.bytes, ids: &ids, checkHash: false) } catch {
                                throw TrackerError(.corrupt, "\(error.message) (byte \(line.offset) of \(line.segment.path))")
                            }
                            if matcher!.matches(record) {
                                w.raw(UnsafeRawBufferPointer(line.bytes))
                                count += 1
                            }
                        } else {
                            w.raw(UnsafeRawBufferPointer(line.bytes))
                            count += 1
                        }
                        looked += 1
                        last = line.seq
                        end = (line.segment.firstSeq, line.offset + Int64(line.bytes.count) + 1)
                        return count < limit && looked < Self.recordsLookedAtPerPage
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
            if looked > 0 && last < head.seq { w.key("next"); w.int(Int64(last + 1)) }
        }
    }

    /// A follower of the log for `request` (a `log` request with `follow`), standing at its
    /// `from` (or the last `tail` records).
    func follower(_ request: Wire.Request, store: StoreID?) throws(TrackerError) -> (LogStreamer, LogRequest) {
        let query = try LogRequest(request: request.fields)
        let head = context.live.head
        var from = query.from
        if let tail = query.tail { from = head.seq >= tail ? head.seq - tail + 1 : 1 }
        let matcher = context.live.read { (ledger, _) in LogMatcher(filter: query.filter, ledger: ledger) }
        return (LogStreamer(requestID: request.id, store: store?.text ?? "", matcher: matcher, from: from), query)
    }

    private func rememberResumePoint(_ point: LogPosition) {
        resumePoints.withLockedValue { points in
            if points.count >= Self.resumePointLimit { points.removeAll() }
            points[point.seq] = point
        }
    }
}
