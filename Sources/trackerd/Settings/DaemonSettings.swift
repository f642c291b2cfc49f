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
    /// Letterheads of reports.
    var reports = ReportSettings()
}
