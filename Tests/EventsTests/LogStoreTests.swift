import Foundation
import Testing
@testable import Events

/// The file log for real, on temporary directories: appending, reading back, rotation, the lock,
/// tail recovery and the plain-NDJSON form of a stopped store.
@Suite struct LogStoreTests {

    // MARK: Helpers

    /// Every record of the store, read back through `LogReader`.
    static func readAll(_ directory: String, through head: LogPosition? = nil) throws -> [Record] {
        try LogReader(directory: directory).records(from: 1, limit: .max, through: head)
    }

    /// The files in the quarantine directory.
    static func quarantineFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/quarantine")) ?? []).filter { !$0.hasSuffix(".tmp") }
    }

    // MARK: Appending and reading back

    @Test("Appended records are read back in order, decoded, and the head survives a reopen")
    func appendAndReopen() throws {
        try withTemporaryDirectory("logstore") { dir in
            let events = Sample.events(count: 15)
            var chain = RecordChain()
            let (store, report) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            #expect(report.head == .empty)
            #expect(report.segments == 1)
            #expect(store.head == .empty)
            try chain.append(Array(events[..<5]), to: store)          // one batch of five
            try chain.appendEach(Array(events[5...]), to: store)      // then one record per batch
            #expect(store.head.seq == 15)
            #expect(store.head.hash == chain.prev)
            let head = store.head
            // Readable while open, up to the head.
            let whileOpen = try Self.readAll(dir.path, through: head)
            #expect(whileOpen.count == 15)
            store.close()

            let (reopened, again) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            defer { reopened.close() }
            #expect(again.head == head)
            #expect(reopened.head == head)
            #expect(again.cutBytes == 0 && again.cutDescriptions.isEmpty && again.quarantineFile == nil)

            let records = try Self.readAll(dir.path)
            #expect(records.map(\.seq) == Array(1...15))
            #expect(records.map(\.event) == events)
            #expect(records.map(\.hash) == chain.hashes)
            #expect(records.first?.prev == .zero)
            for (previous, record) in zip(records, records.dropFirst()) { #expect(record.prev == previous.hash) }
            #expect(records.allSatisfy { $0.time == Sample.time && $0.actor == Sample.actor })
            #expect(records == whileOpen)
        }
    }

    @Test("Appending continues the chain after a reopen")
    func appendAfterReopen() throws {
        try withTemporaryDirectory("logstore") { dir in
            let events = Sample.events(count: 12)
            var chain = RecordChain()
            do {
                let (store, _) = try LogStore.openInTest(directory: dir.path, options: testOptions())
                try chain.appendEach(Array(events[..<6]), to: store)
                store.close()
            }
            let (store, _) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            #expect(store.head.seq == 6)
            try chain.appendEach(Array(events[6...]), to: store)
            store.close()
            #expect(try Self.readAll(dir.path).map(\.event) == events)
            #expect(LogVerifier.verify(directory: dir.path).ok)
        }
    }

    @Test("LogReader starts from a given seq, stops early, and honours a head")
    func readerRanges() throws {
        try withTemporaryDirectory("logstore") { dir in
            let chain = try writeClosedStore(dir.path, events: Sample.events(count: 12))
            let reader = LogReader(directory: dir.path)
            #expect(try reader.records(from: 5, limit: 3).map(\.seq) == [5, 6, 7])
            #expect(try reader.records(from: 11, limit: 10).map(\.seq) == [11, 12])
            #expect(try reader.records(from: 13, limit: 10).isEmpty)
            #expect(try reader.records(from: 1, limit: 0).isEmpty)
            // A head at seq 4: nothing after it is read.
            var head: LogPosition? = nil
            try reader.forEachLine { line in
                if line.seq == 4 { head = LogPosition(seq: 4, hash: chain.hashes[3], segment: 1, offset: line.offset + Int64(line.bytes.count) + 1) }
                return true
            }
            #expect(try reader.records(from: 1, limit: 100, through: head).map(\.seq) == [1, 2, 3, 4])
        }
    }

    @Test("A store that was only opened and closed is empty, and reopens empty")
    func emptyStore() throws {
        try withTemporaryDirectory("logstore") { dir in
            let (store, _) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            store.close()
            store.close()   // safe twice
            #expect(RawFile.size(segmentPath(dir.path)) == 0)
            let (again, report) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            defer { again.close() }
            #expect(report.head == .empty)
            #expect(try Self.readAll(dir.path).isEmpty)
        }
    }

    // MARK: Segments

    @Test("Small segments rotate, and records are read back across segments")
    func segmentRotation() throws {
        try withTemporaryDirectory("logstore") { dir in
            let options = testOptions(segmentBytes: 4096)
            let events = Sample.events(count: 40)
            var chain = RecordChain()
            let (store, _) = try LogStore.openInTest(directory: dir.path, options: options)
            try chain.appendEach(events, to: store)
            let segments = try store.segments()
            #expect(segments.count >= 3, "40 records of a few hundred bytes need several 4 KiB segments")
            #expect(segments.first?.firstSeq == 1)
            #expect(store.head.segment == segments.last?.firstSeq)
            // Sealed segments hold only whole records and are no longer than a segment.
            for segment in segments.dropLast() {
                let size = RawFile.size(segment.path)
                #expect(size <= 4096)
                let lines = RawFile.lines(segment.path)
                #expect(RawFile.read(segment.path).last == 0x0A)
                let first = lines.first.flatMap { $0.withUnsafeBytes { RecordCodec.leadingSeq($0) } }
                #expect(first == segment.firstSeq, "a segment is named for its first record")
            }
            let head = store.head
            #expect(try Self.readAll(dir.path, through: head).map(\.event) == events, "read while open")
            store.close()

            let (reopened, report) = try LogStore.openInTest(directory: dir.path, options: options)
            #expect(report.head == head)
            #expect(report.segments == segments.count)
            // Reading from a seq in a later segment starts in the right file.
            let later = segments[segments.count - 1].firstSeq
            #expect(try LogReader(directory: dir.path).records(from: later, limit: 2).first?.seq == later)
            #expect(try LogReader(directory: dir.path).records(from: 1, limit: .max).map(\.seq) == Array(1...40))
            // The chain continues across the reopen, into further segments.
            try chain.appendEach(Sample.events(count: 45).suffix(5), to: reopened)
            reopened.close()
            #expect(try Self.readAll(dir.path).count == 45)
            #expect(LogVerifier.verify(directory: dir.path).ok)
            #expect(LogVerifier.verify(directory: dir.path).headSeq == 45)
        }
    }

    @Test("A batch larger than a segment is written whole, in a segment of its own size")
    func oversizedBatch() throws {
        try withTemporaryDirectory("logstore") { dir in
            let options = testOptions(segmentBytes: 1024)
            let events = Sample.events(count: 20)
            var chain = RecordChain()
            let (store, _) = try LogStore.openInTest(directory: dir.path, options: options)
            try chain.append(Array(events[..<8]), to: store)      // into the empty first segment
            try chain.append(Array(events[8...]), to: store)      // rotates into a large second segment
            let segments = try store.segments()
            #expect(segments.map(\.firstSeq) == [1, 9])
            store.close()
            #expect(try Self.readAll(dir.path).map(\.event) == events)
            let (again, report) = try LogStore.openInTest(directory: dir.path, options: options)
            defer { again.close() }
            #expect(report.head.seq == 20)
            #expect(report.cutBytes == 0)
        }
    }

    // MARK: The lock

    @Test("A second open of the same store while the first is open fails with conflict; after close it succeeds")
    func secondOpenConflicts() throws {
        try withTemporaryDirectory("logstore") { dir in
            let (store, _) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            var chain = RecordChain()
            try chain.appendEach(Sample.events(count: 10), to: store)
            let error = trackerError { _ = try LogStore.openInTest(directory: dir.path, options: testOptions()) }
            #expect(error?.code == .conflict)
            #expect(error?.message.contains("another trackerd (pid \(getpid())) is already using the store \(dir.path)") == true, "\(error?.message ?? "")")
            // The failed open changed nothing: the first store still appends.
            try chain.appendEach(Sample.events(count: 11).suffix(1), to: store)
            store.close()
            let (again, report) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            defer { again.close() }
            #expect(report.head.seq == 11)
        }
    }

    // MARK: Recovery

    @Test("A torn last record after close is cut, reported, quarantined, and the head is the last whole record")
    func tornTailAfterClose() throws {
        try withTemporaryDirectory("logstore") { dir in
            let events = Sample.events(count: 11)
            var chain = try writeClosedStore(dir.path, events: Array(events[..<10]))
            let headHash = chain.prev
            let sizeBefore = RawFile.size(segmentPath(dir.path))
            // Half of a valid record 11, without its newline.
            var next = chain
            let line = next.encode([events[10]])
            let half = Array(line[..<(line.count / 2)])
            RawFile.append(segmentPath(dir.path), half)

            let (store, report) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            #expect(report.head.seq == 10)
            #expect(report.head.hash == headHash)
            #expect(report.head.offset == Int64(sizeBefore))
            #expect(store.head == report.head)
            #expect(report.cutBytes == half.count)
            #expect(report.cutDescriptions.count == 1)
            let description = report.cutDescriptions.first ?? ""
            #expect(description.contains("record 11") || description.contains("seq 11"), "names the record: \(description)")
            #expect(description.contains("(\(half.count) bytes at byte \(sizeBefore) of \(segmentPath(dir.path))"), "\(description)")
            #expect(description.hasSuffix("never acknowledged"))
            let quarantine = try #require(report.quarantineFile)
            #expect(quarantine.hasPrefix(dir.path + "/quarantine/"))
            #expect(RawFile.read(quarantine) == half, "the cut bytes are kept")
            // The whole record can now be appended in its place.
            try chain.append([events[10]], to: store)
            store.close()
            #expect(try Self.readAll(dir.path).map(\.event) == events)
            #expect(RawFile.size(segmentPath(dir.path)) == sizeBefore + line.count)
            #expect(LogVerifier.verify(directory: dir.path).ok)
        }
    }

    @Test("A torn record in the preallocated space of a store that was not closed is cut")
    func tornTailInPreallocatedSpace() throws {
        try withTemporaryDirectory("logstore") { dir in
            let original = dir.appending("original")
            let crashed = dir.appending("crashed")
            let options = testOptions(segmentBytes: 8192)
            let events = Sample.events(count: 4)
            var chain = RecordChain()
            let (store, _) = try LogStore.openInTest(directory: original, options: options)
            try chain.appendEach(Array(events[..<3]), to: store)
            let head = store.head
            // A copy taken while the store is open looks like a crash: the segment is padded with zeros.
            try FileManager.default.copyItem(atPath: original, toPath: crashed)
            store.close()
            #expect(RawFile.size(segmentPath(crashed)) == 8192)
            var next = chain
            let line = next.encode([events[3]])
            let partial = Array(line[..<(line.count - 40)])
            RawFile.pwrite(segmentPath(crashed), partial, at: head.offset)

            let (recovered, report) = try LogStore.openInTest(directory: crashed, options: options)
            defer { recovered.close() }
            #expect(report.head == head)
            #expect(report.cutBytes == partial.count)
            #expect(report.cutDescriptions.count == 1)
            let description = report.cutDescriptions.first ?? ""
            #expect(description.contains("record 4") || description.contains("seq 4"), "names the record: \(description)")
            #expect(description.contains("(\(partial.count) bytes at byte \(head.offset) of "), "\(description)")
            #expect(report.quarantineFile.map(RawFile.read) == partial)
            #expect(RawFile.read(segmentPath(crashed))[Int(head.offset)...].allSatisfy { $0 == 0 }, "the torn bytes are wiped")
            try chain.append([events[3]], to: recovered)
            #expect(recovered.head.seq == 4)
        }
    }

    @Test("A padded store that was not closed reopens at its last record with nothing cut")
    func paddedButWhole() throws {
        try withTemporaryDirectory("logstore") { dir in
            let original = dir.appending("original")
            let crashed = dir.appending("crashed")
            let (store, _) = try LogStore.openInTest(directory: original, options: testOptions(segmentBytes: 8192))
            var chain = RecordChain()
            try chain.appendEach(Sample.events(count: 5), to: store)
            let head = store.head
            try FileManager.default.copyItem(atPath: original, toPath: crashed)
            store.close()
            let (reopened, report) = try LogStore.openInTest(directory: crashed, options: testOptions(segmentBytes: 8192))
            defer { reopened.close() }
            #expect(report.head == head)
            #expect(report.cutBytes == 0)
            #expect(Self.quarantineFiles(crashed).isEmpty)
        }
    }

    @Test("A damaged last record is cut as a torn write, not refused")
    func damagedLastRecord() throws {
        try withTemporaryDirectory("logstore") { dir in
            let chain = try writeClosedStore(dir.path, events: Sample.events(count: 3))
            let lines = RawFile.lines(segmentPath(dir.path))
            let lastStart = lines[0].count + lines[1].count + 2
            let position = lastStart + lines[2].count / 2
            let original = lines[2][lines[2].count / 2]
            RawFile.pwrite(segmentPath(dir.path), [original == 0x41 ? 0x42 : 0x41], at: Int64(position))
            let (store, report) = try LogStore.openInTest(directory: dir.path, options: testOptions())
            defer { store.close() }
            #expect(report.head.seq == 2)
            #expect(report.head.hash == chain.hashes[1])
            #expect(report.cutBytes == lines[2].count + 1)
            #expect(report.cutDescriptions.count == 1)
            #expect(report.cutDescriptions.first?.contains("record 3") == true, "\(report.cutDescriptions)")
        }
    }

    @Test("Corruption before the tail refuses to open with corrupt, naming the record")
    func corruptionBeforeTail() throws {
        try withTemporaryDirectory("logstore") { dir in
            try writeClosedStore(dir.path, events: Sample.events(count: 3))
            let path = segmentPath(dir.path)
            let lines = RawFile.lines(path)
            let middleStart = lines[0].count + 1
            let position = middleStart + lines[1].count / 2
            let original = lines[1][lines[1].count / 2]
            RawFile.pwrite(path, [original == 0x41 ? 0x42 : 0x41], at: Int64(position))
            let before = RawFile.read(path)

            let error = trackerError { _ = try LogStore.openInTest(directory: dir.path, options: testOptions()) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.hasPrefix("record 2 has been changed: its hash does not match its bytes (byte \(middleStart) of \(path)), and whole records follow") == true,
                    "\(error?.message ?? "no error")")
            #expect(RawFile.read(path) == before, "nothing is cut or changed")
            #expect(Self.quarantineFiles(dir.path).isEmpty)
            // The lock was released: the store can be opened again (and still refuses).
            #expect(trackerError { _ = try LogStore.openInTest(directory: dir.path, options: testOptions()) }?.code == .corrupt)
        }
    }

    @Test("A record removed from the middle of the last segment refuses to open, naming the missing record")
    func missingRecordBeforeTail() throws {
        try withTemporaryDirectory("logstore") { dir in
            try writeClosedStore(dir.path, events: Sample.events(count: 5))
            var lines = RawFile.lines(segmentPath(dir.path))
            lines.remove(at: 2)
            RawFile.writeLines(segmentPath(dir.path), lines)
            let error = trackerError { _ = try LogStore.openInTest(directory: dir.path, options: testOptions()) }
            #expect(error?.code == .corrupt)
            // Record 4 is intact; what is wrong is that record 3 is gone.
            #expect(error?.message.contains("record 3") == true, "\(error?.message ?? "no error")")
        }
    }

    @Test("With a single segment left that does not start at seq 1, open refuses")
    func onlyLaterSegmentLeft() throws {
        try withTemporaryDirectory("logstore") { dir in
            let options = testOptions(segmentBytes: 4096)
            try writeClosedStore(dir.path, events: Sample.events(count: 12), options: options)
            let segments = try SegmentFile.list(in: dir.path + "/log")
            #expect(segments.count == 2)
            try FileManager.default.removeItem(atPath: segments[0].path)
            let error = trackerError { _ = try LogStore.openInTest(directory: dir.path, options: options) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("but seq 1 comes next: records 1–") == true, "\(error?.message ?? "no error")")
            #expect(error?.message.contains("are missing (a segment was removed)") == true)
        }
    }

    @Test("A missing first segment refuses to open, however many segments follow")
    func missingFirstSegment() throws {
        try withTemporaryDirectory("logstore") { dir in
            let options = testOptions(segmentBytes: 4096)
            try writeClosedStore(dir.path, events: Sample.events(count: 30), options: options)
            let segments = try SegmentFile.list(in: dir.path + "/log")
            #expect(segments.count >= 3)
            try FileManager.default.removeItem(atPath: segments[0].path)
            #expect(LogVerifier.verify(directory: dir.path).ok == false, "verify sees the gap")
            let error = trackerError {
                let (store, _) = try LogStore.openInTest(directory: dir.path, options: options)
                store.close()
            }
            #expect(error?.code == .corrupt)
        }
    }

    @Test("With a short checked tail, a torn record is still cut and damage inside the checked tail still refuses")
    func shortCheckedTail() throws {
        var options = testOptions()
        options.tailRecordsChecked = 3
        try withTemporaryDirectory("logstore") { dir in
            let events = Sample.events(count: 21)
            var chain = try writeClosedStore(dir.path, events: Array(events[..<20]), options: options)
            var next = chain
            let line = next.encode([events[20]])
            RawFile.append(segmentPath(dir.path), Array(line[..<100]))
            let (store, report) = try LogStore.openInTest(directory: dir.path, options: options)
            #expect(report.head.seq == 20)
            #expect(report.head.hash == chain.prev)
            #expect(report.cutBytes == 100)
            try chain.append([events[20]], to: store)
            store.close()
            #expect(LogVerifier.verify(directory: dir.path).headSeq == 21)
        }
        try withTemporaryDirectory("logstore") { dir in
            try writeClosedStore(dir.path, events: Sample.events(count: 20), options: options)
            var lines = RawFile.lines(segmentPath(dir.path))
            lines[18][lines[18].count / 2] = lines[18][lines[18].count / 2] == 0x41 ? 0x42 : 0x41
            RawFile.writeLines(segmentPath(dir.path), lines)
            let error = trackerError { _ = try LogStore.openInTest(directory: dir.path, options: options) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.hasPrefix("record 19 has been changed: its hash does not match its bytes (byte ") == true, "\(error?.message ?? "no error")")
        }
    }

    @Test("A crash during rotation is recovered: an empty next segment is reused, a padded sealed one is trimmed")
    func crashDuringRotation() throws {
        let options = testOptions(segmentBytes: 4096)
        try withTemporaryDirectory("logstore") { dir in
            let events = Sample.events(count: 13)
            var chain = try writeClosedStore(dir.path, events: Array(events[..<12]), options: options)
            let segments = try SegmentFile.list(in: dir.path + "/log")
            let last = try #require(segments.last)
            let sealedSize = RawFile.size(last.path)
            // The sealed segment got its padding back, and the next segment exists but holds only zeros.
            RawFile.append(last.path, [UInt8](repeating: 0, count: 1000))
            let nextPath = segmentPath(dir.path, firstSeq: 13)
            RawFile.write(nextPath, [UInt8](repeating: 0, count: 4096))

            let (store, report) = try LogStore.openInTest(directory: dir.path, options: options)
            #expect(report.head.seq == 12)
            #expect(report.head.segment == 13)
            #expect(report.head.offset == 0)
            #expect(report.cutBytes == 0)
            #expect(report.remarks == ["trimmed 1000 bytes of preallocated space from sealed segment \(last.path)"])
            #expect(RawFile.size(last.path) == sealedSize)
            try chain.append([events[12]], to: store)
            store.close()
            #expect(try LogReader(directory: dir.path).records(from: 1, limit: .max).map(\.event) == events)
            #expect(LogVerifier.verify(directory: dir.path).ok)
        }
    }

    // MARK: The stopped store

    @Test("Closing trims the active segment so a stopped store is plain NDJSON")
    func closedStoreIsNDJSON() throws {
        try withTemporaryDirectory("logstore") { dir in
            let options = testOptions(segmentBytes: 4096)
            let (store, _) = try LogStore.openInTest(directory: dir.path, options: options)
            var chain = RecordChain()
            try chain.appendEach(Sample.events(count: 25), to: store)
            let head = store.head
            #expect(RawFile.size(segmentPath(dir.path, firstSeq: head.segment)) == 4096, "preallocated while open")
            store.close()
            var count = 0
            for segment in try SegmentFile.list(in: dir.path + "/log") {
                let bytes = RawFile.read(segment.path)
                #expect(!bytes.contains(0), "no padding left in \(segment.path)")
                #expect(bytes.last == 0x0A)
                for line in RawFile.lines(segment.path) {
                    let value = try JSONParser().parse(line)
                    guard case .object(let object) = value else {
                        Issue.record("a line is not an object")
                        continue
                    }
                    #expect(object.keys == ["seq", "time", "actor", "type", "v", "body", "prev", "hash"])
                    count += 1
                    #expect(object["seq"] == .int(Int64(count)))
                }
            }
            #expect(count == 25)
            #expect(RawFile.size(segmentPath(dir.path, firstSeq: head.segment)) == Int(head.offset))
        }
    }

    @Test("A record line is the documented layout, and its hash covers prev and the bytes before the hash field")
    func recordLayout() throws {
        var buffer: [UInt8] = []
        let event = Event.agencyRegistered(AgencyRegistered(id: Sample.bdt, name: "Ban Dân tộc"))
        let prev = SHA256.hash(Array("x".utf8))
        let hash = RecordCodec.encode(seq: 7, time: Sample.time, actor: Sample.actor, event: event, prev: prev, into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text == #"{"seq":7,"time":"2023-11-30T05:00:00.000000Z","actor":{"uid":1000,"name":"ketoan"},"type":"agency.registered","v":2,"body":{"id":"BDT","name":"Ban Dân tộc"},"prev":""#
                + prev.hex + #"","hash":""# + hash.hex + "\"}\n")
        let beforeHash = Array(buffer[..<(buffer.count - 1 - RecordCodec.hashTailCount)])
        #expect(SHA256.hash(Array(prev.hex.utf8) + beforeHash) == hash)
        let record = try Array(buffer.dropLast()).withBytes { (raw) throws(TrackerError) in try RecordCodec.decode(raw) }
        #expect(record == Record(seq: 7, time: Sample.time, actor: Sample.actor, event: event, prev: prev, hash: hash))
    }

    @Test("Every sample event survives the record codec")
    func codecRoundTrip() throws {
        var chain = RecordChain()
        let events = Sample.events(count: 20) + [
            .disbursementReversed(DisbursementReversed(ref: Make.ref("UNC-1"), task: Sample.task1, decision: Sample.decision, amount: Make.triệu(1),
                                                       date: Sample.today, reason: "nhầm")),
            .taskStatusChanged(TaskStatusChanged(task: Sample.task1, from: .completed, to: .inProgress, date: Sample.today, reason: "sửa", correction: true)),
            .taskAdded(TaskAdded(id: Sample.task1, name: "T", objective: "O", period: Make.years(2023, 2025), total: Make.triệu(174),
                                 yearly: [YearAmount(year: 2023, amount: Make.triệu(78))], source: .investment, unit: "U", due: Sample.today, note: "N")),
            .planCreated(PlanCreated(id: Sample.plan, agency: Sample.bdt, title: "T", issued: Sample.today, period: Make.years(2021, 2025), note: "n")),
        ]
        let bytes = chain.encode(events)
        var decoded: [Event] = []
        for line in bytes.split(separator: 0x0A) {
            let record = try Array(line).withBytes { (raw) throws(TrackerError) in try RecordCodec.decode(raw) }
            decoded.append(record.event)
        }
        #expect(decoded == events)
    }

    @Test("The codec refuses a line whose hash does not match, or that is not a record")
    func codecRefusals() throws {
        var chain = RecordChain()
        var line = chain.encode([Sample.events(count: 10)[0]])
        line.removeLast()
        if let index = line.firstIndex(of: UInt8(ascii: "B")) { line[index] = UInt8(ascii: "C") }
        let changed = trackerError { _ = try line.withBytes { (raw) throws(TrackerError) in try RecordCodec.decode(raw) } }
        #expect(changed?.code == .corrupt)
        #expect(changed?.message == "record 1: its hash does not match its bytes")
        let junk = trackerError { _ = try Array("{\"seq\":1}".utf8).withBytes { (raw) throws(TrackerError) in try RecordCodec.decode(raw) } }
        #expect(junk?.message == "the line is not a complete record")
    }
}
