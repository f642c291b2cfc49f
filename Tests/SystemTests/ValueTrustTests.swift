import Events
import Foundation
import Glibc
import Testing

/// Issue 9, the values the daemon is handed: backup directories, clocks, sums of money, payment
/// references, text printed for a person, and the arguments of the programs themselves. Each test
/// is an attack from the issue, run against the real binaries.
@Suite("Trust in values: backups, clocks, sums, references, terminals, arguments", .serialized)
struct ValueTrustTests {
    /// The sample data, with no checkpoints (no alerts to count around).
    func sample(_ arguments: [String] = []) throws -> TrackerProcess {
        try TrackerProcess(arguments: ["--import", Binaries.sampleData] + arguments,
                           configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
    }

    /// A `--json` answer of trackctl that may be a refusal: (exit status, object or nil, stderr).
    func attempt(_ daemon: TrackerProcess, _ arguments: String...) throws -> (status: Int32, result: JSONObject?, stderr: String) {
        let run = try daemon.ctl(arguments + ["--json"])
        var object: JSONObject? = nil
        if run.status == 0, case .object(let parsed)? = try? JSONParser().parse(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) {
            object = parsed
        }
        return (run.status, object, run.stderr)
    }

    /// The records the daemon serves (its head seq).
    func headSeq(_ daemon: TrackerProcess) throws -> Int64? {
        if case .int(let seq)? = try daemon.json("head")["seq"] { return seq }
        return nil
    }

    // MARK: Finding 1: backups never follow a link and never overwrite a file

    @Test("backup refuses a directory planted with links, a non-empty one and a linked one; the live store is untouched and restarts whole")
    func backupRefusesPlantedDirectories() throws {
        let daemon = try sample()
        let segment = try #require(try daemon.segments().first)
        let before = try Data(contentsOf: URL(fileURLWithPath: segment))
        let head = try headSeq(daemon)
        #expect(head == 65)
        let attacker = try TemporaryDirectory(prefix: "atk")
        // A file elsewhere that only its owner may read or write, as the issue's root-owned 0600 file.
        let secret = attacker.path + "/secret"
        try "secret\n".write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o600)

        // The issue's attack: DIR/BACKUP.tmp → the live segment; and the configuration's temporary name → the secret.
        for (name, target) in [("BACKUP.tmp", segment), ("trackerd.conf.tmp", secret), ("BACKUP", segment)] {
            let directory = attacker.path + "/planted-" + name
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            #expect(symlink(target, directory + "/" + name) == 0)
            let refused = try daemon.ctl("backup", directory)
            #expect(refused.status == 1, "a backup into a directory holding a link to \(target) must be refused: \(refused.stdout)")
            #expect(refused.stderr.contains("is not empty"), "\(refused.stderr)")
            // The same over the socket, as any client would send it.
            let raw = try #require(LineClient(socket: daemon.socket)).call(#"{"id":1,"op":"backup","directory":"\#(directory)"}"#)
            #expect(raw?["ok"] == .bool(false), "\(String(describing: raw))")
        }
        // A non-empty directory holding a trackerd.conf of its own.
        let occupied = attacker.path + "/occupied"
        try FileManager.default.createDirectory(atPath: occupied, withIntermediateDirectories: false)
        try "[limits]\nmax_connections = 1\n".write(toFile: occupied + "/trackerd.conf", atomically: true, encoding: .utf8)
        let intoOccupied = try daemon.ctl("backup", occupied)
        #expect(intoOccupied.status == 1)
        #expect(intoOccupied.stderr.contains("is not empty") && intoOccupied.stderr.contains("trackerd.conf"), "\(intoOccupied.stderr)")
        #expect(try String(contentsOfFile: occupied + "/trackerd.conf", encoding: .utf8) == "[limits]\nmax_connections = 1\n")
        // A link to an empty directory: the backup directory itself must not be a link.
        let elsewhere = attacker.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
        let linked = attacker.path + "/linked"
        #expect(symlink(elsewhere, linked) == 0)
        let intoLink = try daemon.ctl("backup", linked)
        #expect(intoLink.status == 1)
        #expect(intoLink.stderr.contains("symbolic link"), "\(intoLink.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty, "nothing was written through the link")
        // An empty directory of another user is refused too (the tests run as root: act as nobody).
        if getuid() == 0 {
            let foreign = attacker.path + "/foreign"
            try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: false)
            #expect(chown(foreign, 65534, 65534) == 0)
            let intoForeign = try daemon.ctl("backup", foreign)
            #expect(intoForeign.status == 1)
            #expect(intoForeign.stderr.contains("belongs to uid 65534"), "\(intoForeign.stderr)")
        }

        // Nothing outside a backup directory changed: the live segment, the secret.
        #expect(try Data(contentsOf: URL(fileURLWithPath: segment)) == before, "the live segment was overwritten")
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "secret\n")
        #expect(try daemon.ctl("verify").status == 0)
        // A backup into an empty directory of the daemon's own user still works, and into a new one.
        let empty = attacker.path + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        let intoEmpty = try daemon.ctl("backup", empty)
        #expect(intoEmpty.status == 0, "\(intoEmpty.stderr)")
        #expect(try daemon.ctl("verify", "--offline", "--data-dir", empty, "--against", empty + "/BACKUP").status == 0)
        // The daemon made it: not readable by others.
        var info = stat()
        #expect(stat(empty + "/log", &info) == 0 && info.st_mode & 0o007 == 0)
        // Restarted, the store serves every record and still verifies.
        daemon.stop()
        try daemon.start(arguments: [])
        #expect(try headSeq(daemon) == 65)
        #expect(try daemon.ctl("verify").status == 0)
        #expect(try daemon.json("status", "--as-of", "2023-11-30")["total", "disbursed"] == .int(8_046_000))
    }

    // MARK: Finding 3: no date the daemon makes is one its reader refuses

    @Test("a dry run on a clock past the readable years is refused at the door, and the store still starts and verifies")
    func clockOutsideTheYearsIsRefused() throws {
        let store = try TemporaryDirectory()
        try (TrackerProcess.testConfiguration).write(toFile: store.path + "/trackerd.conf", atomically: true, encoding: .utf8)
        // The issue's exact dry run: 2199-12-31T23:00Z is already 01/01/2200 in Asia/Ho_Chi_Minh.
        let dryRun = try runProgram(Binaries.trackerd, ["--data-dir", store.path, "--socket", store.path + "/trackerd.sock",
                                                         "--import", Binaries.sampleData, "--now", "2199-12-31T23:00:00Z"], timeout: 60)
        #expect(dryRun.status == 2, "trackerd --now 2199-12-31T23:00:00Z must be refused: \(dryRun.stderr)")
        #expect(dryRun.stderr.contains("01/01/1950") && dryRun.stderr.contains("31/12/2198"), "the message names the range: \(dryRun.stderr)")
        // The store starts afterwards and verifies, whatever the dry run left.
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData], reusing: store)
        #expect(try daemon.ctl("verify").status == 0)
        daemon.stop()
        #expect(try daemon.ctl("verify", "--offline", "--data-dir", daemon.directory).status == 0)
    }

    @Test("clock.set 2199-12-31 is refused with the range, over trackctl and the socket; the store restarts and verifies")
    func clockSetOutsideTheYearsIsRefused() throws {
        let daemon = try sample(["--now", "2023-12-01"])
        let moved = try daemon.ctl("clock", "set", "2199-12-31")
        #expect(moved.status == 1, "\(moved.stdout)")
        #expect(moved.stderr.contains("31/12/2198"), "\(moved.stderr)")
        let raw = try #require(LineClient(socket: daemon.socket)).call(#"{"id":1,"op":"clock.set","now":"2199-12-31"}"#)
        #expect(raw?["ok"] == .bool(false))
        #expect(raw?["error", "code"] == .string("invalid_argument"))
        let early = try #require(LineClient(socket: daemon.socket)).call(#"{"id":1,"op":"clock.set","now":"1949-12-31T20:00:00Z"}"#)
        #expect(early?["ok"] == .bool(false), "before 1950 in UTC the record time could not be read back either")
        // The clock did not move: a disbursement of today is still judged on 01/12/2023.
        #expect(try #require(LineClient(socket: daemon.socket)).call(#"{"id":1,"op":"hello"}"#)?["result", "today"] == .string("2023-12-01"))
        daemon.stop()
        try daemon.start(arguments: ["--now", "2023-12-01"])
        #expect(try daemon.ctl("verify").status == 0)
    }

    @Test("a real clock past the readable years (faketime 2200) is refused at start")
    func realClockOutsideTheYearsIsRefused() throws {
        let faketime = try #require(["/usr/bin/faketime", "/usr/local/bin/faketime"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                    "faketime is not installed (scripts/test installs it with apt-get)")
        let daemon = try TrackerProcess(wrapper: [faketime, "2200-01-02 00:00:00"], start: false)
        var refusal = ""
        do { try daemon.start() } catch let failure as DaemonFailed { refusal = failure.message }
        // `start` throws "trackerd exited with status N" when the daemon ends before it serves.
        #expect(refusal.hasPrefix("trackerd exited with status ") && !refusal.hasPrefix("trackerd exited with status 0:"),
                "trackerd on a real clock in 2200 must refuse to start: \(refusal.isEmpty ? daemon.daemonLog : refusal)")
        #expect(daemon.daemonLog.contains("31/12/2198"), "\(daemon.daemonLog)")
    }

    @Test("a carry-over out of budget year 2199 (into 2200, a year the log cannot hold) is refused; the store restarts")
    func carryOverPastTheYearsIsRefused() throws {
        let daemon = try TrackerProcess(arguments: ["--now", "2198-12-31T08:00"], configuration: TrackerProcess.testConfiguration + "[checkpoints]\n")
        _ = try daemon.ok("agency", "add", "END", "--name", "End of the calendar")
        _ = try daemon.ok("plan", "create", "END-2199", "--agency", "END", "--date", "2198-12-01", "--period", "2199", "--title", "Last year")
        _ = try daemon.ok("task", "add", "END-2199#1", "--name", "Last task", "--period", "2199")
        _ = try daemon.ok("allocate", "1/QĐ-END", "--agency", "END", "--year", "2199", "--date", "2198-12-30", "--line", "END-2199#1=10tr")
        let carried = try daemon.ctl("carry-over", "2/QĐ-END", "--from", "1/QĐ-END", "--date", "2198-12-31", "--line", "END-2199#1=5tr")
        #expect(carried.status == 1, "a carry-over into 2200 must be refused: \(carried.stdout)")
        #expect(carried.stderr.contains("2200"), "\(carried.stderr)")
        daemon.stop()
        try daemon.start(arguments: ["--now", "2198-12-31T08:00"])
        #expect(try daemon.ctl("verify").status == 0)
        #expect(try headSeq(daemon) == 5)
    }

    // MARK: Finding 4: no sum of money traps

    /// An agency, a plan and a task for the overflow attacks.
    func overflowTask(_ daemon: TrackerProcess) throws {
        _ = try daemon.ok("agency", "add", "OVF", "--name", "Overflow")
        _ = try daemon.ok("plan", "create", "OVF-2023", "--agency", "OVF", "--date", "2023-01-02", "--period", "2023-2024", "--title", "Large")
        _ = try daemon.ok("task", "add", "OVF-2023#1", "--name", "Large task", "--period", "2023-2024")
    }

    /// Every query a viewer can ask answers (none traps the daemon).
    func everyQueryAnswers(_ daemon: TrackerProcess) throws {
        for query in [["tasks"], ["overdue"], ["status"], ["status", "--by", "task"], ["status", "--by", "agency"], ["status", "--by", "year"],
                      ["status", "--as-of", "2023-03-15"], ["tasks", "--as-of", "2023-03-15"], ["plans"], ["alerts"]] {
            let run = try daemon.ctl(query)
            #expect(run.status == 0, "trackctl \(query.joined(separator: " ")) failed: \(run.stderr)")
        }
    }

    @Test("allocating 9e18 đ and carrying it over in full is refused with the numbers; tasks, overdue and status answer, also after a restart")
    func carriedOverSumsDoNotOverflow() throws {
        let daemon = try sample()
        try overflowTask(daemon)
        _ = try daemon.ok("allocate", "1/QĐ-OVF", "--agency", "OVF", "--year", "2023", "--date", "2023-02-01", "--line", "OVF-2023#1=9000000000000000000")
        let carried = try attempt(daemon, "carry-over", "2/QĐ-OVF", "--from", "1/QĐ-OVF", "--date", "2023-12-20", "--line", "OVF-2023#1=9000000000000000000")
        #expect(carried.status == 1, "the carry-over would make the allocated total overflow: \(String(describing: carried.result))")
        #expect(carried.stderr.contains("9.000.000.000.000.000.000 đ") && carried.stderr.contains("9.223.372.036.854.775.807 đ"), "\(carried.stderr)")
        try everyQueryAnswers(daemon)
        daemon.stop()
        try daemon.start(arguments: [])
        try everyQueryAnswers(daemon)
    }

    @Test("a disbursement that would make past disbursements add up beyond Int64 (reversed, then paid again earlier) is refused; as-of queries answer")
    func grossDisbursementsDoNotOverflow() throws {
        let daemon = try sample()
        try overflowTask(daemon)
        _ = try daemon.ok("allocate", "1/QĐ-OVF", "--agency", "OVF", "--year", "2023", "--date", "2023-02-01", "--line", "OVF-2023#1=6000000000000000000")
        _ = try daemon.ok("disburse", "OVF-2023#1", "6000000000000000000", "--date", "2023-03-10", "--ref", "OVF-A")
        _ = try daemon.ok("reverse", "OVF-A", "--reason", "paid twice", "--date", "2023-03-20")
        // As of 15/03 the first payment counts and its reversal does not: a second one dated 05/03 would make 12e18 đ.
        let again = try attempt(daemon, "disburse", "OVF-2023#1", "6000000000000000000", "--date", "2023-03-05", "--ref", "OVF-B")
        #expect(again.status == 1, "\(String(describing: again.result))")
        #expect(again.stderr.contains("6.000.000.000.000.000.000 đ"), "\(again.stderr)")
        try everyQueryAnswers(daemon)
        daemon.stop()
        try daemon.start(arguments: [])
        try everyQueryAnswers(daemon)
    }

    // MARK: Finding 10: payment references are compared exactly

    @Test("CÕNF-1 and conf-1 are payments of their own after CONF-1; a retry with another note says so; another amount is a conflict")
    func paymentReferencesAreExact() throws {
        let daemon = try sample()
        func disburse(_ ref: String, amount: String = "1000", note: String? = nil) throws -> (status: Int32, result: JSONObject?, stderr: String) {
            var arguments = ["disburse", "860/KH-BDT#1", amount, "--date", "2023-12-01", "--ref", ref]
            if let note { arguments += ["--note", note] }
            let run = try daemon.ctl(arguments + ["--json"])
            var object: JSONObject? = nil
            if case .object(let parsed)? = try? JSONParser().parse(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) { object = parsed }
            return (run.status, object, run.stderr)
        }
        let before = try daemon.json("status")["total", "disbursed"]
        #expect(try disburse("CONF-1", note: "first payment").result?["recorded"] == .bool(true))
        #expect(try disburse("CÕNF-1").result?["recorded"] == .bool(true), "a reference with another letter is another payment")
        #expect(try disburse("conf-1").result?["recorded"] == .bool(true), "a reference in another case is another payment")
        // The same payment sent again, with surrounding spaces, is the retry it is.
        #expect(try disburse(" CONF-1 ", note: "first payment").result?["recorded"] == .bool(false))
        // Another amount under the same reference is a conflict.
        let conflict = try disburse("CONF-1", amount: "2000", note: "first payment")
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains("(conflict)"), "\(conflict.stderr)")
        // Another note: not recorded, and the answer says so, naming both notes.
        let noted = try disburse("CONF-1", note: "second thoughts")
        #expect(noted.result?["recorded"] == .bool(false))
        let message = noted.result.flatMap { try? $0.string("message") } ?? ""
        #expect(message.contains("note") && message.contains("first payment") && message.contains("second thoughts") && message.contains("not recorded"),
                "\(message)")
        let text = try daemon.ctl("disburse", "860/KH-BDT#1", "1000", "--date", "2023-12-01", "--ref", "CONF-1")
        #expect(text.stdout.contains("not recorded") && text.stdout.contains("first payment"), "no note given differs from the recorded note too: \(text.stdout)")
        // An import retrying it with another note names the line and both notes.
        let file = daemon.directory + "/retry.tracker"
        try "disburse 860/KH-BDT#1 1000 --date 2023-12-01 --ref CONF-1 --note \"from the file\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try daemon.ok("import", file)
        #expect(imported.contains("line 1: payment CONF-1 is already recorded") && imported.contains("\"first payment\"")
                && imported.contains("\"from the file\""), "\(imported)")
        guard case .int(let start)? = before else { Issue.record("no total"); return }
        #expect(try daemon.json("status")["total", "disbursed"] == .int(start + 3000))
        // A restart replays the three payments; reversing one by its exact reference works, by another case does not.
        daemon.stop()
        try daemon.start(arguments: [])
        #expect(try daemon.json("status")["total", "disbursed"] == .int(start + 3000))
        #expect(try daemon.ctl("reverse", "Conf-1", "--reason", "no such payment").status == 1)
        _ = try daemon.ok("reverse", "conf-1", "--reason", "entered twice")
        #expect(try daemon.json("status")["total", "disbursed"] == .int(start + 2000))
    }

    // MARK: Finding 12: text from the log cannot drive the terminal

    /// Whether `text` holds a character that moves the cursor, changes colours or reorders text:
    /// C0 controls other than the newline, DEL, C1 controls, bidirectional overrides and isolates.
    func drivesTheTerminal(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0A: false
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }
    }

    @Test("a note, a title and a name with terminal escapes are printed escaped for a person and exactly as stored in --json")
    func terminalEscapesAreEscaped() throws {
        let daemon = try sample()
        let note = "ok\u{1B}[2K\r\u{1B}[32mverified: the chain is whole\u{1B}[0m"
        let title = "Kế hoạch \u{202E}gnissim\u{202C} \u{1B}]0;pwned\u{07}\u{9B}31m"
        _ = try daemon.ok("disburse", "860/KH-BDT#1", "1000", "--date", "2023-12-01", "--ref", "ESC-1", "--note", note)
        _ = try daemon.ok("agency", "add", "ESC", "--name", "Agency \u{1B}[31mred\u{1B}[0m")
        _ = try daemon.ok("plan", "create", "ESC-2023", "--agency", "ESC", "--date", "2023-01-02", "--period", "2023", "--title", title)
        _ = try daemon.ok("task", "add", "ESC-2023#1", "--name", "Task\u{1B}[1A\u{1B}[2Kgone", "--period", "2023")
        _ = try daemon.ok("allocate", "1/QĐ-ESC", "--agency", "ESC", "--year", "2023", "--date", "2023-02-01", "--line", "ESC-2023#1=1tr")

        let log = try daemon.ok("log", "--tail", "6")
        #expect(!drivesTheTerminal(log), "trackctl log printed raw control characters: \(log.debugDescription)")
        #expect(log.contains("ok\\u{1B}[2K\\u{D}\\u{1B}[32mverified"), "\(log)")
        for view in [["plans"], ["status", "--by", "plan"], ["status", "--by", "agency"], ["status"], ["tasks"], ["overdue", "--as-of", "2024-06-01"]] {
            let run = try daemon.ctl(view)
            #expect(run.status == 0, "\(run.stderr)")
            let text = run.stdout
            #expect(!drivesTheTerminal(text), "trackctl \(view.joined(separator: " ")) printed raw control characters: \(text.debugDescription)")
        }
        #expect(try daemon.ok("plans").contains("\\u{202E}gnissim"))
        // A refusal echoing the stored name is escaped too.
        let again = try daemon.ctl("agency", "add", "ESC", "--name", "Another name")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already registered") && !drivesTheTerminal(again.stderr), "\(again.stderr.debugDescription)")
        // The machine's forms stay exactly as stored.
        let records = try daemon.ctl("log", "--tail", "6", "--json").stdout.split(separator: "\n")
        let disbursement = try records.compactMap { line -> JSONObject? in
            guard case .object(let record) = try JSONParser().parse(String(line)) else { return nil }
            return record["type"] == .string("disbursement.recorded") ? record : nil
        }.first
        #expect(disbursement?["body", "note"] == .string(note))
        guard case .array(let plans)? = try daemon.json("plans")["plans"] else { Issue.record("no plans"); return }
        #expect(plans.contains { if case .object(let plan) = $0 { return plan["title"] == .string(title) } else { return false } })
    }

    // MARK: Finding 14: arguments under a raw LD_PRELOAD

    /// Debian's libfaketime, preloaded raw (not through the faketime wrapper).
    var libfaketime: String? {
        ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
         "/usr/lib/faketime/libfaketime.so.1"].first { FileManager.default.fileExists(atPath: $0) }
    }

    @Test("under a raw LD_PRELOAD of libfaketime both programs keep their arguments: --version, --data-dir, --socket")
    func argumentsUnderPreload() throws {
        let library = try #require(libfaketime, "libfaketime is not installed (scripts/test installs faketime with apt-get)")
        // A home of its own, so a daemon that lost its arguments cannot touch a real default store.
        let home = try TemporaryDirectory(prefix: "home")
        let environment = ["LD_PRELOAD": library, "HOME": home.path, "XDG_STATE_HOME": home.path + "/state"]
        let version = try runProgram(Binaries.trackerd, ["--version"], environment: environment, timeout: 30)
        #expect(version.status == 0 && version.stdout.hasPrefix("trackerd "), "trackerd --version under the preload: \(version.stdout) \(version.stderr)")
        let ctlVersion = try runProgram(Binaries.trackctl, ["--version"], environment: environment, timeout: 30)
        #expect(ctlVersion.status == 0 && ctlVersion.stdout.hasPrefix("trackctl "), "trackctl --version under the preload: \(ctlVersion.stdout)")

        let daemon = try TrackerProcess(environment: environment, start: false)
        let socket = daemon.socket
        try daemon.start()
        let served = LineClient(socket: socket, timeout: 5)?.call(#"{"id":1,"op":"head"}"#)?["ok"] == .bool(true)
        #expect(served, "trackerd under the preload did not serve the store named by --data-dir/--socket")
        #expect(!FileManager.default.fileExists(atPath: home.path + "/state/tracker"), "trackerd under the preload opened the default store")
        if served {
            let head = try runProgram(Binaries.trackctl, ["head", "--json", "--socket", socket], environment: environment, timeout: 30)
            #expect(head.status == 0 && head.stdout.contains("\"seq\":0"), "trackctl head under the preload: \(head.stdout) \(head.stderr)")
        }
    }
}
