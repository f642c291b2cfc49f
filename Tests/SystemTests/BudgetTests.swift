import Events
import Foundation
import Glibc
import Testing

/// Budgets on the socket, through the real daemon: one client's pipelined heavy requests cost it
/// memory and turns of its own, never everyone's.
@Suite("Budgets: one client cannot cost another", .serialized)
struct BudgetTests {
    /// A daemon on the sample data with `batches` × 1,000 more disbursements whose notes make each
    /// record about 3.4 KB: a log of about 34 MB per 10 batches, big enough for a whole answer to matter.
    static func bigStore(batches: Int = 10, limits: String = "") throws -> TrackerProcess {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData],
                                        configuration: TrackerProcess.testConfiguration
                                            + "snapshot_every_records = 0\n[checkpoints]\n[limits]\nmax_line_bytes = 16777216\n" + limits)
        let client = try #require(LineClient(socket: daemon.socket, timeout: 300))
        let note = String(repeating: "ghi chú giải ngân theo hợp đồng ", count: 100)
        for batch in 0..<batches {
            var commands: [String] = []
            for n in 0..<1000 {
                commands.append(#"{"op":"disburse","task":"860/KH-BDT#1","amount":1,"date":"2023-12-01","ref":"BIG-\#(batch)-\#(n)","note":"\#(note)"}"#)
            }
            let answer = client.call(#"{"id":1,"op":"import","commands":["# + commands.joined(separator: ",") + "]}")
            try #require(answer?["ok"] == .bool(true), "import batch \(batch): \(String(describing: answer))")
        }
        return daemon
    }

    /// A field of /proc/PID/status in kB (VmRSS, VmHWM).
    static func memoryKB(_ pid: Int32, _ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    @Test("twelve pipelined log requests from each of two clients that never read grow the daemon by less than 64 MB")
    func pipelinedLogs() throws {
        let daemon = try Self.bigStore(limits: "send_timeout_seconds = 3\n")
        let pid = try #require(daemon.pid)
        // The peak resident size is reset to the present one, so VmHWM afterwards is the peak of the attack.
        try "5".write(toFile: "/proc/\(pid)/clear_refs", atomically: false, encoding: .utf8)
        let before = try #require(Self.memoryKB(pid, "VmRSS"))
        let requests = Array(String(repeating: #"{"id":1,"op":"log","limit":100000}"# + "\n", count: 12).utf8)
        let first = try #require(LineClient(socket: daemon.socket))
        let second = try #require(LineClient(socket: daemon.socket))
        #expect(first.send(requests))
        #expect(second.send(requests))
        // Another client is served meanwhile.
        let other = try #require(LineClient(socket: daemon.socket, timeout: 60))
        #expect(other.call(#"{"id":2,"op":"status"}"#)?["ok"] == .bool(true))
        // Both are dropped once they have not read for the send timeout; the peak is then final.
        waitUntil("the daemon to drop the two clients that never read", seconds: 120) {
            daemon.daemonLog.components(separatedBy: "that did not read its answers").count - 1 >= 2
        }
        let peak = try #require(Self.memoryKB(pid, "VmHWM"))
        #expect(peak - before < 64 * 1024, "resident memory grew from \(before / 1024) MB to a peak of \(peak / 1024) MB")
        #expect(other.call(#"{"id":3,"op":"hello"}"#)?["ok"] == .bool(true))
    }

    @Test("another client's status and verify are answered while one client's verifies wait behind answers it does not read")
    func verifiesQueued() throws {
        // The hog holds answers it does not read for as long as the other client's requests take,
        // which on a busy machine can pass the default send timeout: it must not be dropped meanwhile.
        let daemon = try Self.bigStore(limits: "send_timeout_seconds = 600\n")
        // The hog asks for three large log pages it does not read, then forty verifies.
        let hog = try #require(LineClient(socket: daemon.socket, timeout: 300))
        let requests = String(repeating: #"{"id":"log","op":"log","limit":100000}"# + "\n", count: 3)
            + String(repeating: #"{"id":"verify","op":"verify"}"# + "\n", count: 40)
        #expect(hog.send(Array(requests.utf8)))
        let other = try #require(LineClient(socket: daemon.socket, timeout: 60))
        #expect(other.call(#"{"id":1,"op":"status"}"#)?["ok"] == .bool(true))
        let verified = other.call(#"{"id":2,"op":"verify"}"#)
        #expect(verified?["result", "verified"] == .bool(true))
        // A record appended now: a verify that ran before this point cannot count it.
        let disbursed = other.call(#"{"id":3,"op":"disburse","task":"860/KH-BDT#1","amount":1,"date":"2023-12-01","ref":"AFTER-1"}"#)
        guard case .int(let seq)? = disbursed?["result", "seq"] else {
            Issue.record("the disbursement was not recorded: \(String(describing: disbursed))")
            return
        }
        // The hog now reads: its log answers first, then its verifies, which had not run yet.
        var line: [UInt8]? = nil
        repeat { line = hog.readLine() } while line.map({ !String(decoding: $0.prefix(40), as: UTF8.self).contains(#""id":"verify""#) }) ?? false
        let first = try #require(line.flatMap { try? JSONParser().parse($0) }, "the hog's first verify was not answered")
        guard case .object(let answer) = first else { Issue.record("not an object"); return }
        #expect(answer["result", "records"] == .int(seq), "the hog's first verify ran before the other client's requests were answered")
    }

    @Test("answers parked behind a query that waits for its lane do not keep that query from starting")
    func parkedAnswers() throws {
        let daemon = try Self.bigStore(batches: 3, limits: "heavy_queries_at_once = 1\nmax_output_bytes = 65536\n")
        // One client's verifies take the only heavy thread, in turn with the other's.
        let busy = try #require(LineClient(socket: daemon.socket, timeout: 120))
        #expect(busy.send(Array(String(repeating: #"{"id":1,"op":"verify"}"# + "\n", count: 3).utf8)))
        // Another's verify waits for it; the task lists after it are answered at once and parked
        // (answers go out in request order), more than max_output_bytes of them.
        let client = try #require(LineClient(socket: daemon.socket, timeout: 120))
        let requests = #"{"id":0,"op":"verify"}"# + "\n" + (1...15).map { #"{"id":\#($0),"op":"tasks"}"# + "\n" }.joined()
        #expect(client.send(Array(requests.utf8)))
        for expected in 0...15 {
            let line = try #require(client.readLine(), "answer \(expected) did not come")
            guard case .object(let answer) = try JSONParser().parse(line) else { Issue.record("not an object"); return }
            #expect(answer["id"] == .int(Int64(expected)) && answer["ok"] == .bool(true))
        }
        #expect(busy.readLine() != nil)
    }

    @Test("past the total output budget, clients that hold nothing are still served")
    func totalBudget() throws {
        // The hogs are not dropped while the test runs: they hold their answers all along.
        let daemon = try Self.bigStore(batches: 2, limits: "max_output_bytes_total = 1048576\nsend_timeout_seconds = 300\n")
        // Two clients ask for more log than the whole budget and read none of it.
        let hogs = try (0..<2).map { _ in try #require(LineClient(socket: daemon.socket)) }
        for hog in hogs { #expect(hog.send(Array(String(repeating: #"{"id":1,"op":"log","limit":100000}"# + "\n", count: 4).utf8))) }
        let client = try #require(LineClient(socket: daemon.socket, timeout: 30))
        for n in 1...5 {
            #expect(client.call(#"{"id":\#(n),"op":"status"}"#)?["ok"] == .bool(true))
            #expect(client.call(#"{"id":\#(n),"op":"log","tail":3}"#)?["result", "count"] == .int(3))
        }
    }

    @Test("a client that pipelines far more than may be in flight, over every lane, and half-closes gets every answer in order")
    func pipelinedInOrder() throws {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData], configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        let client = try #require(LineClient(socket: daemon.socket, timeout: 60))
        let kinds = [#""op":"status""#, #""op":"hello""#, #""op":"log","tail":2"#, #""op":"tasks""#, #""op":"verify""#, #""op":"head""#, "\n"]
        var requests = ""
        var expected: [Int64] = []
        for n in 0..<300 {
            let kind = kinds[n % kinds.count]
            if kind == "\n" { requests += " \n"; continue }
            requests += "{\"id\":\(n),\(kind)}\n"
            expected.append(Int64(n))
            if n % 50 == 0 {
                requests += #"{"id":\#(n + 1000),"op":"disburse","task":"860/KH-BDT#1","amount":1,"date":"2023-12-01","ref":"PIPE-\#(n)"}"# + "\n"
                expected.append(Int64(n + 1000))
            }
        }
        #expect(client.send(Array(requests.utf8)))
        shutdown(client.fd, Int32(SHUT_WR))
        for id in expected {
            let line = try #require(client.readLine(), "no answer for request \(id)")
            guard case .object(let answer) = try JSONParser().parse(line) else { Issue.record("not an object"); return }
            #expect(answer["id"] == .int(id) && answer["ok"] == .bool(true), "\(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        #expect(client.readLine() == nil, "the connection is closed after the last answer")
    }

    @Test("a log answer stops at the answer bound and says where to continue")
    func logPageBound() throws {
        let daemon = try Self.bigStore(batches: 2)
        let client = try #require(LineClient(socket: daemon.socket, timeout: 120))
        #expect(client.send(Array((#"{"id":1,"op":"log","limit":100000}"# + "\n").utf8)))
        let line = try #require(client.readLine())
        #expect(line.count <= 4 << 20 + 8192, "a log answer of \(line.count) bytes")
        guard case .object(let answer) = try JSONParser().parse(line) else { Issue.record("not an object"); return }
        guard case .int(let count)? = answer["result", "count"], case .int(let next)? = answer["result", "next"] else {
            Issue.record("no count and next in the answer")
            return
        }
        #expect(next == count + 1)
        let rest = client.call(#"{"id":2,"op":"log","from":\#(next),"limit":100000}"#)
        guard case .array(let records)? = rest?["result", "records"], case .object(let record)? = records.first else {
            Issue.record("the next page has no records")
            return
        }
        #expect(record["seq"] == .int(next))
    }
}
