import Foundation
import Testing
@testable import Events

/// `LogVerifier` on a stopped store of 20 records, clean and tampered with in every way an
/// auditor cares about.
@Suite struct VerifierTests {

    static let count = 20

    /// A closed store of 20 records in one segment; returns the chain (its hashes by seq).
    @discardableResult
    static func store(_ directory: String) throws -> RecordChain {
        try writeClosedStore(directory, events: Sample.events(count: count))
    }

    /// The lines of the store's only segment.
    static func lines(_ directory: String) -> [[UInt8]] { RawFile.lines(segmentPath(directory)) }

    static func setLines(_ directory: String, _ lines: [[UInt8]]) { RawFile.writeLines(segmentPath(directory), lines) }

    static func headAnchor(_ chain: RecordChain) -> ChainAnchor {
        ChainAnchor(seq: chain.seq, hash: chain.prev)
    }

    /// Verifies the store at `directory` and expects it to fail at record `seq` with a message that
    /// begins with `prefix`; returns the report.
    @discardableResult
    static func verifyFails(_ directory: String, at seq: UInt64, _ prefix: String, sourceLocation: SourceLocation = #_sourceLocation) -> VerifyReport {
        let report = LogVerifier.verify(directory: directory)
        #expect(!report.ok, sourceLocation: sourceLocation)
        #expect(report.problem?.seq == seq, sourceLocation: sourceLocation)
        #expect(report.problem?.message.hasPrefix(prefix) == true, "\(report.problem?.message ?? "")", sourceLocation: sourceLocation)
        return report
    }

    // MARK: Clean logs

    @Test("A clean log verifies, with the right head, records and bytes")
    func cleanLog() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try Self.store(dir.path)
            let report = LogVerifier.verify(directory: dir.path)
            #expect(report.ok)
            #expect(report.problem == nil)
            #expect(report.records == 20)
            #expect(report.headSeq == 20)
            #expect(report.headHash == chain.prev)
            #expect(report.bytes == Int64(RawFile.size(segmentPath(dir.path))))
            #expect(report.anchorFound == nil, "no anchor given")
        }
    }

    @Test("A clean log spread over several segments verifies")
    func cleanLogAcrossSegments() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try writeClosedStore(dir.path, events: Sample.events(count: Self.count), options: testOptions(segmentBytes: 2048))
            #expect(try SegmentFile.list(in: dir.path + "/log").count >= 3)
            let report = LogVerifier.verify(directory: dir.path, against: Self.headAnchor(chain))
            #expect(report.ok)
            #expect(report.headSeq == 20)
            #expect(report.headHash == chain.prev)
        }
    }

    @Test("An empty store verifies with a zero head")
    func emptyLog() throws {
        try withTemporaryDirectory("verifier") { dir in
            try writeClosedStore(dir.path, events: [])
            let report = LogVerifier.verify(directory: dir.path)
            #expect(report.ok)
            #expect(report.records == 0 && report.headSeq == 0 && report.headHash == .zero)
            #expect(LogVerifier.verify(directory: dir.path, against: ChainAnchor(seq: 0, hash: .zero)).ok)
        }
    }

    @Test("Verifying against the current head passes")
    func againstCurrentHead() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try Self.store(dir.path)
            let report = LogVerifier.verify(directory: dir.path, against: Self.headAnchor(chain))
            #expect(report.ok)
            #expect(report.anchorFound == true)
            #expect(LogVerifier.verify(directory: dir.path, against: ChainAnchor(seq: nil, hash: chain.prev)).ok, "the seq may be left out")
        }
    }

    @Test("An anchor at an earlier seq also passes: the log still contains it")
    func againstEarlierAnchor() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try Self.store(dir.path)
            for seq in [1, 5, 10, 19] {
                let report = LogVerifier.verify(directory: dir.path, against: ChainAnchor(seq: UInt64(seq), hash: chain.hashes[seq - 1]))
                #expect(report.ok, "anchor at seq \(seq)")
                #expect(report.anchorFound == true)
                #expect(report.headSeq == 20)
            }
            #expect(LogVerifier.verify(directory: dir.path, against: ChainAnchor(seq: nil, hash: chain.hashes[4])).ok)
        }
    }

    @Test("An anchor whose seq and hash do not go together fails")
    func mismatchedAnchor() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try Self.store(dir.path)
            let report = LogVerifier.verify(directory: dir.path, against: ChainAnchor(seq: 6, hash: chain.hashes[4]))
            #expect(!report.ok)
            #expect(report.anchorFound == false)
            #expect(report.problem?.seq == 6)
            #expect(report.problem?.message.contains("is not in this log") == true)
        }
    }

    @Test("Verification through a head stops there")
    func throughHead() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try Self.store(dir.path)
            let lines = Self.lines(dir.path)
            let offset = lines[..<10].reduce(0) { $0 + $1.count + 1 }
            // Damage after the head does not matter to a check through the head.
            var damaged = lines
            damaged[15][damaged[15].count / 2] ^= 0x01
            Self.setLines(dir.path, damaged)
            let head = LogPosition(seq: 10, hash: chain.hashes[9], segment: 1, offset: Int64(offset))
            let report = LogVerifier.verify(directory: dir.path, through: head)
            #expect(report.ok)
            #expect(report.headSeq == 10)
            #expect(report.records == 10)
        }
    }

    // MARK: Tampering

    @Test("One byte changed in record 10 is found at record 10")
    func changedByte() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try Self.store(dir.path)
            var lines = Self.lines(dir.path)
            // Change the first letter of the reason: still valid JSON, a different fact.
            let text = String(decoding: lines[9], as: UTF8.self)
            let reason = try #require(text.range(of: #""reason":""#))
            let index = text.utf8.distance(from: text.startIndex, to: reason.upperBound)
            lines[9][index] = lines[9][index] == UInt8(ascii: "f") ? UInt8(ascii: "F") : UInt8(ascii: "f")
            Self.setLines(dir.path, lines)
            let report = Self.verifyFails(dir.path, at: 10, "record 10 has been changed: its hash does not match its bytes")
            #expect(report.headSeq == 9, "the chain is good through record 9")
            #expect(report.headHash == chain.hashes[8])
            #expect(report.records == 9)
        }
    }

    @Test("Any single changed byte anywhere is found at its record")
    func everyByteMatters() throws {
        try withTemporaryDirectory("verifier") { dir in
            try Self.store(dir.path)
            let original = Self.lines(dir.path)
            var generator = SeededRandom(seed: 20231130)
            for _ in 0..<40 {
                let record = Int(generator.next() % UInt64(original.count))
                let position = Int(generator.next() % UInt64(original[record].count))
                var lines = original
                var byte = UInt8(ascii: "x")
                if lines[record][position] == byte { byte = UInt8(ascii: "y") }
                lines[record][position] = byte
                Self.setLines(dir.path, lines)
                let report = LogVerifier.verify(directory: dir.path)
                #expect(!report.ok, "byte \(position) of record \(record + 1)")
                #expect(report.problem?.seq == UInt64(record + 1), "byte \(position) of record \(record + 1): \(report.problem?.message ?? "")")
            }
        }
    }

    @Test("Record 10 removed is found: record 10 is missing")
    func removedRecord() throws {
        try withTemporaryDirectory("verifier") { dir in
            try Self.store(dir.path)
            var lines = Self.lines(dir.path)
            lines.remove(at: 9)
            Self.setLines(dir.path, lines)
            let report = Self.verifyFails(dir.path, at: 10, "record 10 is missing: seq jumps from 9 to 11")
            #expect(report.headSeq == 9)
        }
    }

    @Test("Records 10 and 11 swapped are found at record 10")
    func swappedRecords() throws {
        try withTemporaryDirectory("verifier") { dir in
            try Self.store(dir.path)
            var lines = Self.lines(dir.path)
            lines.swapAt(9, 10)
            Self.setLines(dir.path, lines)
            let report = LogVerifier.verify(directory: dir.path)
            #expect(!report.ok)
            #expect(report.problem?.seq == 10)
            #expect(report.problem?.message.contains("record 10") == true, "\(report.problem?.message ?? "")")
            #expect(report.headSeq == 9)
        }
    }

    @Test("Records swapped and re-encoded with fresh hashes break the chain at the next original record")
    func swappedAndRenumbered() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try Self.store(dir.path)
            var records = try LogReader(directory: dir.path).records(from: 1, limit: .max)
            records.swapAt(9, 10)
            // Re-encode 10 and 11 with their new numbers but keep every other line as it was.
            var lines = Self.lines(dir.path)
            var forged = RecordChain(seq: 9, prev: chain.hashes[8])
            let bytes = forged.encode([records[9].event, records[10].event])
            let newLines = bytes.split(separator: 0x0A).map(Array.init)
            lines[9] = newLines[0]
            lines[10] = newLines[1]
            Self.setLines(dir.path, lines)
            Self.verifyFails(dir.path, at: 12, "record 12 does not follow record 11: its prev hash differs")
        }
    }

    @Test("A forged record 11 inserted between 10 and 11 is found where the original record 11 repeats its number")
    func insertedRecord() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try Self.store(dir.path)
            var lines = Self.lines(dir.path)
            // A self-consistent record 11: prev is record 10's hash, its own hash is right.
            var forger = RecordChain(seq: 10, prev: chain.hashes[9])
            let forgedEvent = Event.disbursementRecorded(DisbursementRecorded(task: Sample.task1, decision: Sample.decision, amount: Make.triệu(50),
                                                                             date: Make.date("2023-11-29"), ref: Make.ref("UNC-FORGED")))
            let forged = Array(forger.encode([forgedEvent]).dropLast())
            lines.insert(forged, at: 10)
            Self.setLines(dir.path, lines)
            let report = LogVerifier.verify(directory: dir.path)
            #expect(!report.ok)
            // The forged line verifies as record 11 (it is self-consistent); the break is the original
            // record 11 that follows it, so that is the record to name.
            #expect(report.headSeq == 11)
            #expect(report.headHash == forger.prev)
            #expect(report.problem?.message.hasPrefix("record 11 appears again after record 11") == true, "\(report.problem?.message ?? "")")
            #expect(report.problem?.seq == 11, "the problem names the record where the chain breaks")
        }
    }

    @Test("The last record removed verifies on its own, but not against the old head")
    func lastRecordRemoved() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try Self.store(dir.path)
            var lines = Self.lines(dir.path)
            lines.removeLast()
            Self.setLines(dir.path, lines)
            let alone = LogVerifier.verify(directory: dir.path)
            #expect(alone.ok)
            #expect(alone.headSeq == 19)
            #expect(alone.headHash == chain.hashes[18])
            let against = LogVerifier.verify(directory: dir.path, against: Self.headAnchor(chain))
            #expect(!against.ok)
            #expect(against.anchorFound == false)
            #expect(against.problem?.seq == 20)
            #expect(against.problem?.message == "the log ends at seq 19 but the recorded head was seq 20: records after 19 were removed")
        }
    }

    @Test("A whole rewritten chain verifies on its own but fails against the original head")
    func rewrittenChain() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try Self.store(dir.path)
            let records = try LogReader(directory: dir.path).records(from: 1, limit: .max)
            #expect(records.count == 20)
            // Change one amount and re-encode everything after it, as a forger with write access would.
            var events = records.map(\.event)
            guard case .disbursementRecorded(var payment) = events[14] else {
                Issue.record("record 15 should be a disbursement: \(events[14])")
                return
            }
            payment.amount = Money(dong: payment.amount.dong + 1_000_000)
            events[14] = .disbursementRecorded(payment)
            var rewritten = RecordChain()
            let bytes = rewritten.encode(events)
            RawFile.write(segmentPath(dir.path), bytes)

            let alone = LogVerifier.verify(directory: dir.path)
            #expect(alone.ok, "a rewritten chain is internally consistent")
            #expect(alone.headSeq == 20)
            #expect(alone.headHash != chain.prev)
            #expect(Array(rewritten.hashes[..<14]) == Array(chain.hashes[..<14]), "records before the change keep their hashes")
            let against = LogVerifier.verify(directory: dir.path, against: Self.headAnchor(chain))
            #expect(!against.ok)
            #expect(against.anchorFound == false)
            #expect(against.problem?.seq == 20)
            #expect(against.problem?.message == "the recorded head seq 20, hash \(chain.prev.hex) is not in this log: the history it vouched for was rewritten")
            // An anchor from before the change still holds.
            #expect(LogVerifier.verify(directory: dir.path, against: ChainAnchor(seq: 14, hash: chain.hashes[13])).ok)
        }
    }

    @Test("A truncated last line is reported as a torn write at that record")
    func tornLastLine() throws {
        try withTemporaryDirectory("verifier") { dir in
            try Self.store(dir.path)
            var bytes = RawFile.read(segmentPath(dir.path))
            bytes.removeLast(30)
            RawFile.write(segmentPath(dir.path), bytes)
            Self.verifyFails(dir.path, at: 20, "record 20 is incomplete")
        }
    }

    @Test("A body that is not a known event is found even when the hash is right")
    func unknownEventType() throws {
        try withTemporaryDirectory("verifier") { dir in
            let chain = try Self.store(dir.path)
            var lines = Self.lines(dir.path)
            // Rewrite record 20 with a correct hash over an unknown type.
            var text = String(decoding: lines[19], as: UTF8.self)
            let type = try #require(text.range(of: #""type":"disbursement.recorded""#))
            text.replaceSubrange(type, with: #""type":"disbursement.invented""#)
            let prefixEnd = try #require(text.range(of: #","hash":""#, options: .backwards))
            let beforeHash = Array(text[..<prefixEnd.lowerBound].utf8)
            let hash = SHA256.hash(Array(chain.hashes[18].hex.utf8) + beforeHash)
            lines[19] = beforeHash + Array(#","hash":""#.utf8) + Array(hash.hex.utf8) + Array("\"}".utf8)
            Self.setLines(dir.path, lines)
            Self.verifyFails(dir.path, at: 20, "record 20 is not a valid event: ")
        }
    }
}
