import Events
import Foundation
import Glibc
import Testing

/// `trackerd --read-only` and `trackctl --store`: every query answered from a store that is
/// stopped, live beside its writer, a backup, or a copy its reader cannot write; not one byte
/// of it changed; every command refused with `read_only`.
@Suite("Read-only access to any store", .serialized)
struct ReadOnlyTests {
    /// The sample data and the alerts of its start: the records a writer's first start makes.
    static let sampleSeq: Int64 = {
        guard let writer = try? TrackerProcess(arguments: ["--import", Binaries.sampleData]),
              case .int(let seq)? = try? writer.json("head")["seq"] else { return -1 }
        writer.stop()
        return seq
    }()

    /// A stopped store holding the sample data and the alerts of its start (records 1–`sampleSeq`).
    func stoppedSampleStore() throws -> TrackerProcess {
        let writer = try TrackerProcess(arguments: ["--import", Binaries.sampleData])
        #expect(writer.stop() == 0)
        return writer
    }

    /// Every query answers, through trackctl and on the raw socket, and every answer on the
    /// socket says it comes from a daemon that only reads.
    func expectEveryQueryAnswers(_ reader: ReaderProcess, through seq: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for query in [["status", "--as-of", "2023-12-31"], ["status", "--by", "agency"], ["tasks"], ["overdue"], ["plans"], ["alerts"],
                      ["log", "--tail", "3"], ["head"], ["verify"]] {
            let result = try runProgram(Binaries.trackctl, query + ["--socket", reader.socket])
            #expect(result.status == 0, "\(query): \(result.stderr)", sourceLocation: sourceLocation)
        }
        let client = try #require(LineClient(socket: reader.socket), sourceLocation: sourceLocation)
        for (index, op) in ["hello", "head", "status", "tasks", "overdue", "plans", "alerts", "log", "verify"].enumerated() {
            let answer = client.call(#"{"id":\#(index),"op":"\#(op)"}"#)
            #expect(answer?["ok"] == .bool(true), "\(op): \(String(describing: answer))", sourceLocation: sourceLocation)
            #expect(answer?["result", "read_only"] == .bool(true), "\(op) does not say read-only", sourceLocation: sourceLocation)
        }
        #expect(client.call(#"{"id":20,"op":"head"}"#)?["result", "head", "seq"] == .int(seq), sourceLocation: sourceLocation)
        #expect(client.call(#"{"id":21,"op":"verify"}"#)?["result", "verified"] == .bool(true), sourceLocation: sourceLocation)
        let text = try reader.ctl("status", "--as-of", "2023-12-31")
        #expect(text.stdout.contains("read-only: served by a trackerd that only reads its store"), sourceLocation: sourceLocation)
    }

    /// Every kind of command is refused with `read_only`, through trackctl and on the raw socket.
    func expectCommandsRefused(_ reader: ReaderProcess, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let refused = try reader.ctl("disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "RO-1")
        #expect(refused.status == 1, sourceLocation: sourceLocation)
        #expect(refused.stderr.contains("refused (read_only): disburse is refused: this trackerd only reads the store"), "\(refused.stderr)",
                sourceLocation: sourceLocation)
        let client = try #require(LineClient(socket: reader.socket))
        for request in [#"{"id":2,"op":"agency.register","agency":"X","name":"X"}"#,
                        #"{"id":3,"op":"import","commands":[{"op":"agency.register","agency":"X","name":"X"}]}"#,
                        #"{"id":4,"op":"task.status","task":"860/KH-BDT#1","to":"completed","date":"2023-12-01","reason":"r"}"#] {
            #expect(client.call(request)?["error", "code"] == .string("read_only"), "\(request)", sourceLocation: sourceLocation)
        }
    }

    @Test("a read-only daemon on a stopped store answers every query, refuses every command, and changes no byte of it")
    func stoppedStore() throws {
        let writer = try stoppedSampleStore()
        try FileManager.default.removeItem(atPath: writer.logPath)   // the test's own file, not the store's
        let before = try fingerprint(writer.directory)
        let reader = try ReaderProcess(store: writer.directory)
        try expectEveryQueryAnswers(reader, through: Self.sampleSeq)
        try expectCommandsRefused(reader)
        #expect(reader.stop() == 0)
        #expect(try fingerprint(writer.directory) == before)
        #expect(!reader.log.contains("error"), "\(reader.log)")
    }

    @Test("as another user, on a copy owned by someone else that nobody can write, a reader serves the same figures")
    func copyItCannotWrite() throws {
        let setpriv = try #require(AccessTests.setpriv, "setpriv (util-linux) is needed, and the tests must run as root to act as another user")
        let writer = try TrackerProcess(arguments: ["--import", Binaries.sampleData])
        let expected = try writer.json("status", "--as-of", "2023-12-31")
        #expect(writer.stop() == 0)
        try FileManager.default.removeItem(atPath: writer.logPath)
        // The copy: owned by uid 1, group nogroup, no write bit anywhere; nobody may only read it.
        let copies = try TemporaryDirectory(prefix: "copy")
        chmod(copies.path, 0o755)
        let copy = copies.appending("store")
        #expect(try runProgram("/bin/cp", ["-a", writer.directory, copy]).status == 0)
        #expect(try runProgram("/bin/chown", ["-R", "1:65534", copy]).status == 0)
        #expect(try runProgram("/bin/chmod", ["-R", "g+rX,a-w", copy]).status == 0)
        let before = try fingerprint(copy)
        // A trackerd nobody can run, wherever the checkout lives.
        let tools = try TemporaryDirectory(prefix: "bin")
        chmod(tools.path, 0o755)
        let trackerd = tools.appending("trackerd")
        try FileManager.default.copyItem(atPath: Binaries.trackerd, toPath: trackerd)
        chmod(trackerd, 0o755)
        let reader = try ReaderProcess(store: copy, trackerd: trackerd,
                                       wrapper: [setpriv, "--reuid=65534", "--regid=65534", "--groups=65534", "--"])
        try expectEveryQueryAnswers(reader, through: Self.sampleSeq)
        try expectCommandsRefused(reader)
        let answer = try reader.json("status", "--as-of", "2023-12-31")
        #expect(answer["rows"] == expected["rows"])
        #expect(answer["total"] == expected["total"])
        #expect(reader.stop() == 0)
        #expect(try fingerprint(copy) == before)
        // The writer's own start on that copy, as that user, is what cannot work.
        let refused = try runProgram(setpriv, ["--reuid=65534", "--regid=65534", "--groups=65534", "--", trackerd, "--data-dir", copy,
                                               "--socket", reader.place.appending("writer.sock")])
        #expect(refused.status != 0)
        #expect(try fingerprint(copy) == before)
    }

    @Test("beside a live writer a reader takes no lock, follows what the writer records, and the writer starts again while it reads")
    func besideALiveWriter() throws {
        let writer = try TrackerProcess(arguments: ["--import", Binaries.sampleData])
        let reader = try ReaderProcess(store: writer.directory)
        try expectEveryQueryAnswers(reader, through: Self.sampleSeq)
        _ = try writer.ok("disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "LIVE-1")
        waitUntil("the reader to read the next record") { (try? reader.json("head")["seq"]) == .int(Self.sampleSeq + 1) }
        #expect(try reader.json("log", "--tail", "1")["records"] == writer.json("log", "--tail", "1")["records"])
        // The writer stops and starts again while the reader runs: nothing of the reader holds it back.
        #expect(writer.stop() == 0)
        try writer.start()
        _ = try writer.ok("disburse", "860/KH-BDT#2", "2tr", "--date", "2023-12-02", "--ref", "LIVE-2")
        waitUntil("the reader to read the record after it") { (try? reader.json("head")["seq"]) == .int(Self.sampleSeq + 2) }
        #expect(try reader.json("status", "--as-of", "2023-12-31")["total"] == writer.json("status", "--as-of", "2023-12-31")["total"])
        try expectCommandsRefused(reader)
        #expect(try writer.json("head")["seq"] == .int(Self.sampleSeq + 2))
        #expect(reader.stop() == 0)
        #expect(!reader.log.contains("error"), "\(reader.log)")
    }

    @Test("a reader on a backup serves the figures of the backup's head and changes nothing in it")
    func onABackup() throws {
        let writer = try TrackerProcess(arguments: ["--import", Binaries.sampleData])
        let backups = try TemporaryDirectory(prefix: "bak")
        let backup = backups.appending("copy")
        _ = try writer.ok("backup", backup)
        let expected = try writer.json("status", "--as-of", "2023-12-31")
        _ = try writer.ok("disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "AFTER-BACKUP")
        let before = try fingerprint(backup)
        let reader = try ReaderProcess(store: backup)
        try expectEveryQueryAnswers(reader, through: Self.sampleSeq)
        #expect(try reader.json("status", "--as-of", "2023-12-31")["total"] == expected["total"])
        let verified = try reader.ctl("verify", "--against", backup + "/BACKUP")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(reader.stop() == 0)
        #expect(try fingerprint(backup) == before)
    }

    @Test("a torn tail is not an error to a reader: it reads through the last whole record and leaves the bytes where they are")
    func tornTail() throws {
        let writer = try stoppedSampleStore()
        try FileManager.default.removeItem(atPath: writer.logPath)
        let segment = try #require(try writer.segments().last)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: segment))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"seq":\#(Self.sampleSeq + 1),"time":"2026-12-0"#.utf8))
        try handle.close()
        let before = try fingerprint(writer.directory)
        let reader = try ReaderProcess(store: writer.directory)
        #expect(reader.log.contains("bytes after record \(Self.sampleSeq) are not a whole record"))
        #expect(try reader.json("head")["seq"] == .int(Self.sampleSeq))
        #expect(try reader.json("verify")["verified"] == .bool(true))
        #expect(reader.stop() == 0)
        #expect(try fingerprint(writer.directory) == before)
    }

    @Test("a reader refuses a store whose history is damaged, as the writer does, naming the record")
    func damagedHistory() throws {
        let writer = try stoppedSampleStore()
        let segment = try #require(try writer.segments().last)
        var text = try String(contentsOfFile: segment, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"amount\":3402000", with: "\"amount\":3402001")
        try text.write(toFile: segment, atomically: false, encoding: .utf8)
        let place = try TemporaryDirectory(prefix: "rdr")
        let result = try runProgram(Binaries.trackerd, ["--read-only", "--data-dir", writer.directory, "--socket", place.appending("s")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("has been changed: its hash does not match its bytes"), "\(result.stderr)")
    }

    @Test("trackctl --store reads a stopped store with no daemon, says so, writes nothing and leaves nothing behind")
    func trackctlStore() throws {
        let writer = try stoppedSampleStore()
        try FileManager.default.removeItem(atPath: writer.logPath)
        let before = try fingerprint(writer.directory)
        let scratch = try TemporaryDirectory(prefix: "tmp")
        let environment = ["TMPDIR": scratch.path]
        let status = try runProgram(Binaries.trackctl, ["--store", writer.directory, "status", "--as-of", "2023-12-31"], environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("read-only: read from the store's files (trackctl --store), no daemon"))
        #expect(status.stdout.contains("600.000.000 đ"))
        #expect(status.stderr.contains("from its files, read-only"))
        let head = try runProgram(Binaries.trackctl, ["head", "--store", writer.directory, "--json"], environment: environment)
        #expect(head.stdout.contains(#""seq":\#(Self.sampleSeq),"#))
        let refused = try runProgram(Binaries.trackctl, ["--store", writer.directory, "disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01",
                                                         "--ref", "S-1"], environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refused (read_only)"))
        let notAStore = try runProgram(Binaries.trackctl, ["--store", scratch.path, "status"], environment: environment)
        #expect(notAStore.status == 1)
        #expect(notAStore.stderr.contains("is not a tracker store (it has no log/ directory)"), "\(notAStore.stderr)")
        #expect(try fingerprint(writer.directory) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "trackctl --store left its reader's directory behind")
        // With no daemon, trackctl names the ways to read a store without one.
        let none = try runProgram(Binaries.trackctl, ["status", "--socket", scratch.appending("none.sock")])
        #expect(none.stderr.contains("trackctl --store DIR COMMAND"))
        #expect(none.stderr.contains("trackerd --read-only"))
        #expect(none.stderr.contains("verify --offline"))
    }
}
