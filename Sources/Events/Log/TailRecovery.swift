import Glibc

/// Checks the end of the log when it is opened, and cuts a torn tail.
///
/// A power cut mid-write leaves a partial last record, or (when pages reach the disk out of order)
/// a few damaged records at the very end, followed by nothing valid. Those were never
/// acknowledged: they are copied to `quarantine/`, overwritten with zeros, and reported. A damaged
/// record followed by a valid one is not a torn write but damage to acknowledged history: opening
/// refuses, naming the record.
struct TailRecovery {
    let layout: StoreLayout
    let options: LogOptions

    fileprivate struct TailLine {
        var offset: Int64
        var bytes: [UInt8]
        var length: Int
        var shapeOK: Bool
        var terminated: Bool
    }

    /// Finds the head, checks it with `beforeCut` (given the head and how many bytes after it would
    /// be cut; it throws to refuse the open with nothing changed), then cuts a torn tail.
    mutating func recover(segments: [SegmentFile], report: inout RecoveryReport,
                          beforeCut: (LogPosition, Int64) throws(TrackerError) -> Void) throws(TrackerError) -> (FileDescriptor, LogPosition) {
        let segment = segments[segments.count - 1]
        let fd = try LogStore.ioCall("open \(segment.path)") { () throws(Errno) in try FileDescriptor.open(segment.path, O_RDWR) }
        do throws(TrackerError) {
            let found = try inspect(fd: fd, segments: segments)
            try beforeCut(found.head, found.end - found.head.offset)
            if found.head.offset < found.end {
                try cut(fd: fd, segment: segment, from: found.head.offset, to: found.end, lines: found.broken, report: &report)
            }
            return (fd, found.head)
        } catch {
            fd.close()
            throw error
        }
    }

    /// What the end of the log holds, found without changing anything.
    struct Inspection {
        /// The last whole record that continues the chain: the committed head.
        var head: LogPosition
        /// Where the data of the last segment ends (past the head when a torn tail follows it).
        var end: Int64
        /// The lines after the head: a torn or partial write, never acknowledged.
        fileprivate var broken: [TailLine]
    }

    /// Finds the head of the log through `fd` (the last of `segments`), read only: the segments'
    /// names must follow each other, and after the last whole record that continues the chain
    /// only broken bytes may follow (a torn write). A whole record after a break is damage to
    /// recorded history: `corrupt`, naming the record.
    func inspect(fd: FileDescriptor, segments: [SegmentFile]) throws(TrackerError) -> Inspection {
        let segment = segments[segments.count - 1]
        let size = try LogStore.ioCall("size of \(segment.path)") { () throws(Errno) in try fd.size() }
        let end = try LogStore.ioCall("read \(segment.path)") { () throws(Errno) in try dataEnd(of: fd, size: size) }
        // Every segment must start where the one before it ends, the first at seq 1.
        var previousTail: (seq: UInt64, hash: SHA256Digest)? = nil
        for sealed in segments {
            let expected = (previousTail?.seq ?? 0) + 1
            guard sealed.firstSeq == expected else {
                throw TrackerError(.corrupt, sealed.firstSeq > expected
                    ? "segment \(sealed.path) starts at seq \(sealed.firstSeq) but seq \(expected) comes next: records \(expected)–\(sealed.firstSeq - 1) are missing (a segment was removed)"
                    : "segment \(sealed.path) starts at seq \(sealed.firstSeq), inside the segment before it")
            }
            if sealed == segment { break }
            previousTail = try lastRecord(of: sealed)
        }
        // Scan every line; keep the last few whole for full checks.
        var scanner = LineScanner(fd: fd, from: 0, to: end)
        defer { scanner.deallocate() }
        var window: [TailLine] = []
        let keep = options.tailRecordsChecked + 1
        var firstBadIndex: Int? = nil
        var lineCount = 0
        let reading = "read \(segment.path)"   // made once, not once a line
        while let line = try LogStore.ioCall(reading, { () throws(Errno) in try scanner.next() }) {
            let shapeOK = line.terminated && !line.hasNUL && RecordCodec.leadingSeq(line.bytes) != nil
            if !shapeOK && firstBadIndex == nil { firstBadIndex = lineCount }
            // Once something is bad, keep everything after it: it must all be checked.
            if firstBadIndex == nil && window.count >= 2 * keep { window.removeFirst(window.count - keep + 1) }
            // Where the line is, not its bytes: those are read back below for the few lines kept.
            window.append(TailLine(offset: line.offset, bytes: [], length: line.bytes.count, shapeOK: shapeOK, terminated: line.terminated))
            lineCount += 1
        }
        if firstBadIndex == nil && window.count > keep { window.removeFirst(window.count - keep) }
        for index in window.indices {
            var bytes = [UInt8](repeating: 0, count: window[index].length)
            let read = try LogStore.ioCall(reading) { () throws(Errno) -> Int in
                try bytes.withMutableBytes { (raw) throws(Errno) -> Int in try fd.readFully(into: raw, at: window[index].offset) }
            }
            guard read == bytes.count else { throw TrackerError(.ioError, "cannot \(reading): it changed while being read") }
            window[index].bytes = bytes
        }
        // Walk the window: the valid prefix, then everything after it must be invalid.
        let windowStartIndex = lineCount - window.count
        var expectedSeq: UInt64? = nil
        var expectedPrev: SHA256Digest? = nil
        if windowStartIndex == 0 {
            expectedSeq = segment.firstSeq
            expectedPrev = previousTail?.hash ?? .zero
        }
        var goodCount = 0     // lines of the window that are valid, in order
        var head = LogPosition(seq: segment.firstSeq - 1, hash: previousTail?.hash ?? .zero, segment: segment.firstSeq, offset: 0)
        for (index, line) in window.enumerated() {
            let check: RecordCodec.LineCheck? = line.shapeOK ? line.bytes.withUnsafeBytes { RecordCodec.verifyLine($0) } : nil
            if index == 0 && windowStartIndex > 0 {
                // The line before the checked window: trusted for its hash field only.
                guard let check else { break }
                expectedSeq = check.seq + 1
                expectedPrev = check.hash
                head = LogPosition(seq: check.seq, hash: check.hash, segment: segment.firstSeq,
                                   offset: line.offset + Int64(line.bytes.count) + 1)
                goodCount = 1
                continue
            }
            guard let check, check.hashMatches, check.seq == expectedSeq, check.prev == expectedPrev else { break }
            expectedSeq = check.seq + 1
            expectedPrev = check.hash
            head = LogPosition(seq: check.seq, hash: check.hash, segment: segment.firstSeq, offset: line.offset + Int64(line.bytes.count) + 1)
            goodCount = index + 1
        }
        // A torn write leaves only broken bytes behind it. A whole record (one whose hash matches
        // its bytes) from the first break on means damage to recorded history instead.
        let broken = window.dropFirst(goodCount)
        if let first = broken.first, broken.contains(where: { line in
            line.shapeOK && line.bytes.withUnsafeBytes({ RecordCodec.verifyLine($0) })?.hashMatches == true
        }) {
            let problem = Self.describeBreak(first, expectedSeq: expectedSeq ?? head.seq + 1, expectedPrev: expectedPrev ?? head.hash)
            throw TrackerError(.corrupt,
                "\(problem) (byte \(first.offset) of \(segment.path)), and whole records follow; this is damage to recorded history, not a torn write. Run `trackctl verify --offline` for details and restore from a backup")
        }
        return Inspection(head: head, end: end, broken: Array(window.dropFirst(goodCount)))
    }

    /// Why `line` does not continue the chain, in plain words.
    private static func describeBreak(_ line: TailLine, expectedSeq: UInt64, expectedPrev: SHA256Digest) -> String {
        guard line.shapeOK, let check = line.bytes.withUnsafeBytes({ RecordCodec.verifyLine($0) }) else {
            return "record \(expectedSeq) is damaged or incomplete"
        }
        if !check.hashMatches { return "record \(check.seq) has been changed: its hash does not match its bytes" }
        if check.seq > expectedSeq { return "record \(expectedSeq) is missing: seq jumps from \(expectedSeq - 1) to \(check.seq)" }
        if check.seq < expectedSeq { return "record \(check.seq) appears again after record \(expectedSeq - 1)" }
        return "record \(check.seq) does not follow record \(check.seq - 1): its prev hash differs"
    }

    private func cut(fd: FileDescriptor, segment: SegmentFile, from start: Int64, to end: Int64, lines: [TailLine],
                     report: inout RecoveryReport) throws(TrackerError) {
        let count = Int(end - start)
        var bytes = [UInt8](repeating: 0, count: count)
        _ = try LogStore.ioCall("read the torn tail") { () throws(Errno) in
            try bytes.withMutableBytes { (raw) throws(Errno) -> Int in try fd.readFully(into: raw, at: start) }
        }
        let stamp = Timestamp.systemNow().description.replacingOccurrences(of: ":", with: "")
        let quarantinePath = layout.quarantine + "/\(stamp)-\(SegmentFile.name(firstSeq: segment.firstSeq))-at-\(start).bin"
        try LogStore.ioCall("save the torn tail to \(quarantinePath)") { () throws(Errno) in
            try FileSystem.createDirectory(layout.quarantine)
            try FileSystem.replaceFile(quarantinePath, with: bytes)
        }
        let zeros = [UInt8](repeating: 0, count: count)
        try LogStore.ioCall("cut the torn tail") { () throws(Errno) in
            try zeros.withBytes { (raw) throws(Errno) in try fd.writeAll(raw, at: start) }
            try fd.dataSync()
        }
        report.cutBytes += count
        report.quarantineFile = quarantinePath
        for line in lines {
            let seq = line.bytes.withUnsafeBytes { RecordCodec.leadingSeq($0) }
            let what = line.terminated && !line.bytes.contains(0)
                ? "damaged record" + (seq.map { " \($0)" } ?? "")
                : "a partial record" + (seq.map { " (seq \($0))" } ?? "")
            report.cutDescriptions.append("cut \(what) (\(line.bytes.count) bytes at byte \(line.offset) of \(segment.path)): never acknowledged")
        }
    }

    /// The last record of a sealed segment (its hash field, trusted; verify checks it in full).
    private func lastRecord(of segment: SegmentFile) throws(TrackerError) -> (seq: UInt64, hash: SHA256Digest) {
        let found = try LogStore.ioCall("read \(segment.path)") { () throws(Errno) -> (seq: UInt64, hash: SHA256Digest)? in
            let fd = try FileDescriptor.open(segment.path, O_RDONLY)
            return try fd.closeAfter { () throws(Errno) -> (seq: UInt64, hash: SHA256Digest)? in
                let end = try dataEnd(of: fd, size: try fd.size())
                guard let line = try Self.lastLine(fd: fd, end: end),
                      let check = line.withUnsafeBytes({ RecordCodec.verifyLine($0) }), check.hashMatches else { return nil }
                return (check.seq, check.hash)
            }
        }
        guard let found else { throw TrackerError(.corrupt, "the last record of sealed segment \(segment.path) is damaged") }
        return found
    }

    /// The last newline-terminated line before `end`, without its newline.
    static func lastLine(fd: FileDescriptor, end: Int64) throws(Errno) -> [UInt8]? {
        guard end > 0 else { return nil }
        var window = 4096
        while true {
            let start = max(0, end - Int64(window))
            var bytes = [UInt8](repeating: 0, count: Int(end - start))
            _ = try bytes.withMutableBytes { (raw) throws(Errno) -> Int in try fd.readFully(into: raw, at: start) }
            guard bytes.last == 0x0A else { return nil }
            if let previousNewline = bytes.dropLast().lastIndex(of: 0x0A) {
                return Array(bytes[(previousNewline + 1)..<(bytes.count - 1)])
            }
            if start == 0 { return Array(bytes.dropLast()) }
            window *= 4
        }
    }

    /// Re-reads the tail through `fd` and says what is wrong, or nil when the record ending at
    /// `head.offset` has `head`'s hash and only zeros follow it.
    static func verifyHead(fd: FileDescriptor, head: LogPosition) throws(Errno) -> String? {
        if head.offset > 0 {
            guard let line = try lastLine(fd: fd, end: head.offset) else { return "no complete record ends at byte \(head.offset)" }
            guard let check = line.withUnsafeBytes({ RecordCodec.verifyLine($0) }), check.hashMatches else {
                return "the record ending at byte \(head.offset) is damaged on disk"
            }
            guard check.seq == head.seq, check.hash == head.hash else {
                return "the record on disk is seq \(check.seq), expected seq \(head.seq)"
            }
        }
        var after = [UInt8](repeating: 0, count: 1 << 16)
        let n = try after.withMutableBytes { (raw) throws(Errno) -> Int in try fd.readFully(into: raw, at: head.offset) }
        if after[0..<n].contains(where: { $0 != 0 }) { return "unexpected bytes after the last acknowledged record" }
        return nil
    }
}
