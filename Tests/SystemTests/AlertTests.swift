import Events
import Foundation
import Glibc
import Testing

/// Year-end alerts from the real daemon: raised at start and on the clock, followed, handed to a
/// command, never raised twice.
@Suite("Year-end alerts from the real daemon", .serialized)
struct AlertTests {
    /// A daemon on the sample data with its clock simulated at `now`, and `configuration` added.
    func daemon(now: String, configuration: String = "") throws -> TrackerProcess {
        try TrackerProcess(arguments: ["--now", now, "--import", Binaries.sampleData],
                           configuration: TrackerProcess.testConfiguration + configuration)
    }

    func alerts(_ daemon: TrackerProcess, _ arguments: String...) throws -> [JSONObject] {
        guard case .array(let list)? = try daemon.json(["alerts"] + arguments)["alerts"] else { return [] }
        return list.compactMap { value in
            if case .object(let object) = value, case .object(let alert)? = object["alert"] { return alert }
            return nil
        }
    }

    @Test("at start on 01/12/2023 the 30/9, 31/10 and 30/11 alerts are raised for each QĐ 569 line; a restart raises nothing again")
    func atStartAndRestart() throws {
        let daemon = try daemon(now: "2023-12-01")
        try waitUntil("the 9 alerts due by 01/12/2023") { try alerts(daemon).count == 9 }
        let raised = try alerts(daemon)
        #expect(Set(raised.compactMap { if case .string(let c)? = $0["checkpoint"] { return c } else { return nil } }) == ["30/09", "31/10", "30/11"])
        let november = raised.filter { $0["checkpoint"] == .string("30/11") }
        #expect(november.compactMap { alert -> Int64? in if case .int(let r)? = alert["rate_milli"] { return r } else { return nil } }.sorted() == [54, 2_241, 3_402])
        #expect(raised.allSatisfy { $0["simulated"] == .bool(true) })
        #expect(daemon.daemonLog.contains("ALERT [30/11] BDT 569/QĐ-UBND (QNG, 2023) 860/KH-BDT#1: disbursed 3,402% by 30/11/2023"))
        let logged = daemon.daemonLog.components(separatedBy: "ALERT [").count - 1
        daemon.stop()
        // start() returns once the daemon logged that it serves, and its check at start records
        // (and logs) every alert due before that line: an alert raised again would be counted here.
        try daemon.start(arguments: ["--now", "2023-12-01"])
        #expect(try alerts(daemon).count == 9)
        #expect(daemon.daemonLog.components(separatedBy: "ALERT [").count - 1 == logged)
        // Every output says the clock is simulated.
        #expect(try daemon.ok("status").contains("SIMULATED CLOCK"))
    }

    @Test("a client following alerts receives an alert raised while it is connected")
    func follow() throws {
        let daemon = try daemon(now: "2023-12-01")
        try waitUntil("the 9 alerts due by 01/12/2023") { try alerts(daemon).count == 9 }
        let output = daemon.directory + "/follow.out", notes = daemon.directory + "/follow.err"
        let follower = try RunningProgram(Binaries.trackctl, ["alerts", "--follow", "--socket", daemon.socket], stdout: output, stderr: notes)
        // Wait until the daemon counts the follower, then cross 15/12. trackctl says it follows once
        // the daemon's answer came, and the daemon subscribes the connection in the same turn of its
        // event loop as it sends that answer, before it reads any other request.
        waitUntil("trackctl alerts --follow to say it follows") {
            ((try? String(contentsOfFile: notes, encoding: .utf8)) ?? "").contains("following alerts from ")
        }
        let moved = try daemon.ok("clock", "set", "2023-12-16")
        #expect(moved.contains("16/12/2023"))
        waitUntil("the three 15/12 alerts to reach the follower") {
            (try? String(contentsOfFile: output, encoding: .utf8))?.components(separatedBy: "ALERT [15/12]").count == 4
        }
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("860/KH-BDT#2: disbursed 0,054% by 15/12/2023, behind the straight line"))
        #expect(!text.contains("[30/11]"), "only alerts raised while connected are streamed")
        // Ctrl-C ends the follow.
        follower.signal(SIGINT)
        #expect(follower.waitForExit(seconds: 30), "trackctl alerts --follow did not stop on SIGINT")
    }

    // Changed with late alerts: on 01/12/2023 the 30/09 and 31/10 checkpoints passed more than 30
    // days before (late_after_days), so only the three 30/11 alerts reach the command; with
    // late_after_days = 90 all nine do, as before.
    @Test("the configured command receives each alert raised in time as JSON on stdin, and no late one")
    func command() throws {
        for (lateAfter, expected) in [(nil, ["30/11"]), (90, ["30/09", "31/10", "30/11"])] as [(Int?, Set<String>)] {
            let scratch = try TemporaryDirectory(prefix: "cmd")
            let received = scratch.path + "/received.jsonl"
            let daemon = try daemon(now: "2023-12-01", configuration: """
                [alerts]
                command = /bin/sh -c "cat >> \(received)"
                command_timeout_seconds = 20
                \(lateAfter.map { "late_after_days = \($0)" } ?? "")
                """)
            try waitUntil("the 9 alerts due by 01/12/2023") { try alerts(daemon).count == 9 }
            // The stop drains the command's queue: whatever the daemon handed it has arrived by then.
            #expect(daemon.stop() == 0)
            let lines = try String(contentsOfFile: received, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == expected.count * 3)
            var checkpoints: Set<String> = []
            for line in lines {
                guard case .object(let object) = try JSONParser().parse(String(line)) else { Issue.record("not JSON: \(line)"); continue }
                #expect(object["alert", "decision"] == .string("569/QĐ-UBND@QNG/2023"))
                #expect(object["alert", "late_days"] == nil)
                #expect(object["message"] != nil)
                if case .string(let checkpoint)? = object["alert", "checkpoint"] { checkpoints.insert(checkpoint) }
            }
            #expect(checkpoints == expected)
        }
    }

    @Test("history loaded in 2026 raises its 2023 alerts as late: recorded with how late, listed, never pushed as new")
    func lateHistory() throws {
        let scratch = try TemporaryDirectory(prefix: "late")
        let received = scratch.path + "/received.jsonl"
        let daemon = try daemon(now: "2026-12-02", configuration: "[alerts]\ncommand = /bin/sh -c \"cat >> \(received)\"\n")
        // 30/09, 31/10, 30/11, 15/12 and 31/12/2023 and 31/01/2024 for the three lines of QĐ 569.
        try waitUntil("the 18 alerts of budget year 2023") { try alerts(daemon).count == 18 }
        let raised = try alerts(daemon)
        let september = try #require(raised.first { $0["checkpoint"] == .string("30/09") })
        // 30/09/2023 to 02/12/2026: 1.159 days.
        #expect(september["late_days"] == .int(1_159))
        #expect(raised.allSatisfy { if case .int(let days)? = $0["late_days"] { days > 30 } else { false } })
        #expect(!daemon.daemonLog.contains("ALERT ["), "a late alert is not logged as a new warning")
        #expect(daemon.daemonLog.contains("recorded 18 late alerts for checkpoints that passed before their history was recorded (the oldest 30/09/2023)"))
        let text = try daemon.ok("alerts")
        #expect(text.contains("Late"))
        #expect(text.contains("1159 days"))
        #expect(text.contains("Late: 18 of 18 raised that many days after their checkpoint"))
        let record = try daemon.json("log", "--tail", "1")
        #expect(record["type"] == .string("alert.raised") && record["v"] == .int(Int64(AlertRaised.version)))
        #expect(record["body", "late_days"] != nil)
        #expect(try daemon.ok("log", "--tail", "1").contains("late: raised"))
        #expect(daemon.stop() == 0)
        #expect(((try? String(contentsOfFile: received, encoding: .utf8)) ?? "").isEmpty, "no late alert is handed to the command")
    }

    @Test("a follower receives the alerts raised in time and none of the late ones raised with them")
    func followSkipsLate() throws {
        let daemon = try TrackerProcess(arguments: ["--now", "2023-12-01"])
        let output = daemon.directory + "/follow.out", notes = daemon.directory + "/follow.err"
        let follower = try RunningProgram(Binaries.trackctl, ["alerts", "--follow", "--socket", daemon.socket], stdout: output, stderr: notes)
        waitUntil("trackctl alerts --follow to say it follows") {
            ((try? String(contentsOfFile: notes, encoding: .utf8)) ?? "").contains("following alerts from ")
        }
        _ = try daemon.ok("import", Binaries.sampleData)
        _ = try daemon.ok("clock", "set", "2023-12-02")
        // Each line's 30/09 and 31/10 alerts (63 and 32 days late) are recorded before its 30/11
        // alert (2 days), in the order pushed: once the third 30/11 alert is in, any late one would be too.
        waitUntil("the three 30/11 alerts to reach the follower") {
            (try? String(contentsOfFile: output, encoding: .utf8))?.components(separatedBy: "ALERT [30/11]").count == 4
        }
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(!text.contains("[30/09]") && !text.contains("[31/10]"))
        #expect(try alerts(daemon).count == 9)
        follower.signal(SIGINT)
        #expect(follower.waitForExit(seconds: 30), "trackctl alerts --follow did not stop on SIGINT")
    }

    @Test("late_after_days is checked: a value out of range stops the start naming the key")
    func lateAfterDaysChecked() throws {
        let daemon = try TrackerProcess(configuration: TrackerProcess.testConfiguration + "[alerts]\nlate_after_days = 0\n", start: false)
        var refusal = ""
        do { try daemon.start() } catch let failure as DaemonFailed { refusal = failure.message }
        #expect(refusal.hasPrefix("trackerd exited with status ") && !refusal.hasPrefix("trackerd exited with status 0:"))
        #expect(daemon.daemonLog.contains("late_after_days") && daemon.daemonLog.contains("from 1 to 3660"), "\(daemon.daemonLog)")
    }

    @Test("a failing or hanging alert command is logged and does not stop the daemon")
    func badCommands() throws {
        let failing = try daemon(now: "2023-12-01", configuration: "[alerts]\ncommand = /bin/false\n")
        waitUntil("the log to say the alert command /bin/false failed") { failing.daemonLog.contains("alert command /bin/false failed") }
        #expect(try alerts(failing).count == 9)
        _ = try failing.ok("disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "UNC-F1")
        let missing = try daemon(now: "2023-12-01", configuration: "[alerts]\ncommand = /nonexistent/notify\n")
        waitUntil("the log to say the alert command could not start") { missing.daemonLog.contains("could not start") }
        _ = try missing.ok("status")
        let hanging = try daemon(now: "2023-12-01", configuration: "[alerts]\ncommand = /bin/sleep 600\ncommand_timeout_seconds = 1\n")
        // The daemon answers at once while the command hangs, and the command is killed at its limit.
        _ = try hanging.ok("status")
        #expect(try alerts(hanging).count == 9)
        waitUntil("the log to say the hanging alert command was killed at its limit", seconds: 60) {
            hanging.daemonLog.contains("took longer than 1 s") && hanging.daemonLog.contains("was killed")
        }
        #expect(hanging.stop() == 0)
    }

    @Test("faketime moves the real binary's clock: under faketime 2023-12-01 the alerts of that day are raised")
    func faketime() throws {
        let path = try #require(Binaries.tool("/usr/bin/faketime", "/usr/local/bin/faketime"),
                                "faketime is not installed (scripts/test installs it with apt-get)")
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData], wrapper: [path, "2023-12-01 08:00:00"])
        func hello() throws -> JSONObject? {
            let result = try runProgram("/usr/bin/env", ["socat", "-t", "5", "-", "UNIX-CONNECT:\(daemon.socket)"], stdin: #"{"id":1,"op":"hello"}"# + "\n")
            guard result.status == 0, case .object(let object)? = try? JSONParser().parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
            return object
        }
        try waitUntil("socat to get an answer to hello", seconds: 60) { try hello() != nil }
        let answer = try #require(try hello())
        #expect(answer["result", "today"] == .string("2023-12-01"))
        #expect(answer["result", "simulated"] == .bool(false))
        waitUntil("the log to show the 30/11 alerts: \(daemon.daemonLog)") { daemon.daemonLog.contains("ALERT [30/11]") }
    }

    @Test("carry-over and lapse from the command line: the carried line stands apart in the new year")
    func carryOverAndLapse() throws {
        let daemon = try daemon(now: "2024-03-01")
        let carried = try daemon.ok("carry-over", "25/QĐ-UBND", "--from", "569/QĐ-UBND", "--date", "2024-01-15",
                                    "--line", "860/KH-BDT#2=250tr", "--note", "Hợp đồng ký trước 31/12/2023")
        #expect(carried.contains("recorded carry-over 25/QĐ-UBND (QNG, 2024): 250.000.000 đ from 569/QĐ-UBND (QNG, 2023) into budget year 2024"))
        let status2024 = try daemon.ok("status", "--year", "2024")
        #expect(status2024.contains("Carried over from earlier budget years (chuyển nguồn)"))
        #expect(status2024.contains("from 569/QĐ-UBND"))
        let lapsed = try daemon.ok("lapse", "569/QĐ-UBND", "--date", "2024-02-15", "--reason", "CV 123/STC-QLNS")
        #expect(lapsed.contains("341.954.000 đ under 569/QĐ-UBND (QNG, 2023) lapsed on 15/02/2024"))
        let json = try daemon.json("status", "--by", "decision")
        #expect(json["total", "allocated"] == .int(600_000_000))
        #expect(json["total", "carried_out"] == .int(250_000_000))
        #expect(json["total", "lapsed"] == .int(341_954_000))
        #expect(json["total", "remaining"] == .int(0))
        #expect(json["carried_total", "allocated"] == .int(250_000_000))
    }

    @Test("known at a time, a disbursement recorded after it is absent")
    func knownAt() throws {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData])
        _ = try daemon.ok("disburse", "860/KH-BDT#1", "10tr", "--date", "2023-12-10", "--ref", "UNC-K1")
        let record = try daemon.json("log", "--tail", "1")
        guard case .string(let time)? = record["time"] else { Issue.record("no record time"); return }
        #expect(record["body", "ref"] == .string("UNC-K1"))
        // The next record's time must be later: the writer stamps a record with the real time, never
        // earlier than the last record's.
        let recorded = try Timestamp.parse(time)
        waitUntil("the real clock to pass the first record's time \(time)") { recorded < Timestamp.systemNow() }
        _ = try daemon.ok("disburse", "860/KH-BDT#1", "20tr", "--date", "2023-12-11", "--ref", "UNC-K2")
        let then = try daemon.json("status", "--as-of", "2023-12-31", "--known-at", time)
        #expect(then["total", "disbursed"] == .int(8_046_000 + 10_000_000))
        let now = try daemon.json("status", "--as-of", "2023-12-31")
        #expect(now["total", "disbursed"] == .int(8_046_000 + 30_000_000))
        // Both together: known now, as of the 10th.
        let both = try daemon.json("status", "--as-of", "2023-12-10", "--known-at", time)
        #expect(both["total", "disbursed"] == .int(8_046_000 + 10_000_000))
    }
}
