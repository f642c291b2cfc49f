import Testing
@testable import Events

/// The writer's pure batch step (`Books.step`), with no file and no thread: what each submission
/// comes to, the records and bytes of the batch, and taking a batch back.
@Suite("The batch step")
struct BatchStepTests {
    /// Books with the sample's setup (seqs 1–7), and the head after it.
    static func funded() -> (books: Books, head: (seq: UInt64, hash: SHA256Digest)) {
        var fold = BooksFold()
        try! fold.run(Sample.setupCommands())
        return (fold.books, (UInt64(fold.events.count), fold.hash))
    }

    static func submission(_ commands: Command...) -> Books.Submission {
        Books.Submission(commands: commands, actor: Sample.actor)
    }

    static func step(_ books: inout Books, _ submissions: [Books.Submission], after head: (seq: UInt64, hash: SHA256Digest),
                     buffer: inout [UInt8]) -> Books.Batch {
        books.step(submissions, after: head, time: Sample.time, context: Sample.context, into: &buffer)
    }

    @Test("a batch records its submissions in order, chained after the head, and the buffer holds exactly their lines")
    func recordsChainedAfterTheHead() throws {
        let (start, head) = Self.funded()
        var books = start
        var buffer: [UInt8] = []
        let batch = Self.step(&books, [Self.submission(Sample.disburse(Sample.task1, Make.triệu(10), ref: "B-1")),
                                       Self.submission(Sample.disburse(Sample.task2, Make.triệu(20), ref: "B-2"))],
                              after: head, buffer: &buffer)
        #expect(batch.records.map(\.seq) == [head.seq + 1, head.seq + 2])
        #expect(batch.records[0].prev == head.hash)
        #expect(batch.records[1].prev == batch.records[0].hash)
        #expect(batch.lastSeq == head.seq + 2 && batch.lastHash == batch.records[1].hash)
        var chain = RecordChain(seq: head.seq, prev: head.hash)
        #expect(buffer == chain.encode(batch.records.map(\.event)), "the same bytes the codec writes, record after record")
        for (index, line) in buffer.split(separator: 0x0A).enumerated() {
            let record = try Array(line).withUnsafeBytes { raw in try RecordCodec.decode(raw) }
            #expect(record == batch.records[index])
        }
        #expect(books.lastSeq == head.seq + 2)
    }

    @Test("a submission refused by one of its commands records nothing of it, and the others of the batch stand")
    func allOrNothingPerSubmission() throws {
        let (start, head) = Self.funded()
        var books = start
        var buffer: [UInt8] = []
        let batch = Self.step(&books, [Self.submission(Sample.disburse(Sample.task1, Make.triệu(10), ref: "A-1")),
                                       Self.submission(Sample.disburse(Sample.task2, Make.triệu(20), ref: "A-2"),
                                                       Sample.disburse(Sample.task3, Make.triệu(999), ref: "A-3")),
                                       Self.submission(Sample.disburse(Sample.task3, Make.triệu(30), ref: "A-4"))],
                              after: head, buffer: &buffer)
        guard case .success = batch.outcomes[0], case .failure(let error, let index) = batch.outcomes[1],
              case .success(let last) = batch.outcomes[2] else {
            Issue.record("unexpected outcomes: \(batch.outcomes)")
            return
        }
        #expect(error.code == .exceedsAllocation && index == 1)
        #expect(last[0].seqs == (head.seq + 2)...(head.seq + 2), "the refused submission used no seq")
        #expect(batch.records.map(\.event.type) == ["disbursement.recorded", "disbursement.recorded"])
        #expect(books.payment(Make.ref("A-2")) == nil, "the refused submission's first command was taken back")
        #expect(books.payment(Make.ref("A-4")) != nil)
        #expect(buffer.filter { $0 == 0x0A }.count == 2)
    }

    @Test("each submission is decided against the ones before it in the batch")
    func laterSubmissionsSeeEarlierOnes() {
        let (start, head) = Self.funded()
        var books = start
        var buffer: [UInt8] = []
        let batch = Self.step(&books, [Self.submission(Sample.disburse(Sample.task1, Make.triệu(60), ref: "S-1")),
                                       Self.submission(Sample.disburse(Sample.task1, Make.triệu(60), ref: "S-2")),
                                       Self.submission(Sample.disburse(Sample.task1, Make.triệu(60), ref: "S-1"))],
                              after: head, buffer: &buffer)
        guard case .failure(let error, let index) = batch.outcomes[1], case .success(let retry) = batch.outcomes[2] else {
            Issue.record("unexpected outcomes: \(batch.outcomes)")
            return
        }
        #expect(error.code == .exceedsAllocation && index == nil, "60 + 60 triệu is more than the 100 triệu allocated")
        #expect(!retry[0].recorded && retry[0].seqs == (head.seq + 1)...(head.seq + 1), "a retry in the same batch is answered with the first")
        #expect(batch.records.count == 1)
    }

    @Test("a disbursement, its retry and its reversal are answered with their allocation line as it stands after them")
    func answersCarryTheResolvedLine() {
        let (start, head) = Self.funded()
        var books = start
        var buffer: [UInt8] = []
        let batch = Self.step(&books, [Self.submission(Sample.disburse(Sample.task1, Make.triệu(10), ref: "L-1")),
                                       Self.submission(Sample.disburse(Sample.task1, Make.triệu(10), ref: "L-1")),
                                       Self.submission(.reverse(Reverse(ref: Make.ref("L-1"), reason: "nhập nhầm"))),
                                       Self.submission(Sample.registerBDT())],
                              after: head, buffer: &buffer)
        let lines = batch.outcomes.map { outcome -> Books.LineEntry? in
            guard case .success(let results) = outcome else { return nil }
            return results[0].line
        }
        #expect(lines[0]?.task == Sample.task1 && lines[0]?.disbursed == Make.triệu(10))
        #expect(lines[1]?.disbursed == Make.triệu(10), "the retry names the line too")
        #expect(lines[2]?.disbursed == .zero && lines[2]?.decision == Sample.decisionKey, "the line after the reversal")
        #expect(lines[3] == nil, "registering an agency has no line")
    }

    @Test("a batch taken back leaves the books as they were before it")
    func takeBackRestoresTheBooks() throws {
        let (start, head) = Self.funded()
        var books = start
        var buffer: [UInt8] = []
        let command = Sample.disburse(Sample.task2, Make.triệu(20), ref: "T-1")
        let batch = Self.step(&books, [Self.submission(command), Self.submission(.changeStatus(ChangeStatus(
            task: Sample.task3, to: .procuring, date: Make.date("2023-11-01"), reason: "mời thầu")))], after: head, buffer: &buffer)
        #expect(batch.records.count == 2)
        books.takeBack(batch, restoringSeq: head.seq)
        #expect(books.lastSeq == head.seq)
        #expect(books.payment(Make.ref("T-1")) == nil)
        #expect(books.tasks[Sample.task3]?.status == .funded)
        #expect(books.line(decision: Sample.decision, task: Sample.task2)?.disbursed == .zero)
        #expect(try books.decide(command, context: Sample.context) == .record(Array(batch.records[0...0].map(\.event))))
    }
}
