import Events
import Foundation
import Glibc
import Testing

/// Imports as officials make them: saved by Excel or Notepad (a byte order mark), tens of
/// thousands of lines (sent in pieces, still all or nothing), against a daemon whose request
/// lines are short.
@Suite("Imports: byte order marks, large files, pieces", .serialized)
struct LargeImportTests {
    /// The sample data with a byte order mark, then disbursements up to `lines` lines in all;
    /// the last line replaced by `last` when given.
    func importFile(lines count: Int, last: String? = nil, in directory: TemporaryDirectory) throws -> String {
        var lines = ["\u{FEFF}# saved by Excel"] + (try String(contentsOfFile: Binaries.sampleData, encoding: .utf8))
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var index = 0
        while lines.count < count {
            lines.append("disburse 860/KH-BDT#2 1000 --date 2023-12-01 --ref BIG-\(index)")
            index += 1
        }
        if let last { lines[lines.count - 1] = last }
        let path = directory.appending("import-\(count)-\(last == nil ? "good" : "bad").tracker")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a 50,000-line file with a byte order mark loads whole, and one whose last line is refused changes nothing")
    func fiftyThousandLines() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        let files = try TemporaryDirectory(prefix: "imp")
        let bad = try importFile(lines: 50_000, last: "disburse 860/KH-BDT#2 999tỷ --date 2023-12-01 --ref BIG-LAST", in: files)
        let refused = try runProgram(Binaries.trackctl, ["import", bad, "--socket", daemon.socket], timeout: 900)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("line 50000: refused (exceeds_allocation)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("nothing was imported"))
        #expect(try daemon.json("head")["seq"] == .int(0))
        let good = try importFile(lines: 50_000, in: files)
        let loaded = try runProgram(Binaries.trackctl, ["import", good, "--quiet", "--socket", daemon.socket], timeout: 900)
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stdout.hasPrefix("imported \(good): "), "\(loaded.stdout)")
        let head = try daemon.json("head")
        guard case .int(let seq)? = head["seq"] else { Issue.record("no head: \(head)"); return }
        #expect(seq > 49_800)
        // Loaded again: every fact is already recorded, nothing twice.
        let again = try runProgram(Binaries.trackctl, ["import", good, "--socket", daemon.socket], timeout: 900)
        #expect(again.stdout.contains("imported \(good): 0 commands recorded"), "\(again.stdout)")
        #expect(try daemon.json("head")["seq"] == .int(seq))
    }

    @Test("against a daemon that takes short request lines, an import goes in smaller pieces, and a too-long line names max_line_bytes")
    func shortLines() throws {
        let daemon = try TrackerProcess(configuration: "\u{FEFF}" + TrackerProcess.testConfiguration + "[checkpoints]\n[limits]\nmax_line_bytes = 4096\n")
        let files = try TemporaryDirectory(prefix: "imp")
        let file = try importFile(lines: 400, in: files)
        let loaded = try daemon.ctl("import", file)
        #expect(loaded.status == 0, "\(loaded.stderr)")
        let client = try #require(LineClient(socket: daemon.socket))
        let long = #"{"id":1,"op":"status","agency":""# + String(repeating: "x", count: 5000) + #""}"#
        let answer = client.call(long)
        #expect(answer?["error", "code"] == .string("too_large"))
        guard case .string(let message)? = answer?["error", "message"] else { Issue.record("no message"); return }
        #expect(message.contains("max_line_bytes"), "\(message)")
        #expect(message.contains("trackctl import sends a large file in pieces"))
        // The connection goes on after the refusal.
        #expect(client.call(#"{"id":2,"op":"head"}"#)?["ok"] == .bool(true))
    }

    @Test("pieces are kept per connection: one whose connection ends before its last piece records nothing")
    func abandonedPieces() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        do {
            let client = try #require(LineClient(socket: daemon.socket))
            let piece = client.call(#"{"id":1,"op":"import","more":true,"commands":[{"op":"agency.register","agency":"X","name":"X"}]}"#)
            #expect(piece?["result", "staged"] == .int(1))
        }
        let client = try #require(LineClient(socket: daemon.socket))
        let last = client.call(#"{"id":2,"op":"import","commands":[{"op":"agency.register","agency":"Y","name":"Y"}]}"#)
        #expect(last?["result", "recorded"] == .int(1), "\(String(describing: last))")
        #expect(try daemon.json("head")["seq"] == .int(1))
    }
}
