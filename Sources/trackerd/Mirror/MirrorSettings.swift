import Events
import Projections

/// `[mirror]` in trackerd.conf: what `trackerd --mirror` consumes. The connection keys are those
/// of `[stream]` (servers, user, password, token, stream, domain, ack_timeout_seconds).
struct MirrorSettings: Sendable {
    var connection = StreamSettings()
    /// The subjects consumed (one filter, wildcards allowed): every province's by default.
    var subjects = "tracker.>"
    /// The durable consumer's name.
    var durable = "national"
    /// A snapshot of the folded state (with the stream position it covers) after this many records.
    var snapshotEvery = 50_000

    mutating func apply(_ file: ConfigFile) throws(TrackerError) {
        var subjects = self.subjects
        var durable = self.durable
        var snapshotEvery = self.snapshotEvery
        try connection.apply(file, section: "mirror") { (entry) throws(TrackerError) -> Bool in
            switch entry.key {
            case "subjects":
                let filter = entry.value
                let tokens = filter.split(separator: ".", omittingEmptySubsequences: false)
                guard !filter.isEmpty, filter.utf8.count <= 512, tokens.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } }),
                      !tokens.dropLast().contains(">") else {
                    throw file.error(entry, "one subject filter, tokens separated by dots, * and > as wildcards (e.g. tracker.> or tracker.QNG.*), got '\(filter)'")
                }
                subjects = filter
            case "durable":
                guard (1...64).contains(entry.value.utf8.count),
                      entry.value.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D }) else {
                    throw file.error(entry, "a consumer name is 1–64 letters, digits, '_' or '-', got '\(entry.value)'")
                }
                durable = entry.value
            case "snapshot_every_records": snapshotEvery = try file.integer(entry, in: 1...1_000_000)
            default: return false
            }
            return true
        }
        self.subjects = subjects
        self.durable = durable
        self.snapshotEvery = snapshotEvery
    }
}
