import Foundation
import Glibc
import Testing
@testable import Events

/// What `LogStore.open` trusts and what it refuses: the lock on the directory, the key, the head
/// mark, and the pipelined replay's hash checks, on temporary stores.
@Suite struct StoreTrustTests {
    /// Writes a closed store of `count` records and a head mark at its head; returns the head.
    @discardableResult
    static func markedStore(_ directory: String, count: Int) throws -> LogPosition {
        let (store, _) = try LogStore.openInTest(directory: directory, options: testOptions())
        defer { store.close() }
        var chain = RecordChain()
        try chain.appendEach(Sample.events(count: count), to: store)
        try HeadMark(position: store.head, written: "now").write(to: store.layout, key: store.key)
        return store.head
    }

    /// Cuts the last `count` records of the first segment at a record boundary.
    static func cut(_ directory: String, records count: Int) {
        let lines = RawFile.lines(segmentPath(directory))
        RawFile.writeLines(segmentPath(directory), Array(lines.dropLast(count)))
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode : 0
    }

    // MARK: The lock

    @Test("The lock is on the directory: with LOCK deleted, a second open still conflicts, naming this process")
    func lockSurvivesDeletedLockFile() throws {
        try withTemporaryDirectory("trust") { dir in
            let (store, _) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            defer { store.close() }
            try FileManager.default.removeItem(atPath: dir.path + "/LOCK")
            let error = trackerError { _ = try LogStore.openInTest(directory: dir.path, options: testOptions()) }
            #expect(error?.code == .conflict)
            #expect(error?.message.contains("another trackerd (pid \(getpid()))") == true, "\(error?.message ?? "")")
        }
    }

    @Test("A LOCK that is a link is replaced by a plain file; what it pointed to is untouched")
    func lockLinkReplaced() throws {
        try withTemporaryDirectory("trust") { dir in
            let target = dir.path + "/elsewhere"
            RawFile.write(target, Array("precious".utf8))
            try FileManager.default.createDirectory(atPath: dir.path + "/store", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: dir.path + "/store/LOCK", withDestinationPath: target)
            let (store, report) = try LogStore.openInTest(directory: dir.path + "/store", options: testOptions())
            defer { store.close() }
            #expect(RawFile.read(target) == Array("precious".utf8))
            #expect(Self.mode(dir.path + "/store/LOCK") & S_IFMT == S_IFREG)
            #expect(report.remarks.contains { $0.hasPrefix("replaced \(dir.path)/store/LOCK") }, "\(report.remarks)")
        }
    }

    // MARK: The key

    @Test("The key is made once, private to the daemon's user; a key others can read is moved aside and replaced")
    func keyFile() throws {
        try withTemporaryDirectory("trust") { dir in
            let (first, report) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            let key = first.key
            first.close()
            #expect(report.keyCreated)
            let path = dir.path + "/store.key"
            #expect(Self.mode(path) & 0o777 == 0o600)
            #expect(RawFile.size(path) == 16)
            let (second, again) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            #expect(second.key == key && !again.keyCreated)
            second.close()
            chmod(path, 0o644)
            let (third, replaced) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            defer { third.close() }
            #expect(replaced.keyCreated && third.key != key)
            #expect(replaced.remarks.contains { $0.contains("can be read by others (mode 644") }, "\(replaced.remarks)")
            #expect(FileManager.default.fileExists(atPath: path + ".untrusted"))
        }
    }

    // MARK: The head mark

    @Test("A head mark reads back; one changed or tagged with another key is rejected")
    func headMarkTag() throws {
        let key = SipHashKey(bytes: [UInt8](repeating: 7, count: 16))!
        let mark = HeadMark(position: LogPosition(seq: 59, hash: SHA256.hash(Array("x".utf8)), segment: 1, offset: 23456), written: "2026-11-21T05:23:19.123456Z")
        let text = mark.fileText(key: key)
        #expect(HeadMark.parse(text, key: key) == .mark(mark))
        var changed = text
        changed[text.firstIndex(of: UInt8(ascii: "5"))!] = UInt8(ascii: "6")
        #expect(HeadMark.parse(changed, key: key) == .rejected("its tag does not match: it was not written with this store's key"))
        #expect(HeadMark.parse(text, key: SipHashKey(bytes: [UInt8](repeating: 8, count: 16))!)
                == .rejected("its tag does not match: it was not written with this store's key"))
        #expect(HeadMark.parse(Array("seq: 99\n".utf8), key: key) == .rejected("it has no tag line"))
    }

    @Test("A log cut below its head mark is refused with both seqs, and nothing is cut, even a torn tail after it")
    func cutBelowMark() throws {
        try withTemporaryDirectory("trust") { dir in
            try Self.markedStore(dir.path, count: 10)
            Self.cut(dir.path, records: 3)
            let torn = Array(#"{"seq":8,"time":"2026"#.utf8)
            RawFile.append(segmentPath(dir.path), torn)
            let before = RawFile.read(segmentPath(dir.path))
            let error = trackerError { _ = try LogStore.openInTest(directory: dir.path, options: testOptions()) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.hasPrefix("the log ends at seq 7, but the head mark \(dir.path)/head.mark (written now) shows it reached seq 10") == true,
                    "\(error?.message ?? "")")
            #expect(error?.message.contains("records 8–10 were acknowledged and are missing from the log (the \(torn.count) bytes after seq 7 do not form whole records") == true,
                    "\(error?.message ?? "")")
            #expect(error?.message.contains("`trackerd --accept-log-end 7`") == true)
            #expect(RawFile.read(segmentPath(dir.path)) == before, "nothing was cut")
        }
    }

    @Test("Accepting a shorter log works only at the seq it ends at; it notes the loss, moves the mark aside and marks the new head")
    func acceptLogEnd() throws {
        try withTemporaryDirectory("trust") { dir in
            try Self.markedStore(dir.path, count: 10)
            Self.cut(dir.path, records: 3)
            var options = testOptions()
            options.acceptLogEnd = 8
            let wrong = trackerError { _ = try LogStore.openInTest(directory: dir.path, options: options) }
            #expect(wrong?.message == "--accept-log-end 8 was given, but the log ends at seq 7; nothing was accepted (give the seq the log ends at)")
            options.acceptLogEnd = 7
            let (store, report) = try LogStore.openInTest(directory: dir.path, options: options)
            let key = store.key
            store.close()
            #expect(report.head.seq == 7)
            #expect(report.acceptedLoss?.marks.map(\.position.seq) == [10])
            #expect(report.remarks.contains { $0.contains("records 8–10 are given up") }, "\(report.remarks)")
            let note = String(decoding: RawFile.read(try #require(report.acceptedLoss?.note)), as: UTF8.self)
            #expect(note.contains("the operator accepted that the log ends at seq 7") && note.contains("seq 10"), "\(note)")
            #expect(FileManager.default.fileExists(atPath: dir.path + "/head.mark.ignored"))
            guard case .mark(let mark) = HeadMark.read(StoreLayout(directory: dir.path), key: key) else { Issue.record("no new mark"); return }
            #expect(mark.position.seq == 7)
            // The next open needs nothing accepted.
            let (again, _) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            again.close()
        }
    }

    @Test("A mark made at the start of a new segment (right after a rotation, or a crash during one) names the record before it: found")
    func markAtSegmentStart() throws {
        try withTemporaryDirectory("trust") { dir in
            let head = try Self.markedStore(dir.path, count: 10)
            let (store, _) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            // What a daemon that crashed between making segment 11 and writing to it marks at its next start.
            try HeadMark(position: LogPosition(seq: head.seq, hash: head.hash, segment: head.seq + 1, offset: 0), written: "now")
                .write(to: store.layout, key: store.key)
            store.close()
            let (again, report) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            again.close()
            #expect(report.head == head)
            // A mark whose place is wrong but whose record is in the log is found as well; one of a
            // record that is not is refused.
            try HeadMark(position: LogPosition(seq: 5, hash: head.hash, segment: 1, offset: 3), written: "now").write(to: again.layout, key: again.key)
            let error = trackerError { _ = try LogStore.openInTest(directory: dir.path, options: testOptions()) }
            #expect(error?.message.contains("names record 5") == true && error?.message.contains("the log holds another record 5 there") == true,
                    "\(error?.message ?? "")")
        }
    }

    @Test("A head mark whose record the log holds with another hash (a rewritten log) is refused")
    func rewrittenBelowMark() throws {
        try withTemporaryDirectory("trust") { dir in
            try Self.markedStore(dir.path, count: 10)
            // The same events from seq 1 again, at another time: every hash differs.
            let path = segmentPath(dir.path)
            var chain = RecordChain()
            chain.time = Timestamp(microseconds: Sample.time.microseconds + 1_000_000)
            RawFile.write(path, chain.encode(Sample.events(count: 10)))
            let error = trackerError { _ = try LogStore.openInTest(directory: dir.path, options: testOptions()) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("names record 10") == true && error?.message.contains("the log holds another record 10 there") == true,
                    "\(error?.message ?? "")")
            #expect(error?.message.contains("rewritten or forked") == true)
        }
    }

    @Test("An empty log with a head mark of records is refused; a mark that does not check is ignored with a remark")
    func emptyLogAndForgedMark() throws {
        try withTemporaryDirectory("trust") { dir in
            try Self.markedStore(dir.path, count: 4)
            try FileManager.default.removeItem(atPath: segmentPath(dir.path))
            let error = trackerError { _ = try LogStore.openInTest(directory: dir.path, options: testOptions()) }
            #expect(error?.message.hasPrefix("the log ends at seq 0, but the head mark") == true, "\(error?.message ?? "")")
            // A mark written without the key (a forger's, or damaged) proves nothing.
            let forged = HeadMark(position: LogPosition(seq: 99, hash: .zero, segment: 1, offset: 0), written: "x")
                .fileText(key: SipHashKey(bytes: [UInt8](repeating: 1, count: 16))!)
            RawFile.write(dir.path + "/head.mark", forged)
            let (store, report) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            store.close()
            #expect(report.remarks.contains { $0.hasPrefix("ignored the head mark \(dir.path)/head.mark: its tag does not match") }, "\(report.remarks)")
        }
    }

    // MARK: The pipelined replay

    @Test("The pipelined reader gives every record in order across many batches, and stops early when asked")
    func pipelinedOrder() throws {
        try withTemporaryDirectory("trust") { dir in
            let (store, _) = try LogStore.openInTest(directory: dir.path, options: testOptions(segmentBytes: 64 << 10))
            var chain = RecordChain()
            let events = Sample.events(count: 200)
            for _ in 0..<50 { try chain.append(events, to: store) }
            let head = store.head
            store.close()
            var seqs: [UInt64] = []
            try LogReader(directory: dir.path).forEachRecordPipelined(through: head) { (record) throws(TrackerError) -> Bool in
                seqs.append(record.seq)
                return true
            }
            #expect(seqs == Array(1...10_000))
            var first: [UInt64] = []
            try LogReader(directory: dir.path).forEachRecordPipelined(through: head) { (record) throws(TrackerError) -> Bool in
                first.append(record.seq)
                return record.seq < 4321
            }
            #expect(first == Array(1...4321))
        }
    }

    @Test("The pipelined reader checks every record's hash: a changed record stops it with corrupt, naming the record and where it is")
    func pipelinedHashes() throws {
        try withTemporaryDirectory("trust") { dir in
            try writeClosedStore(dir.path, events: Sample.events(count: 40))
            let path = segmentPath(dir.path)
            let lines = RawFile.lines(path)
            let start = lines[..<20].reduce(0) { $0 + $1.count + 1 }
            // The last digit of record 21's time: still a record, no longer the bytes that were hashed.
            let time = Array(#""time":""#.utf8)
            let field = try #require(lines[20].indices.first { Array(lines[20][$0...].prefix(time.count)) == time })
            let digit = field + time.count + 25
            RawFile.pwrite(path, [lines[20][digit] == 0x39 ? 0x38 : 0x39], at: Int64(start + digit))
            var seen = 0
            let error = trackerError {
                try LogReader(directory: dir.path).forEachRecordPipelined { (_) throws(TrackerError) -> Bool in seen += 1; return true }
            }
            #expect(error?.code == .corrupt)
            #expect(error?.message == "record 21: its hash does not match its bytes (byte \(start) of \(path))", "\(error?.message ?? "")")
            #expect(seen == 20, "the records before it were given")
        }
    }
}
