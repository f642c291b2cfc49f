import Events
import Foundation
import Glibc
import Testing

/// The real trackerd on a temporary store, driven by the real trackctl over its socket.
@Suite("trackerd and trackctl, end to end", .serialized)
struct DaemonTests {
    /// A daemon loaded with the sample data (the four source documents).
    func sampleDaemon() throws -> TrackerProcess {
        try TrackerProcess(arguments: ["--import", Binaries.sampleData])
    }

    @Test("the sample loads at start and status shows 600 triệu allocated and 8.046.000 đ disbursed (1,341%)")
    func sampleStatus() throws {
        let daemon = try sampleDaemon()
        let status = try daemon.json("status", "--as-of", "2023-11-30")
        #expect(status["total", "allocated"] == .int(600_000_000))
        #expect(status["total", "disbursed"] == .int(8_046_000))
        #expect(status["total", "rate_allocated"] == .number("1.341"))
        let text = try daemon.ok("status", "--as-of", "2023-11-30")
        #expect(text.contains("600.000.000 đ"))
        #expect(text.contains("8.046.000 đ"))
        #expect(text.contains("1,341%"))
        // Loading it again records nothing twice.
        let again = try daemon.ok("import", Binaries.sampleData)
        #expect(again.contains("0 commands recorded"))
        #expect(try daemon.json("status", "--as-of", "2023-11-30")["total", "disbursed"] == .int(8_046_000))
    }

    @Test("a disbursement appears in status")
    func disbursementShows() throws {
        let daemon = try sampleDaemon()
        let out = try daemon.ok("disburse", "860/KH-BDT#1", "20 triệu", "--date", "2023-12-15", "--ref", "UNC-2023-0001")
        #expect(out.contains("recorded disbursement UNC-2023-0001: 20.000.000 đ"))
        #expect(out.contains("remaining 76.598.000 đ"))
        let status = try daemon.json("status", "--as-of", "2023-12-31")
        #expect(status["total", "disbursed"] == .int(28_046_000))
        let text = try daemon.ok("status", "--as-of", "2023-12-31")
        #expect(text.contains("23.402.000 đ"))
    }

    @Test("a line's row follows every movement and every query date (rows are cached between answers)")
    func lineRowsFollowMovements() throws {
        let daemon = try sampleDaemon()
        func lineRow(_ arguments: String...) throws -> JSONObject? {
            let status = try daemon.json(["status"] + arguments)
            guard case .array(let rows)? = status["rows"] else { return nil }
            for case .object(let row) in rows where row["task"] == .string("860/KH-BDT#1") { return row }
            return nil
        }
        let before = try lineRow()
        #expect(before?["disbursed"] == .int(3_402_000))
        _ = try daemon.ok("disburse", "860/KH-BDT#1", "20 triệu", "--date", "2023-12-15", "--ref", "UNC-ROW-1")
        #expect(try lineRow()?["disbursed"] == .int(23_402_000))
        #expect(try lineRow("--as-of", "2023-12-14")?["disbursed"] == .int(3_402_000), "a date before the payment")
        #expect(try lineRow("--as-of", "2023-12-14")?["days_left"] == .int(17))
        #expect(try lineRow()?["disbursed"] == .int(23_402_000))
        _ = try daemon.ok("reverse", "UNC-ROW-1", "--reason", "sai tài khoản", "--date", "2023-12-16")
        #expect(try lineRow()?["disbursed"] == .int(3_402_000))
        #expect(try lineRow("--as-of", "2023-12-15")?["disbursed"] == .int(23_402_000))
        #expect(try lineRow()?["remaining"] == before?["remaining"])
    }

    @Test("a disbursement beyond its allocation line is refused with the numbers, and changes nothing")
    func beyondAllocation() throws {
        let daemon = try sampleDaemon()
        let statusBefore = try daemon.ok("status", "--json")
        let logBefore = try daemon.ok("log", "--json")
        let refused = try daemon.ctl("disburse", "860/KH-BDT#1", "100 triệu", "--date", "2023-12-15", "--ref", "UNC-TOO-MUCH")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("exceeds_allocation"))
        #expect(refused.stderr.contains("allocated 100.000.000 đ"))
        #expect(refused.stderr.contains("already disbursed 3.402.000 đ"))
        #expect(refused.stderr.contains("remaining 96.598.000 đ"))
        #expect(refused.stderr.contains("requested 100.000.000 đ"))
        #expect(try daemon.ok("status", "--json") == statusBefore)
        #expect(try daemon.ok("log", "--json") == logBefore)
        // Exactly the remainder is allowed.
        _ = try daemon.ok("disburse", "860/KH-BDT#1", "96.598.000", "--date", "2023-12-15", "--ref", "UNC-REST")
    }

    @Test("sending the same payment reference twice counts it once")
    func sameReferenceOnce() throws {
        let daemon = try sampleDaemon()
        let first = try daemon.ok("disburse", "860/KH-BDT#3", "15tr", "--date", "2023-12-20", "--ref", "UNC-77")
        #expect(first.contains("recorded disbursement"))
        let second = try daemon.ctl("disburse", "860/KH-BDT#3", "15tr", "--date", "2023-12-20", "--ref", "UNC-77")
        #expect(second.status == 0)
        #expect(second.stdout.contains("already recorded"))
        let status = try daemon.json("status", "--as-of", "2023-12-31")
        #expect(status["total", "disbursed"] == .int(8_046_000 + 15_000_000))
        // The same reference for a different payment is a conflict.
        let conflict = try daemon.ctl("disburse", "860/KH-BDT#3", "16tr", "--date", "2023-12-20", "--ref", "UNC-77")
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains("conflict"))
    }

    @Test("a restart shows the same state")
    func restart() throws {
        let daemon = try sampleDaemon()
        _ = try daemon.ok("disburse", "860/KH-BDT#2", "1.500.000 đ", "--date", "2023-12-01", "--ref", "UNC-R1")
        let before = try daemon.ok("status", "--by", "plan", "--json")
        let headBefore = try daemon.json("verify")["head"]
        #expect(daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socket), "the socket is removed on SIGTERM")
        try daemon.start(arguments: [])
        #expect(try daemon.ok("status", "--by", "plan", "--json") == before)
        #expect(try daemon.json("verify")["head"] == headBefore)
    }

    @Test("a stopped store is plain NDJSON that jq-like readers accept line by line")
    func stoppedStoreIsPlain() throws {
        let daemon = try sampleDaemon()
        daemon.stop()
        for segment in try daemon.segments() {
            let text = try String(contentsOfFile: segment, encoding: .utf8)
            #expect(!text.contains("\0"))
            for line in text.split(separator: "\n") {
                #expect(throws: Never.self) { _ = try JSONParser().parse(String(line)) }
            }
        }
    }

    @Test("verify passes, and after one byte of a middle record changes on disk it fails naming that record")
    func verifyFindsChangedByte() throws {
        let daemon = try sampleDaemon()
        let ok = try daemon.ctl("verify")
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("the chain is whole"))
        // Change one byte inside record 30's body, on disk, under the running daemon.
        let segment = try #require(try daemon.segments().first)
        let data = try Data(contentsOf: URL(fileURLWithPath: segment))
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        var offset = 0
        for line in lines.prefix(29) { offset += line.count + 1 }
        let record30 = lines[29]
        let bodyStart = try #require(String(decoding: record30, as: UTF8.self).range(of: "\"body\":{")).upperBound.utf16Offset(in: String(decoding: record30, as: UTF8.self))
        let target = offset + bodyStart + 3
        let fd = open(segment, O_RDWR)
        defer { close(fd) }
        var byte: UInt8 = 0
        pread(fd, &byte, 1, off_t(target))
        var changed = byte == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        pwrite(fd, &changed, 1, off_t(target))
        let failed = try daemon.ctl("verify")
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("FAILED at record 30"))
        #expect(failed.stdout.contains("record 30 has been changed"))
    }

    @Test("a second daemon on the same store is refused with a clear message")
    func secondDaemon() throws {
        let daemon = try sampleDaemon()
        let second = try daemon.runSecondDaemon(socket: daemon.directory + "/other.sock", timeout: 60)
        #expect(second.status == 1)
        #expect(second.stderr.contains("another trackerd"))
        #expect(second.stderr.contains("is already using the store"))
        // The first one still serves.
        _ = try daemon.ok("status")
    }

    @Test("a torn last record left by a crash is cut at start and reported; the chain still verifies")
    func tornTail() throws {
        let daemon = try sampleDaemon()
        _ = try daemon.ok("disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "UNC-T1")
        let head = try daemon.json("verify")["head", "seq"]
        daemon.crash()
        // Half a record where the next one would go (the segment is preallocated: write at the data end).
        let segment = try #require(try daemon.segments().last)
        let data = try Data(contentsOf: URL(fileURLWithPath: segment))
        let end = (data.lastIndex(where: { $0 != 0 }) ?? -1) + 1
        let partial = Array(#"{"seq":999,"time":"2026-01-01T00:00:00.000000Z","actor":{"uid":0,"na"#.utf8)
        let fd = open(segment, O_RDWR)
        _ = partial.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(end)) }
        close(fd)
        try daemon.start(arguments: [])
        #expect(daemon.daemonLog.contains("cut a partial record"))
        #expect(daemon.daemonLog.contains("never acknowledged"))
        #expect(try daemon.json("verify")["head", "seq"] == head)
        #expect(try daemon.ctl("verify").status == 0)
        // And it goes on appending after the cut.
        _ = try daemon.ok("disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-02", "--ref", "UNC-T2")
        #expect(try daemon.ctl("verify").status == 0)
    }

    @Test("import reports the line of the first error and records nothing")
    func importError() throws {
        let daemon = try TrackerProcess()
        let file = daemon.directory + "/bad.tracker"
        try """
        # two good lines, then a task for an unknown plan
        agency add BDT --name "Ban Dân tộc tỉnh Quảng Ngãi"
        plan create 860/KH-BDT --agency BDT --title "KH 860" --date 2023-08-30 --period 2023

        task add 999/KH-BDT#1 --name "Không có kế hoạch" --period 2023
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try daemon.ctl("import", file)
        #expect(result.status == 1)
        #expect(result.stderr.contains("line 5"))
        #expect(result.stderr.contains("plan 999/KH-BDT is not recorded"))
        #expect(try daemon.json("verify")["head", "seq"] == .int(0))
        // A syntax error is caught before anything is sent, with its line too.
        try "agency add BDT --name \"unterminated\n".write(toFile: file, atomically: true, encoding: .utf8)
        let syntax = try daemon.ctl("import", file)
        #expect(syntax.status == 1)
        #expect(syntax.stderr.contains("line 1"))
    }

    @Test("usage errors exit 2, refusals exit 1, and every command has --help")
    func exitCodes() throws {
        let daemon = try sampleDaemon()
        #expect(try daemon.ctl("disburse", "860/KH-BDT#1").status == 2)
        #expect(try daemon.ctl("disburse", "860/KH-BDT#1", "-5tr", "--date", "2023-12-01", "--ref", "X").status == 2)
        #expect(try daemon.ctl("status", "--by", "nonsense").status == 2)
        #expect(try daemon.ctl("frobnicate").status == 2)
        #expect(try daemon.ctl("disburse", "999/KH-X#1", "5tr", "--date", "2023-12-01", "--ref", "X").status == 1)
        for command in ["status", "overdue", "tasks", "plans", "disburse", "allocate", "reverse", "task add", "task status", "plan create",
                        "agency add", "import", "log", "verify"] {
            let help = try daemon.ctl(command.split(separator: " ").map(String.init) + ["--help"])
            #expect(help.status == 0, "\(command) --help")
            #expect(help.stdout.contains("Usage: trackctl \(command)"))
        }
    }

    @Test("a reversal gives the money back to its line and is itself idempotent")
    func reversal() throws {
        let daemon = try sampleDaemon()
        _ = try daemon.ok("disburse", "860/KH-BDT#3", "50tr", "--date", "2023-12-05", "--ref", "UNC-REV")
        let reversed = try daemon.ok("reverse", "UNC-REV", "--reason", "Nhập trùng chứng từ", "--date", "2023-12-06")
        #expect(reversed.contains("reversed disbursement UNC-REV"))
        #expect(try daemon.json("status", "--as-of", "2023-12-31")["total", "disbursed"] == .int(8_046_000))
        // As of the day between, the money was out.
        #expect(try daemon.json("status", "--as-of", "2023-12-05")["total", "disbursed"] == .int(58_046_000))
        let again = try daemon.ok("reverse", "UNC-REV", "--reason", "Nhập trùng chứng từ")
        #expect(again.contains("already recorded"))
    }

    @Test("overdue lists the unfunded 2022 tasks with their days overdue")
    func overdue() throws {
        let daemon = try sampleDaemon()
        let out = try daemon.ok("overdue", "--as-of", "2023-11-30")
        #expect(out.contains("560/KH-BDT#1"))
        #expect(out.contains("334"))
        let json = try daemon.json("overdue", "--as-of", "2024-01-02")
        guard case .array(let tasks)? = json["tasks"] else { Issue.record("no tasks"); return }
        let names = tasks.compactMap { value -> String? in
            if case .object(let object) = value, case .string(let task)? = object["task"] { return task }
            return nil
        }
        #expect(names.contains("860/KH-BDT#2"))
    }
}
