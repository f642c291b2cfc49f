import Events
import Foundation
import Glibc
import Testing

/// Random and mutated requests thrown at the real daemon for a bounded time; then it must still
/// serve and its log must still verify. `TRACKER_FUZZ_SECONDS` makes the run longer.
@Suite("Fuzzing the socket", .serialized)
struct FuzzTests {
    static let templates = [
        #"{"id":1,"op":"hello"}"#,
        #"{"id":2,"op":"status","as_of":"2023-11-30","by":"agency","year":2023}"#,
        #"{"id":3,"op":"tasks","search":"số hoá","plan":"BDT-2023"}"#,
        #"{"id":4,"op":"overdue","as_of":"2024-01-02","known_at":"2026-01-01T00:00:00Z"}"#,
        #"{"id":5,"op":"disburse","task":"860/KH-BDT#1","amount":"1,5 triệu","date":"2023-12-01","ref":"F-1"}"#,
        #"{"id":6,"op":"reverse","ref":"F-1","reason":"thử"}"#,
        #"{"id":7,"op":"task.status","task":"860/KH-BDT#2","to":"completed","date":"2023-12-20","reason":"xong"}"#,
        #"{"id":8,"op":"allocate","decision":"7/QĐ-UBND","signed":"2023-07-01","year":2023,"agency":"BDT","lines":[{"task":"BDT-2023#1","amount":1000}]}"#,
        #"{"id":9,"op":"log","tail":5}"#,
        #"{"id":10,"op":"plans","agency":"SVHTTDL"}"#,
        #"{"id":11,"op":"import","commands":[{"op":"agency.register","agency":"Z","name":"Z"}]}"#,
        #"{"id":12,"op":"alerts","year":2023}"#,
        #"{"id":13,"op":"verify","against":{"seq":3,"hash":"00"}}"#,
    ]

    static let fragments: [[UInt8]] = [
        Array("null".utf8), Array("true".utf8), Array("-0".utf8), Array("1e999".utf8), Array("9223372036854775808".utf8),
        Array("\"\\ud800\"".utf8), Array("\"\\u0000\"".utf8), Array(String(repeating: "[", count: 40).utf8), Array("{}".utf8),
        Array("\"đ\"".utf8), [0xFF], [0xC3], [0xE2, 0x82], [0x00], Array("\"op\":\"disburse\"".utf8), Array(",,".utf8),
    ]

    /// One random input: a template mutated, or noise.
    static func input(_ random: inout SeededRandom) -> [UInt8] {
        var bytes = Array(templates.randomElement(using: &random)!.utf8)
        switch Int.random(in: 0..<8, using: &random) {
        case 0: // noise
            bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 1: // truncate
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
        default: // flip, insert and delete a few bytes or fragments
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                guard !bytes.isEmpty else { break }
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.insert(contentsOf: fragments.randomElement(using: &random)!, at: at)
                case 2: bytes.remove(at: at)
                default: bytes[at] ^= 1 << UInt8.random(in: 0...7, using: &random)
                }
            }
        }
        // One input, one line.
        return bytes.map { $0 == 0x0A ? 0x20 : $0 }
    }

    @Test("random and mutated requests are each answered, nothing crashes, and the log still verifies")
    func fuzz() throws {
        let seconds = Double(environmentInt("TRACKER_FUZZ_SECONDS", default: 8))
        let seed = UInt64(environmentInt("TRACKER_FUZZ_SEED", default: Int(UInt32.random(in: 1...UInt32.max))))
        var random = SeededRandom(seed: seed)
        let daemon = try TrackerProcess(arguments: ["--now", "2023-12-15", "--import", Binaries.sampleData],
                                        configuration: TrackerProcess.testConfiguration + "[limits]\nmax_line_bytes = 65536\n")
        var tried = 0, errors = 0, accepted = 0, unanswered = 0, blank = 0, codes: [String: Int] = [:]
        var client = try #require(LineClient(socket: daemon.socket, timeout: 5))
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let bytes = Self.input(&random)
            tried += 1
            // A blank line is skipped by the protocol (no answer), as NDJSON readers do.
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { blank += 1; continue }
            guard client.send(bytes + [0x0A]), let line = client.readLine() else {
                unanswered += 1
                client = try #require(LineClient(socket: daemon.socket, timeout: 5), "seed \(seed): the daemon stopped accepting connections")
                continue
            }
            guard case .object(let answer) = try JSONParser().parse(line) else {
                Issue.record("seed \(seed): the answer is not a JSON object: \(String(decoding: line, as: UTF8.self))")
                continue
            }
            if answer["ok"] == .bool(true) {
                accepted += 1
                if answer["result", "following"] == .bool(true) {
                    client = try #require(LineClient(socket: daemon.socket, timeout: 5))
                }
            } else if case .string(let code)? = answer["error", "code"] {
                errors += 1
                codes[code, default: 0] += 1
            } else {
                Issue.record("seed \(seed): an answer with neither a result nor an error code: \(answer)")
            }
        }
        // Still alive, still serving, and the log is whole.
        #expect(daemon.isRunning, "seed \(seed): trackerd died: \(daemon.daemonLog.suffix(2000))")
        #expect(LineClient(socket: daemon.socket)?.call(#"{"id":1,"op":"hello"}"#)?["ok"] == .bool(true))
        let verify = try daemon.ctl("verify")
        #expect(verify.status == 0, "seed \(seed): \(verify.stdout)")
        #expect(unanswered == 0, "seed \(seed): \(unanswered) inputs got no answer")
        #expect(!codes.keys.contains("internal"), "seed \(seed): internal errors")
        let table = codes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("fuzz: seed \(seed), \(Int(seconds)) s: \(tried) inputs, \(accepted) accepted, \(errors) answered with an error (\(table)), \(blank) blank lines skipped, \(unanswered) unanswered, 0 crashes")
    }
}
