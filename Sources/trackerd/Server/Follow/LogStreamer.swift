import Events
import Projections

/// One connection following the log (`log` with `follow`): where it stands, and how to read
/// its next chunk.
///
/// Pull, not push: the event loop asks for a chunk only when the connection's unsent answers are
/// below half of `max_output_bytes` and the log's head is past where it stands, and one chunk at
/// a time; a chunk is read from the segment files (from where the last one ended, through the
/// committed head) on the follow threads and is at most `chunkBytes` long. So a client that reads
/// slowly holds a bounded amount, and one that stops reading is dropped after
/// `send_timeout_seconds` like any other; it reconnects from the seq after its last record and
/// loses nothing, since every record is read back from the log.
final class LogStreamer: @unchecked Sendable {
    let requestID: JSONValue
    /// The store id the envelopes carry ("" for a store read read-only that has none).
    let store: String
    /// Touched only by the chunk being read (one at a time).
    private var matcher: LogMatcher
    /// The next seq to send.
    private(set) var next: UInt64
    /// Where the segment files stand just before `next` (nil: found by a scan of its segment).
    private var position: LogPosition?
    /// Whether a chunk is being read (set and cleared on the event loop).
    var reading = false
    /// Whether the stream has ended (the log could not be read): the connection closes once its
    /// last line is sent.
    private(set) var ended = false

    /// The most bytes of records one chunk holds (past one record).
    static let chunkBytes = 1 << 20

    init(requestID: JSONValue, store: String, matcher: LogMatcher, from: UInt64) {
        self.requestID = requestID
        self.store = store
        self.matcher = matcher
        self.next = from
    }

    /// Reads the records from `next` through `head` (at most `chunkBytes` of them) as stream
    /// lines, and moves on past them. After records the filters passed over, a `next` line says
    /// where the follower stands. Damage in the log ends the stream with an error line.
    func readChunk(layout: StoreLayout, through head: LogPosition) -> [UInt8] {
        var w = JSONWriter(capacity: 64 << 10)
        let filtering = !matcher.passesEverything
        var ids = IdentifierReader.trusting
        var last: UInt64 = 0
        var end: LogPosition? = nil
        var skippedSinceSent = false
        do throws(TrackerError) {
            try LogReader(directory: layout.directory).forEachLine(from: next, through: head, startingAt: position) { (line) throws(TrackerError) -> Bool in
                guard line.seq == (last == 0 ? next : last + 1) else {
                    throw TrackerError(.corrupt, "record \(last == 0 ? next : last + 1) is missing or out of place in the log (found \(line.seq) in \(line.segment.path))")
                }
                var passes = true
                if filtering {
                    let record: Record
                    do throws(TrackerError) { record = try RecordCodec.decode(line.bytes, ids: &ids, checkHash: false) } catch {
                        throw TrackerError(.corrupt, "\(error.message) (byte \(line.offset) of \(line.segment.path))")
                    }
                    passes = matcher.matches(record)
                }
                if passes {
                    LogEnvelope.streamLine(id: requestID, store: store, seq: line.seq, record: line.bytes, into: &w)
                    skippedSinceSent = false
                } else {
                    skippedSinceSent = true
                }
                last = line.seq
                end = LogPosition(seq: line.seq, hash: .zero, segment: line.segment.firstSeq, offset: line.offset + Int64(line.bytes.count) + 1)
                return w.bytes.count < Self.chunkBytes && line.seq < head.seq
            }
        } catch {
            w.bytes.append(contentsOf: Wire.failure(id: requestID, error))
            ended = true
            return w.bytes
        }
        if last > 0 {
            next = last + 1
            position = end
            if skippedSinceSent {
                var line = JSONWriter(capacity: 64)
                line.beginObject()
                line.key("id"); line.value(requestID)
                line.key("stream"); line.string("log")
                line.key("next"); line.int(Int64(next))
                line.endObject()
                line.bytes.append(0x0A)
                w.bytes.append(contentsOf: line.bytes)
            }
        }
        return w.bytes
    }
}
