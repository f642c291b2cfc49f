/// The outcome of checking the whole chain.
public struct VerifyReport: Sendable {
    /// Records checked.
    public var records: UInt64 = 0
    /// Bytes of records checked.
    public var bytes: Int64 = 0
    /// The last good record's sequence number and hash (the head, when everything is good).
    public var headSeq: UInt64 = 0
    public var headHash: SHA256Digest = .zero
    /// The first problem found, naming the record; nil when the chain is whole.
    public var problem: Problem?
    /// Whether an anchor given with `against` was found in the chain (nil when none was given).
    public var anchorFound: Bool?

    /// A problem found by verification.
    public struct Problem: Sendable {
        /// The sequence number of the record where the chain breaks (the first bad one).
        public var seq: UInt64
        /// What is wrong, in plain words.
        public var message: String
    }

    /// Whether the chain verified (and reached the anchor, when one was given).
    public var ok: Bool { problem == nil && anchorFound != false }
}

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
        let reader = LogReader(directory: directory)
        do throws(TrackerError) {
            try reader.forEachLine(through: head) { (line) throws(TrackerError) -> Bool in
                func fail(_ message: String, at seq: UInt64? = nil) -> Bool {
                    report.problem = VerifyReport.Problem(seq: seq ?? expectedSeq, message: message)
                    return false
                }
                if line.segment.firstSeq != currentSegment {
                    currentSegment = line.segment.firstSeq
                    if currentSegment != expectedSeq {
                        return fail("segment \(line.segment.path) is named for seq \(currentSegment) but seq \(expectedSeq) comes next (records missing or a segment removed)")
                    }
                }
                guard line.wellFormed else {
                    return fail("record \(expectedSeq) is incomplete (a torn write at byte \(line.offset) of \(line.segment.path))")
                }
                guard let check = RecordCodec.verifyLine(line.bytes) else {
                    return fail("record \(expectedSeq) is not a well-formed record (byte \(line.offset) of \(line.segment.path))")
                }
                guard check.seq == expectedSeq else {
                    if check.seq < expectedSeq {
                        return fail("record \(check.seq) appears again after record \(expectedSeq - 1) (inserted or reordered records, byte \(line.offset) of \(line.segment.path))", at: check.seq)
                    }
                    return fail("record \(expectedSeq) is missing: seq jumps from \(expectedSeq - 1) to \(check.seq) (byte \(line.offset) of \(line.segment.path))")
                }
                guard check.hashMatches else {
                    return fail("record \(check.seq) has been changed: its hash does not match its bytes (byte \(line.offset) of \(line.segment.path))")
                }
                guard check.prev == previous else {
                    return fail("record \(check.seq) does not follow record \(check.seq - 1): its prev hash differs (inserted, removed or rewritten records)")
                }
                do throws(TrackerError) { _ = try RecordCodec.decode(line.bytes) } catch {
                    return fail("record \(check.seq) is not a valid event: \(error.message)")
                }
                if let anchor, check.hash == anchor.hash, anchor.seq == nil || anchor.seq == check.seq {
                    report.anchorFound = true
                }
                previous = check.hash
                report.records += 1
                report.bytes += Int64(line.bytes.count + 1)
                report.headSeq = check.seq
                report.headHash = check.hash
                expectedSeq = check.seq + 1
                return true
            }
        } catch {
            report.problem = VerifyReport.Problem(seq: expectedSeq, message: error.message)
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
