import Dispatch
import Events
import Foundation
import Glibc
import Projections

/// `trackctl bench`: a synthetic province against a real trackerd on a temporary store.
enum BenchCommand {
    static let spec = CommandSpec(["bench"], summary: "Measure a real trackerd on a synthetic province: durable disbursements/s and latency, status latency, start-up, verify, memory.",
        options: [.value("events", "N", "Events in the store for the large-store figures (default 1000000)."),
                  .value("agencies", "N", "Agencies (default 20)."),
                  .value("plans", "N", "Plans per agency (default 5)."),
                  .value("tasks", "N", "Tasks per plan, each with an allocation line (default 10)."),
                  .value("seconds", "S", "Seconds per throughput run (default 5)."),
                  .value("clients", "LIST", "Concurrent clients for the throughput runs (default 1,16,64)."),
                  .value("dir", "DIR", "Where the temporary store is made (default /tmp)."),
                  .value("trackerd", "PATH", "The trackerd to measure (default: the one beside this trackctl)."),
                  .flag("keep", "Keep the store afterwards."),
                  .flag("json", "Print one JSON object with every figure."),
                  .value("json-file", "FILE", "Also write that JSON object to FILE (scripts/bench --compare reads it).")],
        discussion: """
        Each figure is measured against the real daemon over its socket, with fdatasync before every answer. The
        load comes from this process's threads (one connection each), so client and daemon share the machine.
        scripts/bench builds a release build and runs this with the standard set.
        """)

    struct Options {
        var events = 1_000_000
        var agencies = 20
        var plans = 5
        var tasks = 10
        var seconds = 5.0
        var clients = [1, 16, 64]
        var directory = "/tmp"
        var trackerd: String
        var keep = false
        var json = false
        var jsonFile: String?
    }

    static func run(_ args: ParsedArguments) throws(Failure) {
        func int(_ name: String, _ range: ClosedRange<Int>) throws(Failure) -> Int? {
            guard let text = args.value(name) else { return nil }
            guard let value = Int(text), range.contains(value) else { throw Failure.usage("bench: --\(name) must be within \(range)") }
            return value
        }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var options = Options(trackerd: args.value("trackerd") ?? ((me as NSString).deletingLastPathComponent + "/trackerd"))
        options.events = try int("events", 1_000...100_000_000) ?? options.events
        options.agencies = try int("agencies", 1...10_000) ?? options.agencies
        options.plans = try int("plans", 1...1_000) ?? options.plans
        options.tasks = try int("tasks", 1...1_000) ?? options.tasks
        options.seconds = Double(try int("seconds", 1...3_600) ?? 5)
        if let list = args.value("clients") {
            let counts = list.split(separator: ",").compactMap { Int($0) }
            guard !counts.isEmpty, counts.allSatisfy({ (1...1_000).contains($0) }) else { throw Failure.usage("bench: --clients is a list like 1,16,64") }
            options.clients = counts
        }
        options.directory = args.value("dir") ?? options.directory
        options.keep = args.has("keep")
        options.json = args.has("json")
        options.jsonFile = args.value("json-file")
        guard FileManager.default.isExecutableFile(atPath: options.trackerd) else {
            throw Failure.failed("no trackerd at \(options.trackerd) (give --trackerd PATH)")
        }
        var bench = try Bench(options: options)
        defer { bench.cleanUp() }
        do throws(TrackerError) { try bench.run() } catch { throw Failure.failed("bench: \(error.message)") }
        if let file = options.jsonFile {
            do throws(TrackerError) { try (bench.figures.json() + "\n").write(toFile: file) } catch { throw Failure.failed("bench: \(error.message)") }
        }
        if options.json { print(bench.figures.json()) } else { print(bench.figures.table(options: options), terminator: "") }
    }
}
