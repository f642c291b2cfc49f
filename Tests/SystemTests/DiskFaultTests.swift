import Events
import Foundation
import Glibc
import Testing

/// Disk faults injected into the real process with strace (`-e inject=`): a failed write or sync
/// fails the request clearly, leaves nothing partial in the log, and the daemon keeps answering.
@Suite("Disk faults injected with strace", .serialized)
struct DiskFaultTests {
    /// A store of one task allocated 100 triệu, then a daemon on it under strace injecting `fault` into
    /// the writer thread's first `syscall` (strace counts per thread; the writer is the only thread
    /// that writes and syncs the log after start).
    func faultyDaemon(syscall: String, error: String, segmentBytes: Int = 1 << 20) throws -> TrackerProcess {
        let strace = try #require(Binaries.tool("/usr/bin/strace", "/bin/strace"), "strace is not installed (scripts/test installs it with apt-get)")
        let daemon = try TrackerProcess(configuration: "[store]\nsegment_bytes = \(segmentBytes)\n[checkpoints]\n")
        try daemon.importOneTask(total: "100 triệu", allocated: "100 triệu")
        #expect(daemon.stop() == 0)
        // strace's child is the daemon (its LOCK may hold a stale pid: the pid write may be the injected fault).
        try daemon.start(wrapper: [strace, "-f", "-o", daemon.directory + "/strace.out", "-e", "trace=\(syscall)",
                                   "-e", "inject=\(syscall):error=\(error):when=1"])
        return daemon
    }

    /// What strace wrote: each traced call, the injected one marked (INJECTED).
    func injected(_ daemon: TrackerProcess) -> String {
        (try? String(contentsOfFile: daemon.directory + "/strace.out", encoding: .utf8)) ?? ""
    }

    /// Runs one fault: the first disbursement fails with `expected` in its message; nothing of it
    /// is in the log; the daemon answers queries; the chain verifies; the next disbursement works.
    func check(syscall: String, error: String, expected: String, suspends: Bool) throws {
        let daemon = try faultyDaemon(syscall: syscall, error: error)
        let before = try daemon.ok("log", "--json")
        let failed = try daemon.ctl("disburse", "P#1", "1tr", "--date", "2023-02-01", "--ref", "R-FAIL")
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("failed (io_error)"), "\(failed.stderr)")
        #expect(failed.stderr.contains(expected), "\(failed.stderr)")
        #expect(failed.stderr.contains("nothing was recorded"))
        #expect(injected(daemon).contains("(INJECTED)"), "strace did not inject: \(injected(daemon))")
        if suspends {
            let hello = try #require(LineClient(socket: daemon.socket)?.call(#"{"id":1,"op":"hello"}"#))
            #expect(hello["result", "writes_suspended"] != nil, "writes are reported suspended after a failed sync")
        }
        // Queries still answer, and nothing partial is in the log.
        #expect(try daemon.ok("log", "--json") == before)
        #expect(try daemon.json("status")["total", "disbursed"] == .int(0))
        #expect(try daemon.ctl("verify").status == 0)
        // The next write works (after re-verifying the tail, when the sync had failed).
        let next = try daemon.ctl("disburse", "P#1", "2tr", "--date", "2023-02-01", "--ref", "R-NEXT")
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try daemon.json("status")["total", "disbursed"] == .int(2_000_000))
        #expect(try daemon.ctl("verify").status == 0)
        if suspends {
            #expect(daemon.daemonLog.contains("writes resumed: the tail was re-read from disk and verified"))
        }
        // The failed payment's reference is free: it was never recorded.
        let retry = try daemon.ctl("disburse", "P#1", "1tr", "--date", "2023-02-01", "--ref", "R-FAIL")
        #expect(retry.stdout.contains("recorded disbursement R-FAIL"))
    }

    @Test("ENOSPC on the write of a batch: refused, nothing partial, the daemon goes on")
    func noSpaceOnWrite() throws {
        try check(syscall: "pwrite64", error: "ENOSPC", expected: "No space left on device", suspends: false)
    }

    @Test("EIO on the write of a batch: refused, nothing partial, the daemon goes on")
    func ioErrorOnWrite() throws {
        try check(syscall: "pwrite64", error: "EIO", expected: "Input/output error", suspends: false)
    }

    @Test("EIO on fdatasync: refused, writes suspended until the tail is re-read and verified")
    func ioErrorOnSync() throws {
        try check(syscall: "fdatasync", error: "EIO", expected: "Input/output error", suspends: true)
    }

    @Test("ENOSPC on fdatasync: refused, writes suspended until the tail is re-read and verified")
    func noSpaceOnSync() throws {
        try check(syscall: "fdatasync", error: "ENOSPC", expected: "No space left on device", suspends: true)
    }

    @Test("ENOSPC when a new segment is preallocated: refused, the full segment stays whole, the next try rotates")
    func noSpaceForNewSegment() throws {
        let daemon = try faultyDaemon(syscall: "fallocate", error: "ENOSPC", segmentBytes: 4096)
        var refused: ProcessResult? = nil
        for n in 1...40 {
            let result = try daemon.ctl("disburse", "P#1", "1000", "--date", "2023-02-01", "--ref", "R-\(n)")
            if result.status != 0 { refused = result; break }
        }
        let failure = try #require(refused, "no disbursement hit the new segment")
        #expect(failure.stderr.contains("failed (io_error)"))
        #expect(failure.stderr.contains("No space left on device"))
        #expect(try daemon.ctl("verify").status == 0)
        let next = try daemon.ctl("disburse", "P#1", "1000", "--date", "2023-02-01", "--ref", "R-AFTER")
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try daemon.segments().count >= 2)
        // The same fault at start (re-preallocating the trimmed segment) did not stop the daemon.
        #expect(daemon.daemonLog.contains("could not preallocate the last segment (No space left on device)"))
        #expect(try daemon.ctl("verify").status == 0)
    }
}
