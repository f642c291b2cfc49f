import Events
import Foundation
import Glibc
import Testing

/// Every operation of the table (`WireOperation`), through the real daemon, as callers of every
/// role: each role below the one the table gives is refused and appends nothing, and that role
/// itself is served. The operations come from the table itself, and each one's request from an
/// exhaustive switch over it, so an operation added later is covered (or does not compile here).
///
/// Callers are other uids: socat run under setpriv (as `AccessTests` runs trackctl), one
/// connection per role, its answers read line by line.
@Suite("Access: every operation of the table, as every role", .serialized)
struct OperationAccessTests {
    /// The uids of the callers, by role (nil: a uid the configuration gives no role).
    static let uids: [(role: Role?, uid: UInt32)] = [(nil, 65532), (.viewer, 65534), (.clerk, 65533), (.admin, 65531)]

    static let roles = """
        default = none
        uid 65534 = viewer
        uid 65533 = clerk
        uid 65531 = admin

        """

    /// What the callers act on, recorded by the daemon's own user first.
    static let setup = """
        agency add OPS --name "Cơ quan OPS"
        agency add OPS-OLD --name "Cơ quan cũ"
        agency add OPS-NEW --name "Cơ quan mới"
        plan create 1/KH-OPS --agency OPS --title "Kế hoạch OPS" --date 2023-01-05 --period 2023
        task add 1/KH-OPS#1 --name "Một" --period 2023
        task add 1/KH-OPS#2 --name "Hai" --period 2023
        task add 1/KH-OPS#3 --name "Ba" --period 2023
        task add 1/KH-OPS#4 --name "Bốn" --period 2023
        allocate 1/QĐ-UBND --agency OPS --year 2023 --date 2023-06-01 --line 1/KH-OPS#1=100tr --line 1/KH-OPS#2=100tr --line 1/KH-OPS#3=100tr --line 1/KH-OPS#4=100tr
        disburse 1/KH-OPS#1 1tr --date 2023-10-01 --ref OPS-0
        disburse 1/KH-OPS#1 2tr --date 2023-10-02 --ref OPS-9

        """

    /// A request of one operation: its fields, and the role it needs.
    struct Sample: CustomStringConvertible {
        var operation: WireOperation
        var fields: String
        var needs: Role
        var description: String { "\(operation.name) \(fields)" }

        init(_ operation: WireOperation, _ fields: String = "", needs: Role? = nil) {
            self.operation = operation
            self.fields = fields
            self.needs = needs ?? operation.role
        }

        func line(id: Int) -> String { #"{"id":\#(id),"op":"\#(operation.name)""# + (fields.isEmpty ? "" : "," + fields) + "}" }
    }

    /// Requests of `operation` that its role may make on the setup's store, each valid on its own
    /// (none depends on another having been made). No `default`: a new operation needs its own.
    static func samples(of operation: WireOperation, backupDirectory: String) -> [Sample] {
        switch operation {
        case .hello, .head, .status, .tasks, .overdue, .plans, .agencies, .alerts, .verify, .followAlerts:
            return [Sample(operation)]
        case .taskHistory:
            return [Sample(operation, #""task":"1/KH-OPS#1""#)]
        case .log:
            return [Sample(operation, #""limit":1"#)]
        case .registerAgency:
            return [Sample(operation, #""agency":"OPS2","name":"Cơ quan hai""#)]
        case .succeedAgency:
            return [Sample(operation, #""from":"OPS-OLD","to":["OPS-NEW"],"effective":"2024-01-01","decision":"QĐ 9/QĐ-UBND""#)]
        case .closeYear:
            return [Sample(operation, #""year":2022,"decision":"QĐ quyết toán 2022","date":"2024-01-10""#)]
        case .succeedProvince:
            return [Sample(operation, #""from":"OPS-P","to":"QNG","effective":"2024-01-01","decision":"NQ 1""#)]
        case .reviseTask:
            return [Sample(operation, #""task":"1/KH-OPS#3","reference":"2/KH-OPS","date":"2023-09-01","reason":"điều chỉnh","name":"Ba (điều chỉnh)""#)]
        case .createPlan:
            return [Sample(operation, #""plan":"2/KH-OPS","agency":"OPS","title":"Kế hoạch hai","issued":"2023-02-01","period":"2023""#)]
        case .addTask:
            return [Sample(operation, #""plan":"1/KH-OPS","name":"Năm","period":"2023""#)]
        case .allocate:
            return [Sample(operation, #""decision":"2/QĐ-UBND","signed":"2023-07-01","year":2023,"agency":"OPS","lines":[{"task":"1/KH-OPS#1","amount":1000000}]"#)]
        case .disburse:
            return [Sample(operation, #""task":"1/KH-OPS#2","decision":"1/QĐ-UBND","amount":1000000,"date":"2023-11-01","ref":"OPS-1""#)]
        case .reverse:
            return [Sample(operation, #""ref":"OPS-0","reason":"nhập nhầm","date":"2023-11-02""#)]
        case .refund:
            return [Sample(operation, #""ref":"OPS-9","amount":100000,"reason":"hoàn trả","date":"2023-11-02""#)]
        case .amend:
            return [Sample(operation, #""decision":"5/QĐ-UBND","amends":"1/QĐ-UBND","signed":"2023-10-01","reason":"điều chỉnh","set":[{"task":"1/KH-OPS#2","amount":90000000}]"#)]
        case .changeStatus:
            return [Sample(operation, #""task":"1/KH-OPS#1","to":"in-progress","date":"2023-08-01","reason":"thi công""#)]
        case .carryOver:
            return [Sample(operation, #""decision":"3/QĐ-UBND","from":"1/QĐ-UBND","signed":"2024-01-15","lines":[{"task":"1/KH-OPS#3","amount":10000000}]"#)]
        case .lapse:
            return [Sample(operation, #""decision":"1/QĐ-UBND","task":"1/KH-OPS#4","date":"2024-02-15","reason":"CV 1/STC""#)]
        case .importCommands:
            // An import needs the highest role of its commands: a clerk's, and an admin's.
            return [Sample(operation, #""commands":[{"op":"disburse","task":"1/KH-OPS#2","decision":"1/QĐ-UBND","amount":1000000,"date":"2023-11-03","ref":"OPS-2"}]"#,
                           needs: WireOperation.role(ofImport: [.disburse])),
                    Sample(operation, #""commands":[{"op":"agency.register","agency":"OPS3","name":"Cơ quan ba"}]"#,
                           needs: WireOperation.role(ofImport: [.registerAgency]))]
        case .setClock:
            return [Sample(operation, #""now":"2024-03-02T10:00""#)]
        case .backup:
            return [Sample(operation, #""directory":"\#(backupDirectory)""#)]
        case .recordContract:
            return [Sample(operation, #""task":"1/KH-OPS#1","date":"2023-09-01","contractor":"Công ty A","value":90000000"#)]
        case .recordExpectation:
            return [Sample(operation, #""task":"1/KH-OPS#3","decision":"1/QĐ-UBND","by":"2023-12-31","rate_milli":100000,"date":"2023-11-01""#)]
        case .report:
            return [Sample(operation, #""kind":"disbursement","as_of":"2023-11-30""#)]
        case .auditReport:
            return [Sample(operation, #""kind":"audit","as_of":"2023-11-30""#)]
        case .issueReport:
            return [Sample(operation, #""kind":"plan","letter":"CV 1/OPS","as_of":"2023-11-30","through_seq":1,"sha256":"\#(String(repeating: "ab", count: 32))","bytes":10"#)]
        case .issuedReports:
            return [Sample(operation)]
        }
    }

    @Test("every operation refuses each role below the one the table gives it, appending nothing, and serves that role")
    func everyOperation() throws {
        let setpriv = try #require(AccessTests.setpriv, "setpriv (util-linux) is needed, and the tests must run as root to act as another user")
        let daemon = try TrackerProcess(arguments: ["--now", "2024-03-01T10:00"],
                                        configuration: TrackerProcess.testConfiguration + "[checkpoints]\n[roles]\n" + Self.roles)
        chmod(daemon.directory, 0o750)
        let file = daemon.directory + "/setup.tracker"
        try Self.setup.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try daemon.ok("import", file)
        let scratch = try TemporaryDirectory(prefix: "ops")
        let root = try #require(LineClient(socket: daemon.socket))
        func head() -> JSONValue? { root.call(#"{"id":0,"op":"head"}"#)?["result", "head", "seq"] }

        var connections: [Role?: ForeignConnection] = [:]
        for (role, uid) in Self.uids { connections[role] = try ForeignConnection(setpriv: setpriv, uid: uid, socket: daemon.socket, scratch: scratch) }
        var checked = 0, refused = 0
        for operation in WireOperation.allCases {
            for sample in Self.samples(of: operation, backupDirectory: scratch.path + "/backup") {
                // Every caller below the role the sample needs, and a viewer for every operation
                // that writes whatever the table says: forbidden, naming that role, nothing appended.
                #expect(!operation.writes || sample.needs > .viewer, "\(operation.name) writes, yet a viewer may call it")
                for (role, _) in Self.uids where role.map({ $0 < sample.needs || (operation.writes && $0 == .viewer) }) ?? true {
                    let before = head()
                    let answer = connections[role]!.call(sample.line(id: 1))
                    #expect(answer?["ok"] == .bool(false), "\(sample) as \(role?.name ?? "no role"): \(String(describing: answer))")
                    #expect(answer?["error", "code"] == .string("forbidden"), "\(sample) as \(role?.name ?? "no role")")
                    let message = answer?["error", "message"].flatMap { value -> String? in if case .string(let text) = value { text } else { nil } } ?? ""
                    #expect(message.hasPrefix("\(operation.name) needs the \(sample.needs.name) role"), "\(sample): \(message)")
                    #expect(head() == before, "\(sample) as \(role?.name ?? "no role") appended")
                    refused += 1
                }
                // The role itself is served; an operation that writes appends.
                let before = head()
                let connection = operation == .followAlerts
                    ? try ForeignConnection(setpriv: setpriv, uid: Self.uids.first { $0.role == sample.needs }!.uid, socket: daemon.socket, scratch: scratch)
                    : connections[sample.needs]!
                let answer = connection.call(sample.line(id: 2))
                #expect(answer?["ok"] == .bool(true), "\(sample) as \(sample.needs.name): \(String(describing: answer))")
                if operation == .followAlerts {
                    #expect(answer?["result", "following"] == .bool(true))
                    connection.close()
                }
                if operation.writes {
                    if case .int(let after)? = head(), case .int(let earlier)? = before {
                        #expect(after > earlier, "\(sample) as \(sample.needs.name) appended nothing")
                    } else {
                        Issue.record("no head from the daemon")
                    }
                } else {
                    #expect(head() == before, "\(sample) does not write, yet the head moved")
                }
                checked += 1
            }
        }
        for connection in connections.values { connection.close() }
        #expect(checked == WireOperation.allCases.count + 1, "one request of each operation, two of import")
        #expect(refused > WireOperation.allCases.count, "every operation refused at least a caller without a role")
        #expect(daemon.daemonLog.contains("refused disburse from"))
    }
}

/// A connection to the daemon's socket made by another user: socat run as `uid` under setpriv,
/// request lines written to its standard input, answers read from its output (a file, so no pipe
/// fills up) one line at a time, each within a bound.
final class ForeignConnection {
    private let process = Process()
    private let input = Pipe()
    private let outputPath: String
    private var consumed = 0

    init(setpriv: String, uid: UInt32, socket: String, scratch: TemporaryDirectory) throws {
        outputPath = scratch.path + "/socat-\(uid)-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: setpriv)
        process.arguments = ["--reuid=\(uid)", "--regid=\(uid)", "--groups=0", "--", "/usr/bin/env", "socat", "-", "UNIX-CONNECT:\(socket)"]
        process.standardInput = input
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = FileHandle.standardError
        try process.run()
    }

    deinit { close() }

    /// Sends one request line and returns the next answer line as an object; nil when none came
    /// within `timeout` seconds or the connection ended.
    func call(_ json: String, timeout: Double = 60) -> JSONObject? {
        input.fileHandleForWriting.write(Data((json + "\n").utf8))
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            // Looked at before the output is read, so a line written just before socat ended is still read.
            let running = process.isRunning
            if let bytes = FileManager.default.contents(atPath: outputPath), bytes.count > consumed,
               let newline = bytes[consumed...].firstIndex(of: 0x0A) {
                let line = Array(bytes[consumed..<newline])
                consumed = newline + 1
                guard case .object(let object)? = try? JSONParser().parse(line) else { return nil }
                return object
            }
            if !running { return nil }
            usleep(2_000)
        }
        Issue.record("no answer to \(json) within \(timeout) s")
        return nil
    }

    /// Ends the connection: socat is killed (SIGKILL: it inherits the test runner's blocked
    /// signals, SIGTERM among them), and the daemon sees the client leave.
    func close() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
