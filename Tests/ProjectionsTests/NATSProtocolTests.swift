import Events
import Projections
import Testing

/// The NATS client protocol's framing, as the daemon reads and writes it (docs.nats.io, "Client
/// Protocol"), and JetStream's replies.
@Suite("NATS protocol: frames read in any pieces, commands written exactly")
struct NATSProtocolTests {
    /// Feeds `text` to a parser in pieces of `size` bytes and returns every frame.
    func frames(_ text: [UInt8], pieces size: Int) throws -> [NATSFrame] {
        var parser = NATSParser()
        var found: [NATSFrame] = []
        var index = 0
        while index < text.count {
            parser.append(Array(text[index..<min(text.count, index + size)]))
            index += size
            while let frame = try parser.next() { found.append(frame) }
        }
        return found
    }

    @Test("INFO, MSG, HMSG with headers and status, PING, PONG, +OK and -ERR are read whatever pieces the bytes come in")
    func readsFrames() throws {
        let bytes = Array("INFO {\"server_id\":\"X\",\"max_payload\":1048576}\r\nPING\r\nMSG a.b 1 5\r\nhello\r\n+OK\r\n".utf8)
            + Array("HMSG _INBOX.x.1 1 30 32\r\nNATS/1.0\r\nNats-Msg-Id: s:1\r\n\r\n{}\r\n".utf8)
            + Array("HMSG _INBOX.x.2 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\nPONG\r\n-ERR 'Authorization Violation'\r\n".utf8)
        for size in [1, 2, 7, 64, bytes.count] {
            let found = try frames(bytes, pieces: size)
            #expect(found.count == 8)
            guard found.count == 8 else { continue }
            if case .info(let info) = found[0] { #expect(info["max_payload"] == .int(1048576)) } else { Issue.record("not INFO: \(found[0])") }
            #expect(found[1] == .ping)
            #expect(found[2] == .message(NATSMessage(subject: "a.b", sid: "1", payload: Array("hello".utf8))))
            #expect(found[3] == .ok)
            guard case .message(let headered) = found[4], case .message(let status) = found[5] else {
                Issue.record("not messages: \(found[4]) \(found[5])")
                continue
            }
            #expect(headered.headers?["Nats-Msg-Id"] == "s:1")
            #expect(headered.payload == Array("{}".utf8))
            #expect(status.headers?.status == 503 && status.payload.isEmpty)
            #expect(found[6] == .pong)
            #expect(found[7] == .error("Authorization Violation"))
        }
    }

    @Test("a payload that does not end where its size says, a huge size or a control line without end are errors, never a crash")
    func refusesMalformed() {
        #expect(throws: NATSParser.ParseError.self) { try frames(Array("MSG a 1 3\r\nhello\r\n".utf8), pieces: 100) }
        #expect(throws: NATSParser.ParseError.self) { try frames(Array("MSG a 1 99999999999\r\n".utf8), pieces: 100) }
        #expect(throws: NATSParser.ParseError.self) { try frames(Array("HMSG a 1 9 3\r\nNATS/1.0\r\n\r\n".utf8), pieces: 100) }
        #expect(throws: NATSParser.ParseError.self) { try frames([UInt8](repeating: 0x41, count: 5000), pieces: 100) }
        #expect(throws: NATSParser.ParseError.self) { try frames(Array("HELLO\r\n".utf8), pieces: 100) }
        #expect(throws: NATSParser.ParseError.self) { try frames(Array("HMSG a 1 14 14\r\nNATS/1.0\r\nxx\r\n\r\n".utf8), pieces: 100) }
        #expect(throws: NATSParser.ParseError.self) { try frames(Array("HMSG a 1 10 10\r\nNATS/2.0\r\n\r\n".utf8), pieces: 100) }
    }

    @Test("verbs in any case are read, and consecutive messages keep each its own subject")
    func readsVerbsAndSubjects() throws {
        let bytes = Array("ping\r\nmsg a.b 1 1\r\nx\r\nMSG a.b 1 1\r\ny\r\nMSG a.c 2 r.1 1\r\nz\r\nPong\r\n".utf8)
        for size in [1, 5, bytes.count] {
            #expect(try frames(bytes, pieces: size) == [.ping, .message(NATSMessage(subject: "a.b", sid: "1", payload: [0x78])),
                                                         .message(NATSMessage(subject: "a.b", sid: "1", payload: [0x79])),
                                                         .message(NATSMessage(subject: "a.c", sid: "2", replyTo: "r.1", payload: [0x7A])), .pong])
        }
    }

    @Test("HPUB carries the header block and the payload with their exact sizes; CONNECT carries the credentials")
    func writesCommands() throws {
        let headers = NATSHeaders(fields: [("Nats-Msg-Id", "abc:7"), ("Nats-Expected-Last-Subject-Sequence", "12")])
        let command = NATSCommand.publish("tracker.QNG.abc", replyTo: "_INBOX.r.1", headers: headers, payload: Array("{\"x\":1}".utf8))
        let block = "NATS/1.0\r\nNats-Msg-Id: abc:7\r\nNats-Expected-Last-Subject-Sequence: 12\r\n\r\n"
        #expect(String(decoding: command, as: UTF8.self) == "HPUB tracker.QNG.abc _INBOX.r.1 \(block.utf8.count) \(block.utf8.count + 7)\r\n\(block){\"x\":1}\r\n")
        #expect(String(decoding: NATSCommand.publish("a", replyTo: nil, headers: nil, payload: [0x31]), as: UTF8.self) == "PUB a 1\r\n1\r\n")
        let connect = String(decoding: NATSCommand.connect(name: "t", user: "u", password: "p w", token: nil), as: UTF8.self)
        #expect(connect.hasPrefix("CONNECT {") && connect.hasSuffix("}\r\n"))
        #expect(connect.contains("\"user\":\"u\"") && connect.contains("\"pass\":\"p w\"") && connect.contains("\"headers\":true"))
        // What the daemon writes, its own parser reads back (as the server would deliver it).
        let delivered = Array("HMSG tracker.QNG.abc 9 \(block.utf8.count) \(block.utf8.count + 7)\r\n\(block){\"x\":1}\r\n".utf8)
        guard case .message(let message)? = try frames(delivered, pieces: 3).first else { Issue.record("not read back"); return }
        #expect(message.headers == headers)
        #expect(NATSCommand.isValidSubject("tracker.QNG.abc"))
        #expect(!NATSCommand.isValidSubject("tracker.*.abc") && !NATSCommand.isValidSubject("a..b") && !NATSCommand.isValidSubject("a b"))
    }

    @Test("JetStream acknowledgements, duplicates, wrong-sequence refusals and stored messages are read as JetStream writes them")
    func readsJetStreamReplies() throws {
        #expect(try JetStreamReply.ack(Array("{\"stream\":\"T\",\"seq\":12}".utf8)) == JetStreamReply.Ack(stream: "T", seq: 12, duplicate: false))
        #expect(try JetStreamReply.ack(Array("{\"stream\":\"T\",\"seq\":12,\"duplicate\":true}".utf8)).duplicate)
        do {
            _ = try JetStreamReply.ack(Array("{\"error\":{\"code\":400,\"err_code\":10071,\"description\":\"wrong last sequence: 11\"},\"stream\":\"T\"}".utf8))
            Issue.record("a refusal read as an acknowledgement")
        } catch let error as JetStreamReply.APIError {
            #expect(error.isWrongLastSequence && error.description == "wrong last sequence: 11")
        }
        // {"message":{"subject":"s","seq":3,"hdrs":base64("NATS/1.0\r\nNats-Msg-Id: a:1\r\n\r\n"),"data":base64("{}")}}
        let stored = try JetStreamReply.storedMessage(Array("{\"message\":{\"subject\":\"s\",\"seq\":3,\"hdrs\":\"TkFUUy8xLjANCk5hdHMtTXNnLUlkOiBhOjENCg0K\",\"data\":\"e30=\",\"time\":\"2026-01-01T00:00:00Z\"}}".utf8))
        #expect(stored.seq == 3 && stored.headers?["Nats-Msg-Id"] == "a:1" && stored.data == Array("{}".utf8))
    }

    @Test("a log envelope is read back with the record's bytes exactly as written, whatever they hold")
    func envelopes() throws {
        let record = Array(#"{"seq":7,"time":"2026-01-01T00:00:00.000000Z","body":{"note":"a \"quoted\" \\ ,\"record\": x"},"hash":"00"}"#.utf8)
        let envelope = record.withUnsafeBytes { LogEnvelope.encoded(store: "abc", seq: 7, record: $0) }
        #expect(try LogEnvelope.read(envelope) == .record(LogEnvelope(store: "abc", seq: 7, record: record)))
        var w = JSONWriter()
        record.withUnsafeBytes { LogEnvelope.streamLine(id: .string("x,\"record\":{}"), store: "abc", seq: 7, record: $0, into: &w) }
        #expect(try LogEnvelope.read(Array(w.bytes.dropLast())) == .record(LogEnvelope(store: "abc", seq: 7, record: record)))
        #expect(try LogEnvelope.read(Array(#"{"id":1,"stream":"log","next":40}"#.utf8)) == .next(40))
        #expect(throws: TrackerError.self) { try LogEnvelope.read(Array(#"{"store":"abc","seq":7,"record":[1]}"#.utf8)) }
        #expect(throws: TrackerError.self) { try LogEnvelope.read(Array(#"{"store":"abc","seq":0,"record":{}}"#.utf8)) }
    }
}
