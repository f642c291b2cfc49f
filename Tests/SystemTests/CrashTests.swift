import Events
import Foundation
import Glibc
import Testing

/// Nothing acknowledged is ever lost: the real daemon, many concurrent clients, SIGKILL at random
/// moments, restart, check. Every third cycle also deletes `LOCK` mid-run and starts a second
/// trackerd on the store (it must be refused), and another third cuts the log at a record boundary
/// below its last durable mark (the start must be refused, naming both seqs, until the records are
/// put back). `scripts/soak` runs the same test for many more cycles.
@Suite("Crash safety: SIGKILL at random moments loses nothing acknowledged", .serialized)
struct CrashTests {
    /// A store with one task funded far beyond what the test can disburse (`importOneTask`); no
    /// alerts, small segments (so crashes also land around segment rotation).
    static let configuration = "[store]\nsegment_bytes = 65536\n[checkpoints]\n"

    struct Payment: Hashable {
        var ref: String
        var amount: Int64
    }

    /// What the clients saw in one cycle.
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var acknowledged: [Payment] = []
        private(set) var unacknowledged: [Payment] = []
        func ack(_ payment: Payment) { lock.lock(); acknowledged.append(payment); lock.unlock() }
        func lost(_ payment: Payment) { lock.lock(); unacknowledged.append(payment); lock.unlock() }
    }

    static func request(_ payment: Payment) -> String {
        #"{"id":1,"op":"disburse","task":"P#1","amount":\#(payment.amount),"date":"2023-06-01","ref":"\#(payment.ref)"}"#
    }

    /// Every disbursement in the log from record `from` on, by reference, read back through trackctl.
    static func recorded(_ daemon: TrackerProcess, from: Int64 = 1) throws -> [String: Int64] {
        let result = try daemon.ctl("log", "--json", "--from", String(from))
        #expect(result.status == 0, "log: \(result.stderr)")
        var payments: [String: Int64] = [:]
        for line in result.stdout.split(separator: "\n") {
            guard case .object(let record) = try JSONParser().parse(String(line)), record["type"] == .string("disbursement.recorded"),
                  case .string(let ref)? = record["body", "ref"], case .int(let amount)? = record["body", "amount"] else { continue }
            #expect(payments[ref] == nil, "payment \(ref) recorded twice")
            payments[ref] = amount
        }
        return payments
    }

    @Test("acknowledged disbursements survive SIGKILL; nothing is half-present; the chain verifies; totals add up")
    func crashCycles() throws {
        let seed = UInt64(environmentInt("TRACKER_CRASH_SEED", default: Int(UInt32.random(in: 1...UInt32.max))))
        let cycles = environmentInt("TRACKER_CRASH_CYCLES", default: 12)
        let clients = environmentInt("TRACKER_CRASH_CLIENTS", default: 8)
        var random = SeededRandom(seed: seed)
        print("crash test: seed \(seed), \(cycles) cycles, \(clients) clients (repeat with TRACKER_CRASH_SEED=\(seed))")
        let daemon = try TrackerProcess(configuration: Self.configuration)
        try daemon.importOneTask(total: "9.000.000 tỷ", allocated: "9.000.000 tỷ")
        var everAcknowledged: [String: Int64] = [:]
        var pendingRetry: [Payment] = []
        var killedMidWrite = 0
        var secondDaemonsRefused = 0
        var cutsRefused = 0
        for cycle in 1...cycles {
            // Retry what was not acknowledged before the last crash: idempotent by reference.
            for payment in pendingRetry {
                let answer = try #require(LineClient(socket: daemon.socket)?.call(Self.request(payment)), "seed \(seed): retry got no answer")
                #expect(answer["ok"] == .bool(true), "seed \(seed): retry of \(payment.ref) failed: \(answer)")
                everAcknowledged[payment.ref] = payment.amount
            }
            pendingRetry = []
            guard case .int(let headBefore)? = try daemon.json("head")["seq"] else { Issue.record("no head"); return }
            let outcomes = Outcomes()
            let group = DispatchGroup()
            let socket = daemon.socket
            for client in 0..<clients {
                let amounts = (0..<10_000).map { _ in Int64.random(in: 1...5_000_000, using: &random) }
                group.enter()
                let thread = Thread {
                    defer { group.leave() }
                    guard let connection = LineClient(socket: socket, timeout: 20) else { return }
                    for (n, amount) in amounts.enumerated() {
                        let payment = Payment(ref: "C\(cycle)-\(client)-\(n)", amount: amount)
                        guard let answer = connection.call(Self.request(payment)) else { outcomes.lost(payment); return }
                        if answer["ok"] == .bool(true) { outcomes.ack(payment) } else { outcomes.lost(payment); return }
                    }
                }
                thread.start()
            }
            if cycle % 3 == 1 {
                // LOCK deleted under load: a second daemon must still be kept out.
                usleep(UInt32.random(in: 10_000...100_000, using: &random))
                unlink(daemon.directory + "/LOCK")
                let pid = daemon.pid ?? 0
                let second = try daemon.runSecondDaemon(socket: daemon.directory + "/second.sock")
                #expect(second.status == 1, "seed \(seed), cycle \(cycle): a second trackerd ran on the store with LOCK deleted")
                #expect(second.stderr.contains("another trackerd (pid \(pid)) is already using the store"), "seed \(seed): \(second.stderr)")
                secondDaemonsRefused += 1
            }
            usleep(UInt32.random(in: 20_000...250_000, using: &random))
            daemon.crash()
            #expect(group.wait(timeout: .now() + 60) == .success, "seed \(seed): clients did not finish after the crash")
            try daemon.start(arguments: [])
            let recorded = try Self.recorded(daemon, from: headBefore + 1)
            for payment in outcomes.acknowledged {
                #expect(recorded[payment.ref] == payment.amount,
                        "seed \(seed), cycle \(cycle): acknowledged \(payment.ref) (\(payment.amount) đ) is \(recorded[payment.ref] == nil ? "lost" : "changed")")
                everAcknowledged[payment.ref] = payment.amount
            }
            for payment in outcomes.unacknowledged {
                if let amount = recorded[payment.ref] {
                    // Written and synced, but the answer was lost with the process: whole, never half.
                    #expect(amount == payment.amount, "seed \(seed): unacknowledged \(payment.ref) is present with another amount")
                    killedMidWrite += 1
                }
                pendingRetry.append(payment)
            }
            let sent = Set(outcomes.acknowledged.map(\.ref) + outcomes.unacknowledged.map(\.ref))
            for ref in recorded.keys where !sent.contains(ref) {
                Issue.record("seed \(seed): \(ref) is in the log but was not sent in this cycle")
            }
            let verify = try daemon.ctl("verify")
            #expect(verify.status == 0, "seed \(seed), cycle \(cycle): \(verify.stdout) \(verify.stderr)")
            if cycle % 3 == 2 {
                // A clean stop marks the head; records cut at a record boundary below it are missed.
                guard case .int(let head)? = try daemon.json("head")["seq"] else { Issue.record("no head"); return }
                #expect(daemon.stop() == 0)
                let cut = try daemon.cutLastRecords(Int.random(in: 1...20, using: &random))
                let refused = try daemon.runSecondDaemon()
                #expect(refused.status == 1, "seed \(seed), cycle \(cycle): a log cut below its mark was started on")
                #expect(refused.stderr.contains("the log ends at seq \(head - Int64(cut.records)), but "), "seed \(seed): \(refused.stderr)")
                #expect(refused.stderr.contains("shows it reached seq \(head)"), "seed \(seed): \(refused.stderr)")
                try cut.putBack()
                try daemon.start(arguments: [])
                #expect(try daemon.json("head")["seq"] == .int(head), "seed \(seed): the records put back are all there")
                cutsRefused += 1
            }
        }
        for payment in pendingRetry {
            let answer = try #require(LineClient(socket: daemon.socket)?.call(Self.request(payment)))
            #expect(answer["ok"] == .bool(true))
            everAcknowledged[payment.ref] = payment.amount
        }
        let expected = everAcknowledged.values.reduce(0, +)
        let status = try daemon.json("status", "--as-of", "2023-12-31")
        #expect(status["total", "disbursed"] == .int(expected), "seed \(seed): totals differ from the acknowledged sum")
        #expect(try Self.recorded(daemon).count == everAcknowledged.count)
        print("crash test: seed \(seed): \(cycles) cycles, \(everAcknowledged.count) acknowledged disbursements, 0 lost, \(killedMidWrite) written but unanswered when killed (then retried, counted once), total \(expected) đ; \(secondDaemonsRefused) second daemons refused with LOCK deleted, \(cutsRefused) cuts below the mark refused")
        daemon.stop()
    }
}
