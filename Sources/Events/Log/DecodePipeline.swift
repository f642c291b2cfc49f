import Foundation

/// The hand-over of `LogReader.forEachRecordPipelined`: a reading thread submits batches of lines,
/// decoding threads take them in any order, and the consumer receives the decoded batches in the
/// order they were read.
///
/// At most `window` batches are between the reader and the consumer at once (read, being decoded,
/// or decoded and waiting), so memory stays bounded however fast the reader is. `cancel` stops
/// every thread and waits for them, so no thread outlives the call that started them.
final class DecodePipeline: @unchecked Sendable {
    /// Lines copied out of the reader's buffer, to be decoded on another thread.
    struct Batch: Sendable {
        static let bytesTarget = 1 << 20
        static let linesTarget = 4096
        private(set) var bytes: [UInt8] = []
        private var lines: [(start: Int, length: Int, offset: Int64, segment: Int)] = []
        private var segments: [String] = []

        init() { bytes.reserveCapacity(Self.bytesTarget + (64 << 10)) }

        var isEmpty: Bool { lines.isEmpty }
        var isFull: Bool { bytes.count >= Self.bytesTarget || lines.count >= Self.linesTarget }

        mutating func add(_ line: LogReader.RawLine) {
            if segments.last != line.segment.path { segments.append(line.segment.path) }
            lines.append((bytes.count, line.bytes.count, line.offset, segments.count - 1))
            bytes.append(contentsOf: line.bytes)
        }

        /// Decodes every line (checking each hash when asked), up to the first that fails.
        func decode(checkHashes: Bool, ids: inout IdentifierReader) -> Decoded {
            var decoded = Decoded()
            decoded.records.reserveCapacity(lines.count)
            bytes.withUnsafeBytes { raw in
                for line in lines {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[line.start..<(line.start + line.length)])
                    do throws(TrackerError) {
                        decoded.records.append(try RecordCodec.decode(slice, ids: &ids, checkHash: checkHashes))
                    } catch {
                        decoded.failure = TrackerError(.corrupt, "\(error.message) (byte \(line.offset) of \(segments[line.segment]))")
                        return
                    }
                }
            }
            return decoded
        }
    }

    /// A decoded batch: its records, in order, up to the first line that failed, and why it failed.
    struct Decoded {
        var records: [Record] = []
        var failure: TrackerError?
    }

    private let condition = NSCondition()
    private let window: Int
    private var work: [(index: Int, batch: Batch)] = []
    private var results: [Int: Decoded] = [:]
    private var submitted = 0
    private var consumed = 0
    private var reading = true
    private var cancelled = false
    private var running = 0
    private var failure: TrackerError?

    init(window: Int) { self.window = window }

    /// Why reading stopped early, once the reader has finished.
    var readFailure: TrackerError? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// Runs `body` on a thread of its own, counted so that `cancel` can wait for it.
    func run(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        running += 1
        condition.unlock()
        let thread = Thread { [self] in
            body()
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Queues a batch for decoding, waiting while the window is full; false once cancelled.
    func submit(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while submitted - consumed >= window && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        work.append((submitted, batch))
        submitted += 1
        condition.broadcast()
        return true
    }

    /// The reader is done (with the error that stopped it, if one did).
    func finish(_ error: TrackerError?) {
        condition.lock()
        failure = error
        reading = false
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch to decode, or nil when there will be none.
    func nextWork() -> (Int, Batch)? {
        condition.lock()
        defer { condition.unlock() }
        while work.isEmpty && reading && !cancelled { condition.wait() }
        guard !cancelled, !work.isEmpty else { return nil }
        let next = work.removeFirst()
        return (next.index, next.batch)
    }

    /// Hands back the decoded batch number `index`.
    func deliver(_ decoded: Decoded, at index: Int) {
        condition.lock()
        results[index] = decoded
        condition.broadcast()
        condition.unlock()
    }

    /// The next decoded batch in reading order, or nil when the reader is done and all were taken.
    func nextResult() -> Decoded? {
        condition.lock()
        defer { condition.unlock() }
        while results[consumed] == nil && !(consumed == submitted && !reading) { condition.wait() }
        guard let decoded = results.removeValue(forKey: consumed) else { return nil }
        consumed += 1
        condition.broadcast()
        return decoded
    }

    /// Stops every thread and waits until they have all returned.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}
