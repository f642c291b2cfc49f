import Events
import Projections
import Testing

/// The typed answers travel as JSON: what trackerd writes, trackctl reads back as the same value.
@Suite struct AnswerTests {
    /// `answer` written into a success line, parsed as trackctl parses it, and read back by `read`.
    func roundTrip<A: Equatable>(_ answer: A, encode: (A, inout JSONWriter) -> Void, read: (JSONObject) throws(TrackerError) -> A) throws -> A {
        let line = Wire.success(id: .int(3)) { w in encode(answer, &w) }
        let response = try Wire.Response.parse(Array(line.dropLast()))
        return try read(try #require(response.result))
    }

    static let hash = SHA256Digest(hex: String(repeating: "ab", count: 32))!
    static let clock = ClockReading(today: BusinessDate(year: 2023, month: 11, day: 30)!, simulated: true)

    @Test("A command's answer reads back whole: a retry whose note differs, and a disbursement's line")
    func commandAnswer() throws {
        let answers = [
            CommandAnswer(recorded: true, seq: 60, lastSeq: 62, events: ["funds.allocated", "task.status_changed"], message: "recorded QĐ 1"),
            CommandAnswer(recorded: false, seq: 7, lastSeq: 7, events: [], message: "already: recorded \"a\", this request none",
                          noteNotRecorded: UnrecordedNote(recordedNote: "a", givenNote: nil),
                          line: .init(decision: "569/QĐ-UBND", task: "860/KH-BDT#1", year: 2023, allocated: Money(dong: 100_000_000),
                                      disbursed: Money(dong: 3_402_000), remaining: Money(dong: 96_598_000))),
            CommandAnswer(recorded: false, seq: 8, lastSeq: 8, events: [], message: "x", noteNotRecorded: UnrecordedNote(recordedNote: nil, givenNote: "b")),
        ]
        for answer in answers {
            #expect(try roundTrip(answer, encode: { $0.encode(to: &$1) }, read: CommandAnswer.init(result:)) == answer)
        }
    }

    @Test("A command's answer keeps its members and their order on the wire")
    func commandAnswerBytes() {
        let answer = CommandAnswer(recorded: true, seq: 6, lastSeq: 6, events: ["disbursement.recorded"], message: "m",
                                   line: .init(decision: "D", task: "T#1", year: 2023, allocated: Money(dong: 4), disbursed: Money(dong: 1), remaining: Money(dong: 3)))
        var w = JSONWriter()
        w.beginObject()
        answer.encode(to: &w)
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self)
                == #"{"recorded":true,"seq":6,"last_seq":6,"events":["disbursement.recorded"],"message":"m","line":{"decision":"D","task":"T#1","year":2023,"allocated":4,"disbursed":1,"remaining":3,"rate_allocated":25}}"#)
    }

    @Test("An import's answer reads back whole, with the payments whose note was not recorded")
    func importAnswer() throws {
        let answers = [
            ImportAnswer(commands: 3, recorded: 0, unchanged: 3, records: nil),
            ImportAnswer(commands: 5, recorded: 4, unchanged: 1, records: 10...19,
                         notesNotRecorded: [.init(index: 4, ref: "UNC-1", seq: 3, note: UnrecordedNote(recordedNote: nil, givenNote: "khác"))]),
        ]
        for answer in answers {
            #expect(try roundTrip(answer, encode: { $0.encode(to: &$1) }, read: ImportAnswer.init(result:)) == answer)
        }
    }

    @Test("hello, head and backup answers read back whole")
    func storeAnswers() throws {
        let head = LogHead(seq: 42, hash: Self.hash)
        let hellos = [HelloAnswer(store: "/var/lib/tracker", head: head, clock: Self.clock),
                      HelloAnswer(store: "/s", head: head, clock: Self.clock, writesSuspended: "fdatasync failed")]
        for hello in hellos {
            #expect(try roundTrip(hello, encode: { $0.encode(to: &$1) }, read: HelloAnswer.init(result:)) == hello)
        }
        let answer = HeadAnswer(head: head, clock: Self.clock)
        #expect(try roundTrip(answer, encode: { $0.encode(to: &$1) }, read: HeadAnswer.init(result:)) == answer)
        let backup = BackupAnswer(directory: "/b", segments: 2, bytes: 1234, head: head, seconds: 0.25)
        #expect(try roundTrip(backup, encode: { $0.encode(to: &$1) }, read: BackupAnswer.init(result:)) == backup)
    }

    @Test("hello names its protocol, read before anything else; a hello of another shape still says it")
    func helloProtocol() throws {
        let line = #"{"id":1,"ok":true,"result":{"protocol":9,"something":"else"}}"#
        let result = try #require(try Wire.Response.parse(Array(line.utf8)).result)
        #expect(HelloAnswer.protocolVersion(of: result) == 9)
        #expect(throws: TrackerError.self) { try HelloAnswer(result: result) }
        #expect(HelloAnswer.protocolVersion(of: JSONObject()) == nil)
    }
}
