import Events
import Foundation
import Glibc
import Testing

/// What tests do to a store's files behind the daemon's back: cut records off the end of the log
/// (and put them back), read the head mark.
extension TrackerProcess {
    /// Bytes cut off the end of the last segment, to put back.
    struct CutTail {
        let path: String
        let bytes: Data
        /// The number of records cut.
        let records: Int

        func putBack() throws {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            handle.seekToEndOfFile()
            handle.write(bytes)
            try handle.close()
        }
    }

    /// Cuts the last `count` records (at most as many as it holds) off the last segment that holds
    /// any, at a record boundary; an empty last segment (left by a crash during rotation) is removed.
    func cutLastRecords(_ count: Int) throws -> CutTail {
        var segments = try segments()
        while let last = segments.last, segments.count > 1,
              (try FileManager.default.attributesOfItem(atPath: last)[.size] as? Int ?? 0) == 0 {
            try FileManager.default.removeItem(atPath: last)
            segments.removeLast()
        }
        let segment = try #require(segments.last)
        // A segment of a daemon that did not stop cleanly is padded with zeros after its records.
        let file = try Data(contentsOf: URL(fileURLWithPath: segment))
        let bytes = file.prefix((file.lastIndex(of: 0x0A) ?? -1) + 1)
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let cut = min(count, lines.count)
        let keep = lines.dropLast(cut).reduce(0) { $0 + $1.count + 1 }
        try bytes.prefix(keep).write(to: URL(fileURLWithPath: segment))
        return CutTail(path: segment, bytes: bytes.suffix(from: keep), records: cut)
    }

    /// The seq the store's head mark names, if it has one.
    var markSeq: Int64? {
        guard let text = try? String(contentsOfFile: directory + "/head.mark", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("seq: ") }.flatMap { Int64($0.dropFirst(5)) }
    }

    /// Waits (up to 30 s) until the head mark names `seq`.
    func waitForMark(_ seq: Int64, sourceLocation: SourceLocation = #_sourceLocation) {
        waitUntil("the head mark to reach seq \(seq)", sourceLocation: sourceLocation) { markSeq == seq }
    }
}

/// Rewrites every record of `segment` from `seq` on, one million đồng added to each disbursement,
/// re-hashing the chain from there: a forger's best, a log that verifies on its own.
func rewriteChain(_ segment: String, from seq: UInt64) throws {
    let lines = try String(contentsOfFile: segment, encoding: .utf8).split(separator: "\n").map(String.init)
    var rewritten: [UInt8] = []
    var prev = SHA256Digest.zero
    for line in lines {
        let record = try Array(line.utf8).withUnsafeBytes { try RecordCodec.decode($0) }
        if record.seq >= seq {
            var event = record.event
            if case .disbursementRecorded(var body) = event { body.amount = Money(dong: body.amount.dong + 1_000_000); event = .disbursementRecorded(body) }
            prev = RecordCodec.encode(seq: record.seq, time: record.time, actor: record.actor, event: event, prev: prev, into: &rewritten)
        } else {
            rewritten.append(contentsOf: Array(line.utf8) + [0x0A])
            prev = record.hash
        }
    }
    try Data(rewritten).write(to: URL(fileURLWithPath: segment))
}
