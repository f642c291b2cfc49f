import Events
import Foundation
import Glibc
import Testing

/// Every limit on the socket is configurable and answered with a clear error, never a crash.
@Suite("Limits on the socket", .serialized)
struct LimitTests {
    func code(_ response: JSONObject?) -> JSONValue? { response?["error", "code"] }

    @Test("a request line over the limit is answered too_large, and the connection goes on")
    func lineSize() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "[limits]\nmax_line_bytes = 1024\n")
        let client = try #require(LineClient(socket: daemon.socket))
        let long = #"{"id":1,"op":"status","search":""# + String(repeating: "x", count: 5000) + #""}"#
        #expect(code(client.call(long)) == .string("too_large"))
        #expect(client.call(#"{"id":2,"op":"hello"}"#)?["ok"] == .bool(true))
    }

    @Test("one connection over the limit is answered busy and closed")
    func connections() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "[limits]\nmax_connections = 3\n")
        var open: [LineClient] = []
        for _ in 0..<3 {
            let client = try #require(LineClient(socket: daemon.socket))
            #expect(client.call(#"{"id":1,"op":"hello"}"#)?["ok"] == .bool(true))
            open.append(client)
        }
        let extra = try #require(LineClient(socket: daemon.socket))
        let line = try #require(extra.readLine())
        guard case .object(let answer) = try JSONParser().parse(line) else { Issue.record("not JSON"); return }
        #expect(answer["error", "code"] == .string("busy"))
        #expect(extra.readLine() == nil, "the extra connection is closed")
        // A slot given back is served again, once the daemon has seen the close (until then a new
        // connection is still answered busy).
        open.removeLast()
        waitUntil("a connection to be served after one of the three closed") {
            LineClient(socket: daemon.socket)?.call(#"{"id":1,"op":"hello"}"#)?["ok"] == .bool(true)
        }
    }

    @Test("an idle connection is answered timeout and closed")
    func idle() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "[limits]\nidle_timeout_seconds = 1\n")
        let client = try #require(LineClient(socket: daemon.socket))
        let line = try #require(client.readLine())
        guard case .object(let answer) = try JSONParser().parse(line) else { Issue.record("not JSON"); return }
        #expect(answer["error", "code"] == .string("timeout"))
        #expect(client.readLine() == nil)
    }

    @Test("a client that never reads cannot stall the writer or other clients")
    func slowClient() throws {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData],
                                        configuration: TrackerProcess.testConfiguration + "[checkpoints]\n[limits]\nsend_timeout_seconds = 2\n")
        // A client floods requests for large answers and reads none of them.
        let slow = try #require(LineClient(socket: daemon.socket))
        let request = Array(#"{"id":1,"op":"log","limit":100000}"#.utf8) + [0x0A]
        let flood = Thread {
            for _ in 0..<2000 where slow.send(request) {}
        }
        flood.start()
        waitUntil("the daemon to answer the client that does not read") { slow.hasUnreadBytes }
        // Others are served, and writes go through, while it sits there.
        for n in 1...20 {
            let other = try #require(LineClient(socket: daemon.socket, timeout: 10))
            let answer = other.call(#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":1000,"date":"2023-12-01","ref":"S-\#(n)"}"#)
            #expect(answer?["ok"] == .bool(true))
        }
        #expect(try daemon.json("status", "--as-of", "2023-12-31")["total", "disbursed"] == .int(8_046_000 + 20_000))
    }

    @Test("absurd values and wrong types are refused with a code, never a crash", arguments: [
        (#"{"id":1,"op":"status","year":0}"#, "invalid_argument"),
        (#"{"id":1,"op":"status","year":99999}"#, "invalid_argument"),
        (#"{"id":1,"op":"status","year":"2023"}"#, "bad_request"),
        (#"{"id":1,"op":"status","as_of":"0000-01-01"}"#, "invalid_argument"),
        (#"{"id":1,"op":"status","as_of":"99999-01-01"}"#, "invalid_argument"),
        (#"{"id":1,"op":"status","by":["line"]}"#, "bad_request"),
        (#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":9223372036854775808,"date":"2023-12-01","ref":"X"}"#, "invalid_argument"),
        (#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":-5,"date":"2023-12-01","ref":"X"}"#, "invalid_argument"),
        (#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":1.5,"date":"2023-12-01","ref":"X"}"#, "invalid_argument"),
        (#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":"99999999999 tỷ","date":"2023-12-01","ref":"X"}"#, "invalid_argument"),
        (#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":0,"date":"2023-12-01","ref":"X"}"#, "invalid_argument"),
        (#"{"id":1,"op":"disburse","task":"860/KH-BDT#999999","amount":1,"date":"2023-12-01","ref":"X"}"#, "not_found"),
        (#"{"id":1,"op":"disburse","task":true,"amount":1,"date":"2023-12-01","ref":"X"}"#, "bad_request"),
        (#"{"id":1,"op":"log","limit":100000000}"#, "invalid_argument"),
        (#"{"id":{"a":1},"op":"hello"}"#, "bad_request"),
        (#"{"id":1}"#, "bad_request"),
        (#"[1,2,3]"#, "bad_request"),
        (#"{"id":1,"op":"hello","op":"status"}"#, "bad_request"),
        (#"{"id":1,"op":"clock.set","now":"2023-12-01"}"#, "invalid_argument"),
        (#"{"id":1,"op":"backup","directory":"relative/dir"}"#, "invalid_argument"),
    ])
    func absurd(request: String, expected: String) throws {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData], configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        let client = try #require(LineClient(socket: daemon.socket))
        let answer = client.call(request)
        #expect(code(answer) == .string(expected), "\(request) → \(String(describing: answer))")
        #expect(client.call(#"{"id":2,"op":"hello"}"#)?["ok"] == .bool(true))
    }
}
