import Dispatch
import Foundation

/// Re-checks the chain from the first record: every record's hash over its bytes, every `prev`
/// against the record before, sequence numbers without gaps or repeats, segment names, and every
/// body as a known event. Anything changed, removed, reordered or inserted breaks one of these.
public enum LogVerifier {
    /// Verifies the store at `directory` through `head` (or to the end of the data when nil).
    public static func verify(directory: String, through head: LogPosition? = nil, against anchor: ChainAnchor? = nil) -> VerifyReport {
        var report = VerifyReport()
        var expectedSeq: UInt64 = 1
        var previous = SHA256Digest.zero
        var currentSegment: UInt64 = 0
        if anchor != nil { report.anchorFound = false }

        /// The sequential checks, over lines whose hashes and bodies were checked in parallel.
        func check(_ line: CheckedLine, in segments: [LineBatch.Segment]) -> Bool {
            func fail(_ message: String, at seq: UInt64? = nil) -> Bool {
                report.problem = VerifyReport.Problem(seq: seq ?? expectedSeq, message: message)
                return false
            }
            let segment = segments[Int(line.segment)]
            if segment.firstSeq != currentSegment {
                currentSegment = segment.firstSeq
                if currentSegment != expectedSeq {
                    return fail("segment \(segment.path) is named for seq \(currentSegment) but seq \(expectedSeq) comes next (records missing or a segment removed)")
                }
            }
            let place = "byte \(line.offset) of \(segment.path)"
            guard line.wellFormed else { return fail("record \(expectedSeq) is incomplete (a torn write at \(place))") }
            guard let check = line.check else { return fail("record \(expectedSeq) is not a well-formed record (\(place))") }
            guard check.seq == expectedSeq else {
                if check.seq < expectedSeq {
                    return fail("record \(check.seq) appears again after record \(expectedSeq - 1) (inserted or reordered records, \(place))", at: check.seq)
                }
                return fail("record \(expectedSeq) is missing: seq jumps from \(expectedSeq - 1) to \(check.seq) (\(place))")
            }
            guard check.hashMatches else { return fail("record \(check.seq) has been changed: its hash does not match its bytes (\(place))") }
            guard check.prev == previous else {
                return fail("record \(check.seq) does not follow record \(check.seq - 1): its prev hash differs (inserted, removed or rewritten records)")
            }
            if let problem = line.decodeProblem { return fail("record \(check.seq) is not a valid event: \(problem)") }
            if let anchor, check.hash == anchor.hash, anchor.seq == nil || anchor.seq == check.seq {
                report.anchorFound = true
            }
            previous = check.hash
            report.records += 1
            report.bytes += Int64(line.length + 1)
            report.headSeq = check.seq
            report.headHash = check.hash
            expectedSeq = check.seq + 1
            return true
        }

        // Lines are gathered into batches; batches are hashed and decoded on every core, then
        // checked in order, each as soon as it and those before it are done.
        let parallel = ParallelBatches()
        var batch = LineBatch()
        var stopped = false
        func drain(_ checked: CheckedBatch) {
            for line in checked.lines where !stopped { stopped = !check(line, in: checked.segments) }
        }
        do throws(TrackerError) {
            try LogReader(directory: directory).forEachLine(through: head) { (line) throws(TrackerError) -> Bool in
                batch.add(line)
                if batch.bytes.count >= LineBatch.targetBytes {
                    parallel.submit(batch)
                    batch = LineBatch()
                    while parallel.inFlight >= ParallelBatches.window, let next = parallel.collectNext() { drain(next) }
                }
                return !stopped
            }
            if !batch.lines.isEmpty { parallel.submit(batch) }
            while let next = parallel.collectNext() { drain(next) }
        } catch {
            while let next = parallel.collectNext() { drain(next) }
            if report.problem == nil { report.problem = VerifyReport.Problem(seq: expectedSeq, message: error.message) }
        }
        if report.problem == nil, let anchor, report.anchorFound == false {
            if anchor.hash == .zero && (anchor.seq ?? 0) == 0 {
                report.anchorFound = true
            } else if let seq = anchor.seq, seq > report.headSeq {
                report.problem = VerifyReport.Problem(seq: report.headSeq + 1,
                    message: "the log ends at seq \(report.headSeq) but the recorded head was seq \(seq): records after \(report.headSeq) were removed")
            } else {
                report.problem = VerifyReport.Problem(seq: anchor.seq ?? 0,
                    message: "the recorded head \(anchor.seq.map { "seq \($0), " } ?? "")hash \(anchor.hash.hex) is not in this log: the history it vouched for was rewritten")
            }
        }
        return report
    }
}

/// A line with what the parallel pass found: its own hash and its body.
private struct CheckedLine: Sendable {
    var offset: Int64
    var length: Int
    /// Its segment, an index into its batch's `segments`.
    var segment: UInt32
    var wellFormed: Bool
    var check: RecordCodec.LineCheck?
    var decodeProblem: String?
}

/// A batch's lines as checked, with the segments they name.
private struct CheckedBatch: Sendable {
    var lines: [CheckedLine]
    var segments: [LineBatch.Segment]
}

/// Lines copied out of the reader's buffer, to be checked on another thread.
private struct LineBatch: Sendable {
    static let targetBytes = 4 << 20
    struct Segment: Sendable {
        var firstSeq: UInt64
        var path: String
    }
    var bytes: [UInt8] = []
    var lines: [(start: Int, length: Int, offset: Int64, segment: UInt32, wellFormed: Bool)] = []
    var segments: [Segment] = []

    init() {
        bytes.reserveCapacity(Self.targetBytes + 4096)
        lines.reserveCapacity(Self.targetBytes / 256)
    }

    mutating func add(_ line: LogReader.RawLine) {
        if segments.last?.firstSeq != line.segment.firstSeq { segments.append(Segment(firstSeq: line.segment.firstSeq, path: line.segment.path)) }
        lines.append((bytes.count, line.bytes.count, line.offset, UInt32(segments.count - 1), line.wellFormed))
        bytes.append(contentsOf: line.bytes)
    }

    /// Hashes and decodes every line.
    func check() -> CheckedBatch {
        var ids = IdentifierReader.trusting
        let checked = bytes.withUnsafeBytes { raw in
            lines.map { line in
                let slice = UnsafeRawBufferPointer(rebasing: raw[line.start..<(line.start + line.length)])
                var checked = CheckedLine(offset: line.offset, length: line.length, segment: line.segment,
                                          wellFormed: line.wellFormed, check: nil, decodeProblem: nil)
                guard line.wellFormed, let check = RecordCodec.verifyLine(slice) else { return checked }
                checked.check = check
                if check.hashMatches {
                    do throws(TrackerError) { _ = try RecordCodec.decode(slice, ids: &ids, checkHash: false) } catch {
                        checked.decodeProblem = error.message
                    }
                }
                return checked
            }
        }
        return CheckedBatch(lines: checked, segments: segments)
    }
}

/// Runs batch checks on a concurrent queue, handing the results back in submission order.
private final class ParallelBatches: @unchecked Sendable {
    /// Batches checked at once (and kept in memory): enough for every core.
    static let window = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
    private let queue = DispatchQueue(label: "tracker.verify", attributes: .concurrent)
    private let condition = NSCondition()
    private var results: [Int: CheckedBatch] = [:]
    private var submitted = 0
    private var collected = 0

    var inFlight: Int { submitted - collected }

    func submit(_ batch: LineBatch) {
        let index = submitted
        submitted += 1
        queue.async { [self] in
            let checked = batch.check()
            condition.lock()
            results[index] = checked
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next batch in submission order once it is checked, or nil when every one was collected.
    func collectNext() -> CheckedBatch? {
        guard collected < submitted else { return nil }
        condition.lock()
        defer { condition.unlock() }
        while results[collected] == nil { condition.wait() }
        let next = results.removeValue(forKey: collected)
        collected += 1
        return next
    }
}
