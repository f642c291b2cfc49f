import Dispatch
import Events
import Foundation
import Glibc
import Projections

/// One benchmark run: a temporary store, a real daemon, the load.
struct Bench {
    let options: BenchCommand.Options
    let store: String
    var socket: String { store + "/trackerd.sock" }
    var daemon: Process?
    var figures = BenchFigures()
    /// Allocation lines as (task id, decision) for the load to spread over.
    var lines: [(task: String, decision: String)] = []
    private var refCounter = 0

    init(options: BenchCommand.Options) throws(Failure) {
        self.options = options
        var template = Array("\(options.directory)/trackerd-bench.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure.failed("cannot create a store under \(options.directory): \(Errno.current)") }
        store = String(cString: made)
    }

    mutating func cleanUp() {
        stopDaemon()
        if !options.keep { try? FileManager.default.removeItem(atPath: store) }
        else { StandardError.write("bench: the store is kept in \(store)\n") }
    }

    // MARK: The daemon

    /// Starts trackerd and returns the seconds until it answers.
    @discardableResult
    mutating func startDaemon() throws(TrackerError) -> Double {
        let started = monotonicSeconds()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: options.trackerd)
        process.arguments = ["--data-dir", store, "--socket", socket]
        let logPath = store + "/trackerd.log"
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw TrackerError(.ioError, "cannot open \(logPath)") }
        log.seekToEndOfFile()
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw TrackerError(.ioError, "cannot start \(options.trackerd): \(error)") }
        daemon = process
        let hello = Array(#"{"id":0,"op":"hello"}"#.utf8) + [0x0A]
        while monotonicSeconds() - started < 600 {
            if let client = try? BenchClient(socket: socket), client.roundTrip(hello) == true {
                return monotonicSeconds() - started
            }
            if !process.isRunning { throw TrackerError(.unavailable, "trackerd exited: see \(logPath)") }
            usleep(1_000)
        }
        throw TrackerError(.unavailable, "trackerd did not start within 600 s")
    }

    mutating func stopDaemon() {
        guard let process = daemon else { return }
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        daemon = nil
    }

    /// The CPU time the daemon has used so far (user + system, all its threads), from /proc.
    func daemonCPUSeconds() -> Double {
        guard let pid = daemon?.processIdentifier,
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return 0 }
        // After the command name: state is field 3, utime 14 and stime 15, in clock ticks.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The daemon's resident memory in MB, from /proc.
    func residentMB() -> Double {
        guard let pid = daemon?.processIdentifier,
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }

    // MARK: Requests

    func call(_ client: BenchClient, _ json: String) throws(TrackerError) -> [UInt8] {
        guard let ok = client.roundTrip(Array(json.utf8) + [0x0A]) else { throw TrackerError(.unavailable, "the daemon closed the connection") }
        guard ok else { throw TrackerError(.internal, "the daemon refused: \(String(decoding: client.lastLine, as: UTF8.self))") }
        return client.lastLine
    }

    func importBatch(_ client: BenchClient, _ commands: [String]) throws(TrackerError) {
        _ = try call(client, #"{"id":1,"op":"import","commands":["# + commands.joined(separator: ",") + "]}")
    }

    mutating func nextRef() -> Int {
        refCounter += 1
        return refCounter
    }

    static func disburse(task: String, decision: String, amount: Int, ref: Int) -> String {
        #"{"id":1,"op":"disburse","task":"\#(task)","decision":"\#(decision)","amount":\#(amount),"date":"2023-06-01","ref":"B\#(ref)"}"#
    }

    // MARK: The run

    mutating func run() throws(TrackerError) {
        try "[checkpoints]\n[limits]\nmax_connections = 4096\nmax_line_bytes = 16777216\n".write(toFile: store + "/trackerd.conf")
        // The machine's own limits, measured first, so the figures below can be read against them.
        let sync = try Floor.appendSync(directory: store, count: 1000, into: .preallocated)
        let zeroFilled = try Floor.appendSync(directory: store, count: 1000, into: .zeroFilled)
        let growing = try Floor.appendSync(directory: store, count: 1000, into: .growing)
        let roundTrip = try Floor.socketRoundTrip(count: 20_000)
        figures.set("floor_fdatasync_us", sync, "µs", "floor: write 300 bytes into a preallocated file and fdatasync, median")
        figures.set("floor_fdatasync_zero_filled_us", zeroFilled, "µs", "  the same into a zero-filled file (written, not preallocated)")
        figures.set("floor_fdatasync_append_us", growing, "µs", "  the same appended to a growing file")
        figures.set("floor_socket_rtt_us", roundTrip, "µs", "floor: Unix-socket round trip, median")
        let floorPerSecond = 1e6 / (sync + roundTrip)
        figures.set("floor_c1_per_s", floorPerSecond, "/s", "  so 1 client can do at most (preallocated write + round trip)")
        try startDaemon()
        try setUp()
        // Everything "at N events" is measured first, on the filled store as it is; the throughput
        // runs come after, on the same large store.
        try fill(to: options.events)
        let events = try headSeq(try BenchClient(socket: socket))
        let alone = try statusLatency(requests: 2000, underLoad: false)
        figures.set("status_p50_ms", alone.p50, "ms", "status p50 at \(events) events")
        figures.set("status_p99_ms", alone.p99, "ms", "status p99 at \(events) events")
        figures.set("rss_mb", residentMB(), "MB", "daemon resident memory at \(events) events")
        let started = monotonicSeconds()
        let verify = try call(try BenchClient(socket: socket), #"{"id":1,"op":"verify"}"#)
        figures.set("verify_s", monotonicSeconds() - started, "s", "verify at \(events) events")
        if let records = number(after: #""records":"#, in: verify), let bytes = number(after: #""bytes":"#, in: verify), records > 0 {
            figures.set("log_bytes_per_record", bytes / records, "B", "log bytes per record")
        }
        figures.set("ctl_status_wall_ms", try ctlStatusWall(runs: 21), "ms", "one trackctl status process, wall")
        let starved = try statusBesideVerifies(40, requests: 1000)
        figures.set("status_p50_ms_verify40", starved.p50, "ms", "status p50 while another client has 40 verify pipelined")
        figures.set("status_p99_ms_verify40", starved.p99, "ms", "status p99 while another client has 40 verify pipelined")
        stopDaemon()
        figures.set("startup_s_snapshot", try startDaemon(), "s", "start-up to serving at \(events) events, with snapshot")
        figures.set("rss_mb_after_snapshot_start", residentMB(), "MB", "  resident memory after it")
        stopDaemon()
        try? FileManager.default.removeItem(atPath: store + "/snapshots")
        figures.set("startup_s_replay", try startDaemon(), "s", "start-up to serving at \(events) events, full replay")
        // That start writes a snapshot in the background; a stop waits for it, so the load runs
        // below do not share the machine with it.
        stopDaemon()
        try startDaemon()
        for clients in options.clients {
            let cpuBefore = daemonCPUSeconds()
            let result = try throughput(clients: clients, seconds: options.seconds)
            let cpu = daemonCPUSeconds() - cpuBefore
            let name = "\(clients) client\(clients == 1 ? "" : "s")"
            figures.set("disburse_per_s_c\(clients)", result.perSecond, "/s", "durable disbursements/s, \(name)")
            if clients == 1 {
                figures.set("floor_share_c1_pct", 100 * result.perSecond / floorPerSecond, "%", "  share of the floor (1 client)")
            }
            figures.set("daemon_cpu_us_c\(clients)", cpu * 1e6 / max(1, result.perSecond * options.seconds), "µs",
                        "  daemon CPU per disbursement (user + system), \(name)")
            figures.set("disburse_p50_ms_c\(clients)", result.p50, "ms", "  latency p50, \(name)")
            figures.set("disburse_p99_ms_c\(clients)", result.p99, "ms", "  latency p99, \(name)")
            figures.set("disburse_max_ms_c\(clients)", result.max, "ms", "  latency max, \(name)")
        }
        let loaded = try statusLatency(requests: 2000, underLoad: true)
        figures.set("status_p50_ms_loaded", loaded.p50, "ms", "status p50, under full append load (64 clients)")
        figures.set("status_p99_ms_loaded", loaded.p99, "ms", "status p99, under full append load (64 clients)")
        // The same load with the cheapest request there is, answered on the event loop itself: how
        // long any answer waits for its turn on a machine that busy.
        let trivial = try statusLatency(requests: 2000, underLoad: true, request: #"{"id":1,"op":"head"}"#)
        figures.set("head_p50_ms_loaded", trivial.p50, "ms", "  for comparison, head (no work) p50 under that load")
        figures.set("head_p99_ms_loaded", trivial.p99, "ms", "  for comparison, head (no work) p99 under that load")
        figures.set("log_bytes_per_disbursement", try bytesPerDisbursement(), "B", "log bytes per disbursement")
        figures.set("events_at_end", Double(try headSeq(try BenchClient(socket: socket))), "", "records in the store at the end")
        stopDaemon()
    }

    /// Agencies, plans, tasks and one allocation decision per agency for 2023, each line far larger than the load.
    mutating func setUp() throws(TrackerError) {
        let client = try BenchClient(socket: socket)
        var commands: [String] = []
        for a in 1...options.agencies {
            commands.append(#"{"op":"agency.register","agency":"A\#(a)","name":"Cơ quan số \#(a)"}"#)
            var allocation: [String] = []
            for p in 1...options.plans {
                let plan = "\(a * 100 + p)/KH-A\(a)"
                commands.append(#"{"op":"plan.create","plan":"\#(plan)","agency":"A\#(a)","title":"Kế hoạch \#(p)","issued":"2022-10-01","period":"2023-2025"}"#)
                for t in 1...options.tasks {
                    commands.append(#"{"op":"task.add","task":"\#(plan)#\#(t)","name":"Nhiệm vụ \#(t)","period":"2023-2025","total":"1.000 tỷ","yearly":{"2023":"900 tỷ"},"source":"ns-tinh"}"#)
                    allocation.append(#"{"task":"\#(plan)#\#(t)","amount":"900 tỷ"}"#)
                    lines.append(("\(plan)#\(t)", "\(a)/QĐ-UBND"))
                }
            }
            commands.append(#"{"op":"allocate","decision":"\#(a)/QĐ-UBND","signed":"2023-01-20","year":2023,"agency":"A\#(a)","lines":[\#(allocation.joined(separator: ","))]}"#)
            if commands.count > 2000 {
                try importBatch(client, commands)
                commands.removeAll()
            }
        }
        if !commands.isEmpty { try importBatch(client, commands) }
    }

    struct Throughput {
        var perSecond: Double
        var p50: Double
        var p99: Double
        var max: Double
    }

    /// `clients` connections each disbursing back to back for `seconds`.
    mutating func throughput(clients: Int, seconds: Double) throws(TrackerError) -> Throughput {
        let base = refCounter
        refCounter += 100_000_000
        let lines = self.lines
        let socket = self.socket
        let latencies = LockedLatencies()
        let failures = LockedLatencies()
        let group = DispatchGroup()
        let start = monotonicSeconds() + 0.05
        for c in 0..<clients {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                guard let client = try? BenchClient(socket: socket) else { failures.add([1]); return }
                var mine: [Double] = []
                mine.reserveCapacity(200_000)
                var n = 0
                while monotonicSeconds() < start { usleep(100) }
                while true {
                    let now = monotonicSeconds()
                    if now - start >= seconds { break }
                    let line = lines[(c * 7919 + n) % lines.count]
                    let request = Array(Bench.disburse(task: line.task, decision: line.decision, amount: 1000 + n % 9000,
                                                       ref: base + c * 1_000_000 + n).utf8) + [0x0A]
                    let sent = monotonicSeconds()
                    guard client.roundTrip(request) == true else { failures.add([1]); return }
                    mine.append((monotonicSeconds() - sent) * 1000)
                    n += 1
                }
                latencies.add(mine)
            }
            thread.stackSize = 256 << 10
            thread.start()
        }
        group.wait()
        if failures.count > 0 { throw TrackerError(.internal, "\(failures.count) client(s) failed during the run; see \(store)/trackerd.log") }
        let sorted = latencies.sorted()
        return Throughput(perSecond: Double(sorted.count) / seconds, p50: percentile(sorted, 0.50), p99: percentile(sorted, 0.99), max: sorted.last ?? 0)
    }

    /// Fills the log up to `events` records with disbursements, in large imports (one sync each).
    mutating func fill(to events: Int) throws(TrackerError) {
        let client = try BenchClient(socket: socket)
        var head = try headSeq(client)
        while head < events {
            let count = min(10_000, events - head)
            var commands: [String] = []
            commands.reserveCapacity(count)
            for n in 0..<count {
                let line = lines[(head + n) % lines.count]
                let ref = nextRef()
                commands.append(#"{"op":"disburse","task":"\#(line.task)","decision":"\#(line.decision)","amount":\#(1000 + n % 9000),"date":"2023-06-01","ref":"F\#(ref)"}"#)
            }
            try importBatch(client, commands)
            head = try headSeq(client)
        }
    }

    func headSeq(_ client: BenchClient) throws(TrackerError) -> Int {
        let answer = try call(client, #"{"id":1,"op":"head"}"#)
        guard let result = try Wire.Response.parse(answer).result else { throw TrackerError(.internal, "no head in the answer") }
        return Int(try HeadAnswer(result: result).head.seq)
    }

    /// Latency of the default `status` request (as `trackctl status` sends it), or of `request`,
    /// alone or while 64 clients disburse.
    mutating func statusLatency(requests: Int, underLoad: Bool, request line: String = #"{"id":1,"op":"status"}"#) throws(TrackerError) -> Throughput {
        let loadDone = LockedLatencies()
        let stop = LockedFlag()
        let group = DispatchGroup()
        if underLoad {
            let base = refCounter
            refCounter += 100_000_000
            let lines = self.lines
            let socket = self.socket
            for c in 0..<64 {
                group.enter()
                let thread = Thread {
                    defer { group.leave() }
                    guard let client = try? BenchClient(socket: socket) else { return }
                    var n = 0
                    while !stop.isSet {
                        let line = lines[(c * 7919 + n) % lines.count]
                        guard client.roundTrip(Array(Bench.disburse(task: line.task, decision: line.decision, amount: 1000, ref: base + c * 1_000_000 + n).utf8) + [0x0A]) == true else { return }
                        n += 1
                    }
                    loadDone.add([Double(n)])
                }
                thread.stackSize = 256 << 10
                thread.start()
            }
            usleep(500_000)
        }
        let client = try BenchClient(socket: socket)
        let request = Array(line.utf8) + [0x0A]
        var latencies: [Double] = []
        for _ in 0..<requests {
            let sent = monotonicSeconds()
            guard client.roundTrip(request) == true else { stop.set(); throw TrackerError(.internal, "\(line) failed") }
            latencies.append((monotonicSeconds() - sent) * 1000)
            if underLoad { usleep(1_000) }
        }
        stop.set()
        group.wait()
        latencies.sort()
        return Throughput(perSecond: 0, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.last ?? 0)
    }

    /// Latency of `status` from one client while another has sent `verifies` verify requests in
    /// one write and reads none of the answers: the heavy queries run in turn on their own lane,
    /// and a status should not wait behind them. The other client leaves at the end, and the daemon
    /// drops what it had queued.
    mutating func statusBesideVerifies(_ verifies: Int, requests: Int) throws(TrackerError) -> Throughput {
        let hog = try BenchClient(socket: socket)
        guard hog.send(Array(String(repeating: #"{"id":1,"op":"verify"}"# + "\n", count: verifies).utf8)) else {
            throw TrackerError(.unavailable, "the daemon closed the connection")
        }
        let client = try BenchClient(socket: socket)
        let request = Array(#"{"id":1,"op":"status"}"#.utf8) + [0x0A]
        var latencies: [Double] = []
        for _ in 0..<requests {
            let sent = monotonicSeconds()
            guard client.roundTrip(request) == true else { throw TrackerError(.internal, "status failed beside the verifies") }
            latencies.append((monotonicSeconds() - sent) * 1000)
        }
        latencies.sort()
        return Throughput(perSecond: 0, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.last ?? 0)
    }

    /// Appends 1,000 disbursements and divides the growth of the log by them.
    mutating func bytesPerDisbursement() throws(TrackerError) -> Double {
        let client = try BenchClient(socket: socket)
        let before = try logBytes(client)
        for n in 0..<1000 {
            let line = lines[n % lines.count]
            _ = try call(client, Bench.disburse(task: line.task, decision: line.decision, amount: 1234567, ref: nextRef() + 900_000_000))
        }
        return Double(try logBytes(client) - before) / 1000
    }

    /// The bytes of records in the store: the segment files up to their data (the active one is preallocated).
    func logBytes(_ client: BenchClient) throws(TrackerError) -> Int {
        var total = 0
        let log = store + "/log"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: log)) ?? [] where name.hasSuffix(".ndjson") {
            guard let data = FileManager.default.contents(atPath: log + "/" + name) else { continue }
            total += (data.lastIndex(where: { $0 != 0 }).map { $0 + 1 }) ?? 0
        }
        return total
    }

    /// Median wall time of a `trackctl status` process, start to exit.
    func ctlStatusWall(runs: Int) throws(TrackerError) -> Double {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var times: [Double] = []
        // posix_spawn and waitpid, timed around nothing else (Foundation's Process polls for the exit).
        let arguments = [me, "status", "--socket", socket]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        for _ in 0..<runs {
            var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            var pid: pid_t = 0
            let started = monotonicSeconds()
            guard posix_spawn(&pid, me, &actions, nil, &argv, environ) == 0 else { throw TrackerError(.ioError, "cannot run trackctl") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            times.append((monotonicSeconds() - started) * 1000)
            guard status == 0 else { throw TrackerError(.internal, "trackctl status failed (status \(status))") }
        }
        times.sort()
        return times[times.count / 2]
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

/// The number after `key` in a JSON line, without parsing the line.
func number(after key: String, in line: [UInt8]) -> Double? {
    let pattern = Array(key.utf8)
    guard let range = firstIndex(of: pattern, in: line[...]) else { return nil }
    var index = range + pattern.count
    var value = 0.0
    var seen = false
    while index < line.count, line[index] >= 0x30 && line[index] <= 0x39 {
        value = value * 10 + Double(line[index] - 0x30)
        index += 1
        seen = true
    }
    return seen ? value : nil
}

extension String {
    /// Writes the string to a file (bench setup), as a TrackerError on failure.
    func write(toFile path: String) throws(TrackerError) {
        do { try write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw TrackerError(.ioError, "cannot write \(path): \(error)")
        }
    }
}
