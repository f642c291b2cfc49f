import Dispatch
import Events
import Foundation
import Glibc
import Projections

/// Settings the daemon starts with (from flags, environment and the configuration file).
struct DaemonSettings: Sendable {
    var dataDirectory: String
    var socketPath: String
    var importFile: String?
    var simulatedNow: Timestamp?
    var limits = Limits()
    var access = AccessPolicy()
    var logOptions = LogOptions()
    var rules = BudgetRules()
    var schedule = CheckpointSchedule(sets: [])
    var alertInterval: Double = 60
    var alertCommand: [String] = []
    var alertCommandTimeout: Double = 10
    var snapshotEvery: UInt64 = 1_000_000
    /// Only read the store (`--read-only`): no lock, nothing appended, no alerts raised.
    var readOnly = false
    /// Seconds between two looks for records a writer added, on a daemon that only reads.
    var followInterval: Double = 1
    /// Stop when standard input reaches its end (`--exit-when-stdin-closes`: a private reader
    /// that `trackctl --store` starts stops when trackctl ends, however it ends).
    var exitWhenStdinCloses = false
    /// What loading the settings noticed, for the daemon's log once it runs.
    var remarks: [String] = []
    /// Letterheads of reports.
    var reports = ReportSettings()
    /// The store's province (`[store] province`).
    var province = ProvinceCode.quangNgai
    /// Publishing to JetStream (`[stream]`; off by default).
    var stream = StreamSettings()
    /// What `trackerd --mirror` consumes (`[mirror]`).
    var mirror = MirrorSettings()
}
