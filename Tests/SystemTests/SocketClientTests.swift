import Events
import Foundation
import Glibc
import Testing

/// Clients nobody here wrote can use the socket: socat, and raw bytes.
@Suite("The socket speaks plain NDJSON to any client", .serialized)
struct SocketClientTests {
    @Test("socat sends one request line and gets a valid response with the same id")
    func socat() throws {
        let path = try #require(Binaries.tool("/usr/bin/socat", "/bin/socat", "/usr/local/bin/socat"), "socat is not installed (scripts/test installs it with apt-get)")
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData])
        let request = #"{"id":"q1","op":"status","as_of":"2023-11-30","by":"decision"}"# + "\n"
        let result = try runProgram(path, ["-t", "5", "-", "UNIX-CONNECT:\(daemon.socket)"], stdin: request)
        #expect(result.status == 0, "socat: \(result.stderr)")
        let line = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard case .object(let response) = try JSONParser().parse(line) else { Issue.record("not an object: \(line)"); return }
        #expect(response["id"] == .string("q1"))
        #expect(response["ok"] == .bool(true))
        #expect(response["result", "total", "disbursed"] == .int(8_046_000))
        #expect(response["result", "total", "allocated"] == .int(600_000_000))
    }

    @Test("malformed requests get an error line with a stable code, and the connection keeps serving")
    func malformed() throws {
        let daemon = try TrackerProcess()
        let client = try #require(LineClient(socket: daemon.socket, timeout: 30), "could not connect to \(daemon.socket)")
        func exchange(_ text: [UInt8]) -> JSONObject? {
            client.send(text)
            guard let line = client.readLine(), case .object(let object)? = try? JSONParser().parse(line) else { return nil }
            return object
        }
        #expect(exchange(Array("not json\n".utf8))?["error", "code"] == .string("bad_request"))
        #expect(exchange([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D, 0x0A])?["error", "code"] == .string("bad_request"))
        #expect(exchange(Array(#"{"id":2,"op":"launch"}"#.utf8) + [0x0A])?["error", "code"] == .string("unknown_op"))
        #expect(exchange(Array(#"{"id":3,"op":"disburse","task":"860/KH-BDT#1","amount":"a lot","date":"2023-12-01","ref":"X"}"#.utf8) + [0x0A])?["error", "code"] == .string("invalid_argument"))
        #expect(exchange(Array(#"{"id":4,"op":"disburse","task":"860/KH-BDT#1","amount":99999999999999999999,"date":"2023-12-01","ref":"X"}"#.utf8) + [0x0A])?["error", "message"].map { "\($0)".contains("too large") } == true)
        #expect(exchange(Array(String(repeating: "[", count: 100).utf8) + [0x0A])?["error", "code"] == .string("bad_request"))
        let hello = exchange(Array(#"{"id":5,"op":"hello"}"#.utf8) + [0x0A])
        #expect(hello?["ok"] == .bool(true))
        #expect(hello?["result", "server"] == .string("trackerd"))
    }
}
