import Testing
@testable import Events

/// The short way replay and `verify` read a disbursement's body: the same event as JSON gives,
/// and nothing at all for a body not laid out as this build writes it.
@Suite struct CanonicalBodyTests {
    /// The body as JSON reading makes it, or nil where JSON reading refuses it.
    static func throughJSON(_ body: String, ids: inout IdentifierReader) -> DisbursementRecorded? {
        guard case .object(let object)? = try? JSONParser(maxDepth: 16).parse(Array(body.utf8)) else { return nil }
        return try? DisbursementRecorded(body: object, version: 1, ids: &ids)
    }

    static func canonical(_ body: [UInt8], ids: inout IdentifierReader) -> DisbursementRecorded? {
        body.withUnsafeBytes { DisbursementRecorded(canonical: $0, ids: &ids) }
    }

    static func written(_ event: DisbursementRecorded) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        event.encode(to: &writer)
        return writer.bytes
    }

    static let disbursements = [
        DisbursementRecorded(task: Sample.task1, decision: Sample.decision, amount: Make.triệu(20), date: Make.date("2023-12-15"), ref: Make.ref("UNC-1")),
        DisbursementRecorded(task: Sample.vpTask1, decision: Make.decision("12/QĐ-UBND"), amount: Money(dong: 0), date: Make.date("2023-01-01"),
                             ref: Make.ref("ỦNC-0045/2023")),
        DisbursementRecorded(task: Sample.task3, decision: Sample.decision, amount: Money(dong: 999_999_999_999_999_999), date: Make.date("2024-02-29"),
                             ref: Make.ref("B1")),
    ]

    @Test("A body as this build writes it reads back as the same event, trusted or checked")
    func canonicalBodiesMatchJSON() {
        for event in Self.disbursements {
            let body = Self.written(event)
            for trusted in [true, false] {
                var fast = trusted ? IdentifierReader.trusting : .validating
                var slow = trusted ? IdentifierReader.trusting : .validating
                let read = Self.canonical(body, ids: &fast)
                #expect(read != nil)
                #expect(read.map { Event.disbursementRecorded($0) } == Self.throughJSON(String(decoding: body, as: UTF8.self), ids: &slow).map { .disbursementRecorded($0) })
                #expect(read.map { Event.disbursementRecorded($0) } == .disbursementRecorded(event))
            }
        }
    }

    @Test("A body laid out otherwise is left to JSON reading, which accepts or refuses it")
    func otherLayoutsAreLeftToJSON() {
        let others = [
            #"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":20000000,"date":"2023-12-15","ref":"UNC-1","note":"tạm ứng"}"#,
            #"{"decision":"569/QĐ-UBND","task":"860/KH-BDT#1","amount":20000000,"date":"2023-12-15","ref":"UNC-1"}"#,
            #"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":20000000,"date":"2023-12-15","ref":"UNC\u002D1"}"#,
            #"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":020000000,"date":"2023-12-15","ref":"UNC-1"}"#,
            #"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":-5,"date":"2023-12-15","ref":"UNC-1"}"#,
            #"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":2.5,"date":"2023-12-15","ref":"UNC-1"}"#,
            #"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":2e6,"date":"2023-12-15","ref":"UNC-1"}"#,
            #"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":1234567890123456789,"date":"2023-12-15","ref":"UNC-1"}"#,
            #"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":20000000,"date":"15/12/2023","ref":"UNC-1"}"#,
            #"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":20000000,"date":"2023-02-30","ref":"UNC-1"}"#,
            #"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":20000000,"date":"2023-12-15","ref":"UNC-1"} "#,
            #"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":20000000,"date":"2023-12-15","ref":"UNC-1""#,
            #"{"task":"bad id","decision":"569/QĐ-UBND","amount":20000000,"date":"2023-12-15","ref":"UNC-1"}"#,
        ]
        for body in others {
            var ids = IdentifierReader.validating
            #expect(Self.canonical(Array(body.utf8), ids: &ids) == nil, "\(body)")
        }
        // Bytes that are not UTF-8, and a control character, in an otherwise canonical body.
        var broken = Array(#"{"task":"860/KH-BDT#1","decision":"569/QĐ-UBND","amount":1,"date":"2023-12-15","ref":"UNC-1"}"#.utf8)
        let refStart = broken.count - 7
        for bad: UInt8 in [0xFF, 0xC0, 0x0A] {
            broken[refStart] = bad
            var ids = IdentifierReader.trusting
            #expect(Self.canonical(broken, ids: &ids) == nil)
            #expect(Self.throughJSON(String(decoding: broken, as: UTF8.self), ids: &ids) == nil || bad == 0xFF || bad == 0xC0)
        }
    }

    @Test("A record line decodes to the same record whether its body is read the short way or as JSON")
    func recordLinesDecodeAlike() throws {
        for event in Self.disbursements {
            var buffer: [UInt8] = []
            _ = RecordCodec.encode(seq: 9, time: Sample.time, actor: Sample.actor, event: .disbursementRecorded(event), prev: .zero, into: &buffer)
            let line = Array(buffer.dropLast())
            let record = try line.withBytes { (raw) throws(TrackerError) in try RecordCodec.decode(raw) }
            #expect(record.event == .disbursementRecorded(event))
            #expect(record.seq == 9)
            #expect(record.actor == Sample.actor)
        }
    }
}
