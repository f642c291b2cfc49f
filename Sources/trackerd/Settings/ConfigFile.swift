import Foundation
import Glibc
import Projections
import Events

/// The configuration file: `key = value` lines in `[sections]`; `#` starts a comment.
/// docs/configuration.md describes every key, with the defaults written out.
struct ConfigFile {
    struct Entry {
        var key: String
        var value: String
        var line: Int
    }

    /// Entries by section name (the part before the first section is "").
    var sections: [String: [Entry]] = [:]
    let path: String

    init(path: String, text: String) throws(TrackerError) {
        self.path = path
        var section = ""
        // A file saved by Notepad or Excel starts with a byte order mark: not part of the first line.
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw TrackerError(.invalidArgument, "\(path):\(index + 1): a section is written [name]") }
                section = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces).lowercased()
                    .split(separator: " ").joined(separator: " ")
                // A section exists even when empty: an empty [checkpoints] turns the alerts off.
                sections[section, default: []] += []
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw TrackerError(.invalidArgument, "\(path):\(index + 1): expected 'key = value', got '\(line)'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
                .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // A key given twice would leave the reader guessing which line counts.
            if let first = sections[section]?.first(where: { $0.key == key }) {
                throw TrackerError(.invalidArgument, "\(path):\(index + 1): \(key) is given twice in [\(section)] (first on line \(first.line)); keep one")
            }
            sections[section, default: []].append(Entry(key: key, value: value, line: index + 1))
        }
    }

    func entries(_ section: String) -> [Entry] { sections[section] ?? [] }

    func error(_ entry: Entry, _ message: String) -> TrackerError {
        TrackerError(.invalidArgument, "\(path):\(entry.line): \(entry.key): \(message)")
    }

    func integer(_ entry: Entry, in range: ClosedRange<Int>) throws(TrackerError) -> Int {
        guard let value = Int(entry.value.replacingOccurrences(of: "_", with: "")), range.contains(value) else {
            throw error(entry, "must be a whole number within \(range.lowerBound)–\(range.upperBound), got '\(entry.value)'")
        }
        return value
    }

    /// A checkpoint line: `30/09 = below 60%`, `31/10 = behind straight line`, `31/01 = lapse`.
    func checkpoint(_ entry: Entry) throws(TrackerError) -> Checkpoint {
        let parts = entry.key.split(separator: "/")
        guard parts.count == 2, let day = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month),
              (1...BusinessDate.daysIn(month: month, year: 2001)).contains(day) else {
            throw error(entry, "a checkpoint is a day of the year written DD/MM, e.g. 30/09")
        }
        // January checkpoints close the budget year before them (the adjustment period).
        let nextYear = month == 1
        let rule = entry.value.lowercased().split(separator: " ").joined(separator: " ")
        if rule == "behind straight line" { return Checkpoint(day: day, month: month, nextYear: nextYear, rule: .behindStraightLine) }
        if rule == "lapse" { return Checkpoint(day: day, month: month, nextYear: nextYear, rule: .lapse) }
        if rule.hasPrefix("below "), rule.hasSuffix("%") {
            let number = rule.dropFirst(6).dropLast().replacingOccurrences(of: ",", with: ".").trimmingCharacters(in: .whitespaces)
            if let percent = Double(number), percent > 0, percent <= 100 {
                return Checkpoint(day: day, month: month, nextYear: nextYear, rule: .belowRate, thresholdMilli: Int64((percent * 1000).rounded()))
            }
        }
        throw error(entry, "the rule must be `below N%`, `behind straight line` or `lapse`, got '\(entry.value)'")
    }

    func seconds(_ entry: Entry) throws(TrackerError) -> Double {
        guard let value = Double(entry.value), value > 0, value <= 86_400 * 7 else {
            throw error(entry, "must be a number of seconds above 0, got '\(entry.value)'")
        }
        return value
    }
}

/// The configuration a new store starts with: written to `<store>/trackerd.conf` at the first start,
/// so the operator edits the real file. docs/configuration.md explains every key.
let defaultConfiguration = """
# trackerd configuration. Lines are `key = value` in [sections]; `#` starts a comment.
# Every key is documented in docs/configuration.md. Roles, checkpoints, [budget], [alerts] and
# [limits] take effect on SIGHUP (systemctl reload trackerd); [store] at the next start.

[store]
segment_bytes = 67108864          # bytes preallocated per log segment
snapshot_every_records = 1000000  # a snapshot of the projections after this many records (0: only at shutdown and when idle)
province = QNG                    # the store's province code (A–Z, 0–9, '-', at most 16): agencies belong to it unless registered with another; names the store's subject in the stream

[limits]
max_line_bytes = 1048576          # longest request line
max_connections = 256             # connections served at once
idle_timeout_seconds = 300        # a silent connection is closed after this
send_timeout_seconds = 10         # a client that does not read its answer is dropped after this
max_json_depth = 16               # deepest JSON nesting in a request
max_connections_per_uid = 32      # connections one user may hold (the daemon's own user: no limit)
max_requests_in_flight = 16       # requests one connection may have waiting for answers
max_output_bytes = 4194304        # answers held for one connection before it is served no further
max_output_bytes_total = 134217728  # the same for all connections together
max_answer_bytes = 4194304        # larger log and status answers come in pages
# heavy_queries_at_once = 1       # verify, log, backup running at once (default: half the processors, at least 1)

[roles]
default = viewer                  # anyone else who can open the socket; `none` refuses them
# user alice = clerk              # viewer: queries; clerk: + disburse, reverse, task status;
# group ketoan = clerk            # admin: + agencies, plans, tasks, allocate, carry-over, lapse, import

# Budget rules by the budget year they apply from: [budget] for every year, [budget from YEAR]
# from that year on (a later section's line replaces an earlier one's from its year).
[budget]
lapse_date = 31/01                # end of the adjustment period: after this day of the next year, unspent money lapses (hủy dự toán)
amendment_deadline = 15/11        # allocations are amended (điều chỉnh dự toán) by this day of the budget year (Law 83/2015/QH13)
# the classes of money that may be carried over (carry-over --ground), and the law that allows them
carry_over = added-after-30-09, public-investment, procurement, salary, autonomy, science-research
carry_over_law = Law 83/2015/QH13, Điều 64.3

[budget from 2026]                # State Budget Law 89/2025/QH15, from budget year 2026
# lapse_date = 31/01              # Điều 66.2 keeps 31/01; a line here would apply from 2026 on
amendment_deadline = 15/12        # Điều 55.3; later, an amendment needs a recorded override
carry_over = added-after-30-09, public-investment, national-target-programme, procurement, salary, autonomy, science-research, digital-transformation, reserve, aid, donation, audit-refund
carry_over_law = Law 89/2025/QH15, Điều 66.3

[alerts]
check_interval_seconds = 60       # how often the checkpoints are checked (also at start)
# command = /usr/local/bin/notify-budget --channel tracker   # gets each alert as JSON on stdin
command_timeout_seconds = 10      # the command is killed after this
late_after_days = 30              # an alert raised more days than this after its checkpoint (history recorded later)
                                  #   is late: recorded and listed, not logged, followed or sent to the command as new

# Publishing every durable record to NATS JetStream (off unless servers is given); see
# docs/architecture.md, "The change stream". TLS is the local nats-server's (a leaf node).
[stream]
# servers = nats://127.0.0.1:4222 # NATS servers to try in turn, separated by commas
# user = tracker                  # credentials for the server: user and password, or token
# password = …
# stream = TRACKER                # the JetStream stream, made when missing
# subject_prefix = tracker        # records go to PREFIX.PROVINCE.STORE
# replicas = 1                    # copies the cluster keeps of a stream trackerd makes (1–5)
# domain = national               # the cluster's JetStream domain, when reached through a leaf node without JetStream
# ack_timeout_seconds = 5         # an acknowledgement not come by then: the connection is taken as lost

# Year-end checkpoints: DD/MM = rule, for budget years from the section's year on (a later
# [checkpoints from YEAR] section replaces this set from that year). January days belong to the
# year after the budget year. Rules: `below N%`, `behind straight line` (the straight line from
# the allocation date to 31/12), `lapse` (money left will lapse unless carried over).
[checkpoints]
30/09 = below 60%
31/10 = behind straight line
30/11 = behind straight line
15/12 = behind straight line
31/12 = below 100%
31/01 = lapse

# Letterheads of reports (trackctl report): [report] for every agency, [report AGENCY] for one.
# Keys: co_quan_chu_quan, co_quan_bao_cao, place, nguoi_lap_bieu, thu_truong, thu_truong_ten, bieu_so.
# [report BDT]
# co_quan_bao_cao = BAN DÂN TỘC
# thu_truong = TRƯỞNG BAN

"""
