import Events
import Foundation
import Glibc
import Testing

/// The change stream: `log` with filters, `log --follow` (records as stored, then each new one
/// once durable; resumed without loss after the daemon drops or restarts), the store's id and
/// province, and the framing other systems read (`--envelope`, `--keyed`).
@Suite("The change stream: log filters, log --follow, the store id", .serialized)
struct LogStreamTests {
    /// The store's segment lines, exactly as stored.
    func storedLines(_ daemon: TrackerProcess) throws -> [String] {
        try daemon.segments().flatMap { path in
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("\0") && !$0.isEmpty }
        }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\0")) }.filter { !$0.isEmpty }
    }

    /// Lines a file holds so far (a follower's output).
    func lines(of path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }


    @Test("every store has an id made at its first start, kept across restarts, shown by hello and head, and carried by a backup")
    func storeID() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "province = KTM\n[checkpoints]\n")
        let client = try #require(LineClient(socket: daemon.socket))
        let hello = try #require(client.call(#"{"id":1,"op":"hello"}"#))
        guard case .string(let id)? = hello["result", "store_id"] else {
            Issue.record("hello names no store id: \(hello)")
            return
        }
        #expect(id.count == 16 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(hello["result", "province"] == .string("KTM"))
        #expect(try daemon.json("head")["store_id"] == .string(id))
        #expect(try String(contentsOfFile: daemon.directory + "/store.id", encoding: .utf8) == id + "\n")
        _ = try daemon.ok("backup", daemon.directory + "-copy")
        defer { try? FileManager.default.removeItem(atPath: daemon.directory + "-copy") }
        #expect(try String(contentsOfFile: daemon.directory + "-copy/store.id", encoding: .utf8) == id + "\n")
        #expect(daemon.stop() == 0)
        try daemon.start()
        #expect(LineClient(socket: daemon.socket)?.call(#"{"id":1,"op":"hello"}"#)?["result", "store_id"] == .string(id))
        #expect(daemon.stop() == 0)
        // A damaged id is never replaced silently: the stream would see another store.
        try "NOT AN ID\n".write(toFile: daemon.directory + "/store.id", atomically: true, encoding: .utf8)
        let refused = try daemon.runSecondDaemon()
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("store.id holds no valid id"))
    }

    @Test("a province code that is not A–Z, 0–9 and '-' (at most 16) is refused at start, naming the line")
    func badProvince() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "province = qng.1\n", start: false)
        let refused = try daemon.runSecondDaemon()
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("trackerd.conf:3: province: province code 'qng.1' may hold only A–Z, 0–9 and '-'"))
    }

    @Test("log filters by task, plan, agency, decision, ref, type, actor and record time, combined, with --json as stored")
    func filters() throws {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData], configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        let all = try daemon.ok("log", "--json").split(separator: "\n").map(String.init)
        #expect(all == (try storedLines(daemon)))
        let records = try all.map { line -> JSONObject in
            guard case .object(let object) = try JSONParser().parse(Array(line.utf8)) else { throw DaemonFailed(message: line) }
            return object
        }
        func run(_ arguments: String...) throws -> [String] {
            let result = try daemon.ctl(["log", "--json"] + arguments)
            #expect(result.status == 0, "trackctl log \(arguments.joined(separator: " ")) failed: \(result.stderr)")
            return result.stdout.split(separator: "\n").map(String.init)
        }
        func expected(_ keep: (JSONObject) -> Bool) -> [String] { zip(all, records).filter { keep($0.1) }.map(\.0) }
        func body(_ record: JSONObject, _ key: String) -> JSONValue? { record["body", key] }

        let payments = try run("--type", "disbursement.recorded")
        #expect(payments == expected { $0["type"] == .string("disbursement.recorded") })
        #expect(payments.count >= 3)
        let task = try run("--task", "860/KH-BDT#1")
        #expect(task == expected { record in
            body(record, "task") == .string("860/KH-BDT#1") || body(record, "id") == .string("860/KH-BDT#1")
                || (record["body", "lines"].map { "\($0)".contains("860/KH-BDT#1") } ?? false)
        })
        #expect(task.count >= 3)
        // Ids match as everywhere: case and diacritics do not matter.
        let decision = try run("--decision", "569/qd-ubnd")
        #expect(decision == expected { body($0, "decision") == .string("569/QĐ-UBND@QNG/2023") || body($0, "from") == .string("569/QĐ-UBND@QNG/2023") })
        #expect(decision.count >= 4)
        let plan = try run("--plan", "VP-2022")
        #expect(plan.count == 9 && plan.allSatisfy { $0.contains("VP-2022") })
        let agency = try run("--agency", "BDT")
        #expect(agency.contains { $0.contains("\"agency.registered\"") && $0.contains("\"BDT\"") })
        #expect(!agency.contains { $0.contains("VP-2022") || $0.contains("SVHTTDL") })
        #expect(agency.contains { $0.contains("disbursement.recorded") })
        let ref = try #require(records.first { $0["type"] == .string("disbursement.recorded") }.flatMap { body($0, "ref") })
        guard case .string(let refText) = ref else { return }
        #expect(try run("--ref", refText).count == 1)
        #expect(try run("--agency", "BDT", "--type", "disbursement.recorded") == expected { record in
            record["type"] == .string("disbursement.recorded") && "\(body(record, "task")!)".contains("KH-BDT")
        })
        let me = getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "root"
        #expect(try run("--actor", me).count == all.count)
        #expect(try run("--actor", String(getuid())).count == all.count)
        #expect(try run("--actor", "nobody-of-this-name").isEmpty)
        #expect(try run("--since", "2199-12-31").isEmpty)
        #expect(try run("--until", "1999-01-01").isEmpty)
        #expect(try run("--since", "2000-01-01", "--until", "2199-12-31").count == all.count)
        // The filtered pages put back together give the same records, whatever the page bound.
        #expect(try run("--type", "task.added", "--from", "3") == expected { $0["type"] == .string("task.added") && $0["seq"]! != .int(1) && $0["seq"]! != .int(2) })
        let bad = try daemon.ctl("log", "--type", "disbursement.made")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("'disbursement.made' is none of them"))
        let client = try #require(LineClient(socket: daemon.socket))
        let refused = client.call(#"{"id":1,"op":"log","until":"2020-01-01","since":"2021-01-01"}"#)
        #expect(refused?["error", "code"] == .string("invalid_argument"))
        let unknown = client.call(#"{"id":2,"op":"log","agencies":"BDT"}"#)
        #expect(unknown?["error", "code"] == .string("bad_request"))
    }

    @Test("log --follow prints the records as stored, then each new one once durable; --keyed and --envelope carry the store id and the exact bytes")
    func follow() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        try daemon.importOneTask(total: "100 tỷ", allocated: "100 tỷ")
        let output = daemon.directory + "/follow.out"
        let keyedOutput = daemon.directory + "/keyed.out"
        let environment = ["TRACKER_SOCKET": daemon.socket]
        let follower = try RunningProgram(Binaries.trackctl, ["log", "--follow", "--json"], environment: environment,
                                          stdout: output, stderr: daemon.directory + "/follow.err")
        let keyed = try RunningProgram(Binaries.trackctl, ["log", "--follow", "--keyed", "--type", "disbursement.recorded"], environment: environment,
                                       stdout: keyedOutput, stderr: daemon.directory + "/keyed.err")
        waitUntil("the follower printed the 5 records stored") { lines(of: output).count == 5 }
        for n in 1...5 {
            let answer = try daemon.json("disburse", "P#1", "\(n) triệu", "--date", "2023-02-01", "--ref", "F-\(n)")
            guard case .int(let seq)? = answer["seq"] else { Issue.record("no seq in \(answer)"); return }
            waitUntil("record \(seq) reached the follower") { lines(of: output).count == Int(seq) }
        }
        #expect(lines(of: output) == (try storedLines(daemon)))
        waitUntil("the keyed follower printed the 5 disbursements") { lines(of: keyedOutput).count == 5 }
        let id = try #require(LineClient(socket: daemon.socket)?.call(#"{"id":1,"op":"hello"}"#)?["result", "store_id"])
        for line in lines(of: keyedOutput) {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            #expect(parts.count == 2 && JSONValue.string(parts[0]) == id)
            let check = Array(parts[1].utf8).withUnsafeBytes { RecordCodec.verifyLine($0) }
            #expect(check?.hashMatches == true)
            #expect(try storedLines(daemon).contains(parts[1]))
        }
        let envelopes = try daemon.ok("log", "--envelope", "--from", "6").split(separator: "\n")
        #expect(envelopes.count == 5)
        for (line, stored) in zip(envelopes, try storedLines(daemon).dropFirst(5)) {
            #expect(line.hasPrefix("{\"store\":\(id.jsonText),\"seq\":"))
            #expect(line.hasSuffix(",\"record\":\(stored)}"))
        }
        follower.end()
        keyed.end()
    }

    @Test("a follower the daemon drops for not reading, or loses when the daemon restarts, goes on from its last record and loses nothing")
    func resume() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration
            + "[checkpoints]\n[limits]\nsend_timeout_seconds = 1\nmax_output_bytes = 65536\n")
        try daemon.importOneTask(total: "100 tỷ", allocated: "100 tỷ")
        let output = daemon.directory + "/follow.out"
        let follower = try RunningProgram(Binaries.trackctl, ["log", "--follow", "--json"], environment: ["TRACKER_SOCKET": daemon.socket],
                                          stdout: output, stderr: daemon.directory + "/follow.err")
        waitUntil("the follower printed the 5 records stored") { lines(of: output).count == 5 }
        // It stops reading while 3.000 records (over 1 MB) are recorded: the daemon drops it.
        follower.signal(SIGSTOP)
        _ = try daemon.ok("import", try daemon.payments(3000, prefix: "S"))
        waitUntil("the daemon dropped the follower that did not read") { daemon.daemonLog.contains("dropped a client") }
        follower.signal(SIGCONT)
        waitUntil("the follower caught up after it was dropped", seconds: 60) { lines(of: output).count == 3005 }
        // The daemon restarts; the follower connects again and goes on.
        #expect(daemon.stop() == 0)
        try daemon.start()
        _ = try daemon.ok("import", try daemon.payments(10, prefix: "T"))
        waitUntil("the follower printed the records of the new start", seconds: 60) { lines(of: output).count == 3015 }
        #expect(lines(of: output) == (try storedLines(daemon)))
        let complaints = (try? String(contentsOfFile: daemon.directory + "/follow.err", encoding: .utf8)) ?? ""
        #expect(complaints.contains("continue from seq"))
        follower.end()
    }
}

extension JSONValue {
    /// The value as JSON text.
    var jsonText: String { String(decoding: encoded(), as: UTF8.self) }
}
