import Foundation
import Glibc
import Projections
import Events

/// Limits on what one client can ask of the daemon; each is configurable and each is answered
/// with a clear error, never a crash.
struct Limits: Sendable {
    /// Longest request line accepted, in bytes.
    var maxLineBytes = 1 << 20
    /// Connections served at once; one more is answered `busy` and closed.
    var maxConnections = 256
    /// Seconds a connection may stay silent before it is closed.
    var idleTimeout: Double = 300
    /// Seconds a response may take to be accepted by a slow reader before the connection is dropped.
    var sendTimeout: Double = 10
    /// Deepest JSON nesting accepted in a request.
    var maxJSONDepth = 16
    /// Connections one uid may hold at once (the daemon's own user is not held to it).
    var maxConnectionsPerUID = 32
    /// Requests one connection may have waiting for answers; further lines stay unread.
    var maxRequestsInFlight = 16
    /// Bytes of answers held for one connection (not yet sent, or parked out of order) past which
    /// no more of its requests are read and none of its queries is started.
    var maxOutputBytes = 4 << 20
    /// The same for all connections together: past it, only connections holding nothing are served.
    var maxOutputBytesTotal = 128 << 20
    /// The largest answer built: a `log` or `status` answer that would be larger comes in pages.
    var maxAnswerBytes = 4 << 20
    /// Heavy queries (`verify`, `log`, `backup`) running at once, over all connections.
    var heavyQueries = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)

    /// The answer to a request line longer than `maxLineBytes`, naming the setting and the way on.
    var lineTooLarge: TrackerError {
        TrackerError(.tooLarge, "the request line is longer than \(maxLineBytes) bytes (max_line_bytes in [limits] of the daemon's configuration); "
            + "it was not read. Send it in smaller requests (trackctl import sends a large file in pieces), or raise max_line_bytes")
    }
}

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
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: []].append(Entry(key: key.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "),
                                                        value: value, line: index + 1))
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
# Every key is documented in docs/configuration.md. Roles, checkpoints, [alerts] and [limits]
# take effect on SIGHUP (systemctl reload trackerd); [store] and [budget] at the next start.

[store]
segment_bytes = 67108864          # bytes preallocated per log segment
snapshot_every_records = 1000000  # a snapshot of the projections after this many records (0: only at shutdown and when idle)

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

[budget]
lapse_date = 31/01                # after this day of the next year, unspent money lapses (hủy dự toán)

[alerts]
check_interval_seconds = 60       # how often the checkpoints are checked (also at start)
# command = /usr/local/bin/notify-budget --channel tracker   # gets each alert as JSON on stdin
command_timeout_seconds = 10      # the command is killed after this

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

"""

extension DaemonSettings {
    /// Reads flags, environment and the configuration file.
    static func load(_ arguments: ParsedArguments) throws(TrackerError) -> DaemonSettings {
        let dataDirectory = DefaultPaths.dataDirectory(explicit: arguments.value("data-dir"))
        var settings = DaemonSettings(dataDirectory: dataDirectory,
                                      socketPath: DefaultPaths.socketPath(explicit: arguments.value("socket"), dataDirectory: dataDirectory),
                                      importFile: arguments.value("import"))
        settings.readOnly = arguments.has("read-only")
        settings.exitWhenStdinCloses = arguments.has("exit-when-stdin-closes")
        if settings.readOnly {
            for option in ["import", "accept-log-end"] where arguments.value(option) != nil {
                throw TrackerError(.badRequest, "--\(option) writes to the store, and --read-only writes nothing: give one or the other")
            }
            guard arguments.value("socket") != nil || DefaultPaths.environment(DefaultPaths.socketVariable) != nil else {
                throw TrackerError(.badRequest, "--read-only needs --socket PATH (or $TRACKER_SOCKET): the store's own socket, "
                    + "\(dataDirectory)/trackerd.sock, belongs to the daemon that writes the store, and a copy may be where nobody can write")
            }
        }
        if let accept = arguments.value("accept-log-end") {
            guard let seq = UInt64(accept) else {
                throw TrackerError(.invalidArgument, "--accept-log-end takes the seq the log ends at (a whole number), not '\(accept)'")
            }
            settings.logOptions.acceptLogEnd = seq
        }
        if let now = arguments.value("now") {
            settings.simulatedNow = try Timestamp.parse(now.contains("T") || now.contains(" ") ? now : now + "T08:00")
            try Clock.check(settings.simulatedNow!, what: "--now \(now)")
        }
        try settings.apply(ConfigFile(path: "(built-in defaults)", text: defaultConfiguration))
        let configPath = arguments.value("config") ?? dataDirectory + "/trackerd.conf"
        if !settings.readOnly && arguments.value("config") == nil && !FileSystem.exists(configPath) && !FileSystem.exists(dataDirectory + "/log") {
            // A new store: write the defaults out, so the real file is there to read and edit.
            do {
                try FileSystem.createDirectory(dataDirectory)
                try FileSystem.writeFileAtomically(configPath, Array(defaultConfiguration.utf8), mode: 0o640)
            } catch {
                throw TrackerError(.ioError, "cannot write the default configuration to \(configPath): \(error)")
            }
        }
        if FileSystem.exists(configPath) || arguments.value("config") != nil {
            let bytes: [UInt8]
            do throws(Errno) { bytes = try FileSystem.readFile(configPath) } catch {
                guard settings.readOnly && arguments.value("config") == nil && error == .permissionDenied else {
                    throw TrackerError(.invalidArgument, "cannot read the configuration file \(configPath): \(error)")
                }
                // A reader of another user's store: the writer's configuration is not for it to read.
                settings.remarks.append("cannot read the store's configuration \(configPath) (\(error)): the built-in defaults apply; give --config FILE for others")
                return settings
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw TrackerError(.invalidArgument, "the configuration file \(configPath) is not UTF-8 text")
            }
            try settings.apply(ConfigFile(path: configPath, text: text))
        }
        return settings
    }

    mutating func apply(_ file: ConfigFile) throws(TrackerError) {
        let known: Set<String> = ["store", "limits", "roles", "budget", "alerts", "checkpoints"]
        for section in file.sections.keys where !known.contains(section) && !section.hasPrefix("checkpoints from ") {
            throw TrackerError(.invalidArgument, "\(file.path): unknown section [\(section)] (sections: \(known.sorted().joined(separator: ", ")), checkpoints from YEAR)")
        }
        for entry in file.entries("store") {
            switch entry.key {
            case "segment_bytes": logOptions.segmentBytes = Int64(try file.integer(entry, in: 4096...(1 << 34)))
            case "snapshot_every_records": snapshotEvery = UInt64(try file.integer(entry, in: 0...1_000_000_000))
            default: throw file.error(entry, "unknown key in [store]")
            }
        }
        for entry in file.entries("limits") {
            switch entry.key {
            case "max_line_bytes": limits.maxLineBytes = try file.integer(entry, in: 1024...(1 << 30))
            case "max_connections": limits.maxConnections = try file.integer(entry, in: 1...100_000)
            case "idle_timeout_seconds": limits.idleTimeout = try file.seconds(entry)
            case "send_timeout_seconds": limits.sendTimeout = try file.seconds(entry)
            case "max_json_depth": limits.maxJSONDepth = try file.integer(entry, in: 2...256)
            case "max_connections_per_uid": limits.maxConnectionsPerUID = try file.integer(entry, in: 1...100_000)
            case "max_requests_in_flight": limits.maxRequestsInFlight = try file.integer(entry, in: 1...4096)
            case "max_output_bytes": limits.maxOutputBytes = try file.integer(entry, in: 65_536...(1 << 32))
            case "max_output_bytes_total": limits.maxOutputBytesTotal = try file.integer(entry, in: (1 << 20)...(1 << 40))
            case "max_answer_bytes": limits.maxAnswerBytes = try file.integer(entry, in: 1024...(1 << 30))
            case "heavy_queries_at_once": limits.heavyQueries = try file.integer(entry, in: 1...256)
            default: throw file.error(entry, "unknown key in [limits]")
            }
        }
        for entry in file.entries("roles") {
            let words = entry.key.split(separator: " ").map(String.init)
            // `clerk` or `clerk of BDT, SVHTTDL`.
            let parts = entry.value.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            let roleName = parts.first.map { $0.lowercased() } ?? ""
            let role = Role(name: roleName)
            if words == ["default"] {
                guard role != nil || roleName == "none", parts.count == 1 else {
                    throw file.error(entry, "must be viewer, clerk, admin or none (a role for some agencies is given to a user or a group)")
                }
                access.defaultRole = role
                continue
            }
            guard let role else { throw file.error(entry, "must be viewer, clerk or admin, optionally 'of' agencies (clerk of BDT, SVHTTDL), got '\(entry.value)'") }
            var scope: AgencyScope? = nil
            if parts.count > 1 {
                guard parts.count == 3, parts[1].lowercased() == "of" else {
                    throw file.error(entry, "write the agencies after 'of': '\(roleName) of BDT, SVHTTDL'")
                }
                var agencies: [AgencyID] = []
                for text in parts[2].split(separator: ",") {
                    let id = text.trimmingCharacters(in: .whitespaces)
                    do throws(TrackerError) { agencies.append(try AgencyID(id)) } catch {
                        throw file.error(entry, "'\(id)' is not an agency id: \(error.message)")
                    }
                }
                guard !agencies.isEmpty else { throw file.error(entry, "name at least one agency after 'of'") }
                scope = AgencyScope(agencies)
            }
            let grant = AccessPolicy.Grant(role: role, scope: scope)
            guard words.count == 2 else { throw file.error(entry, "write 'user NAME = ROLE', 'uid N = ROLE', 'group NAME = ROLE' or 'gid N = ROLE'") }
            switch words[0] {
            case "user":
                guard let entryPointer = getpwnam(words[1]) else { throw file.error(entry, "no user named \(words[1]) on this system") }
                access.users[entryPointer.pointee.pw_uid] = grant
            case "uid":
                guard let uid = UInt32(words[1]) else { throw file.error(entry, "'\(words[1])' is not a uid") }
                access.users[uid] = grant
            case "group":
                guard let group = getgrnam(words[1]) else { throw file.error(entry, "no group named \(words[1]) on this system") }
                access.groups[group.pointee.gr_gid] = grant
            case "gid":
                guard let gid = UInt32(words[1]) else { throw file.error(entry, "'\(words[1])' is not a gid") }
                access.groups[gid] = grant
            default:
                throw file.error(entry, "write 'user NAME = ROLE', 'uid N = ROLE', 'group NAME = ROLE' or 'gid N = ROLE'")
            }
        }
        for entry in file.entries("budget") {
            switch entry.key {
            case "lapse_date":
                let parts = entry.value.split(separator: "/")
                guard parts.count == 2, let day = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month), (1...28).contains(day) || (day <= 31 && month != 2) else {
                    throw file.error(entry, "write the day and month of the next year, e.g. 31/01")
                }
                rules.lapseDay = day
                rules.lapseMonth = month
            default: throw file.error(entry, "unknown key in [budget]")
            }
        }
        for entry in file.entries("alerts") {
            switch entry.key {
            case "check_interval_seconds": alertInterval = try file.seconds(entry)
            case "command_timeout_seconds": alertCommandTimeout = try file.seconds(entry)
            case "command":
                do throws(UsageError) { alertCommand = try Tokenizer.words(entry.value) } catch { throw file.error(entry, error.message) }
                guard let program = alertCommand.first, program.hasPrefix("/") else {
                    throw file.error(entry, "give the command's absolute path (it is run directly, without a shell)")
                }
            default: throw file.error(entry, "unknown key in [alerts]")
            }
        }
        // Checkpoint sets: a file that gives any replaces the defaults.
        var sets: [(fromYear: Int, checkpoints: [Checkpoint])] = []
        for (section, entries) in file.sections where section == "checkpoints" || section.hasPrefix("checkpoints from ") {
            var fromYear = BusinessDate.validYears.lowerBound
            if section != "checkpoints" {
                guard let year = Int(section.dropFirst("checkpoints from ".count)), BusinessDate.validYears.contains(year) else {
                    throw TrackerError(.invalidArgument, "\(file.path): write the section as [checkpoints from 2025]")
                }
                fromYear = year
            }
            var checkpoints: [Checkpoint] = []
            for entry in entries { checkpoints.append(try file.checkpoint(entry)) }
            sets.append((fromYear, checkpoints.sorted()))
        }
        if !sets.isEmpty { schedule = CheckpointSchedule(sets: sets) }
    }
}
