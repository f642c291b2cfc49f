import Events
import Foundation
import Glibc
import Testing

/// Large answers come in pages of at most `max_answer_bytes`; trackctl fetches them all, so what it
/// prints does not depend on the bound.
@Suite("Paging: answers are bounded, and trackctl puts the pages back together", .serialized)
struct PagingTests {
    /// What trackctl prints for the log and for status, in several shapes.
    func outputs(_ daemon: TrackerProcess) throws -> [String] {
        [try daemon.ok("log"), try daemon.ok("log", "--json"), try daemon.ok("log", "--tail", "7"), try daemon.ok("log", "--from", "5", "--json"),
         try daemon.ok("log", "--tail", "40", "--json"),
         try daemon.ok("status"), try daemon.ok("status", "--json"), try daemon.ok("status", "--as-of", "2023-11-30", "--unit", "trieu"),
         try daemon.ok("status", "--by", "task", "--json"), try daemon.ok("status", "--by", "decision"),
         try daemon.ok("status", "--by", "agency", "--json"), try daemon.ok("status", "--year", "2024"),
         try daemon.ok("status", "--agency", "BDT", "--json"), try daemon.ok("status", "--year", "2024", "--json")]
    }

    @Test("with a 1 KiB answer bound (one row or record a page), trackctl log and status print exactly what one whole answer gives")
    func smallPages() throws {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData], configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        let whole = try outputs(daemon)
        #expect(daemon.stop() == 0)
        try (TrackerProcess.testConfiguration + "[checkpoints]\n[limits]\nmax_answer_bytes = 1024\n")
            .write(toFile: daemon.directory + "/trackerd.conf", atomically: true, encoding: .utf8)
        try daemon.start(arguments: [])
        let paged = try outputs(daemon)
        for (index, (a, b)) in zip(whole, paged).enumerated() {
            #expect(a == b, "output \(index) differs with pages:\n\(a)\n---\n\(b)")
        }
        // The raw answers are pages indeed.
        let client = try #require(LineClient(socket: daemon.socket))
        let log = try #require(client.call(#"{"id":1,"op":"log","limit":1000}"#))
        guard case .int(let count)? = log["result", "count"], case .int(let next)? = log["result", "next"] else {
            Issue.record("the log answer has no count and next: \(log)")
            return
        }
        #expect(count >= 1 && next == count + 1)
        let status = try #require(client.call(#"{"id":2,"op":"status","by":"line"}"#))
        guard case .array(let rows)? = status["result", "rows"], case .object(let page)? = status["result", "next"],
              case .int(let lines)? = status["result", "total", "lines"] else {
            Issue.record("the status answer has no rows and next: \(status)")
            return
        }
        #expect(rows.count < lines)
        #expect(page["row"] == .int(Int64(rows.count)))
        #expect(page["through_seq"] == status["result", "through_seq"])
    }

    @Test("a status page asked for another date than its cursor's is refused")
    func pageMismatch() throws {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData], configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        let client = try #require(LineClient(socket: daemon.socket))
        let mismatch = client.call(#"{"id":1,"op":"status","as_of":"2023-11-30","page":{"row":2,"through_seq":10,"as_of":"2023-12-31"}}"#)
        #expect(mismatch?["error", "code"] == .string("invalid_argument"))
        let negative = client.call(#"{"id":2,"op":"status","page":{"row":-1,"through_seq":10,"as_of":"2023-12-31"}}"#)
        #expect(negative?["error", "code"] == .string("invalid_argument"))
        let unknown = client.call(#"{"id":3,"op":"status","page":{"row":1,"through_seq":10,"as_of":"2023-12-31","x":1}}"#)
        #expect(unknown?["error", "code"] == .string("bad_request"))
        // A page pinned to an earlier seq counts only the records through it.
        let early = client.call(#"{"id":4,"op":"status","page":{"row":0,"through_seq":10,"as_of":"2023-12-31"}}"#)
        #expect(early?["result", "through_seq"] == .int(10))
        #expect(client.call(#"{"id":5,"op":"hello"}"#)?["ok"] == .bool(true))
    }
}
