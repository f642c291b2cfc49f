import Foundation
import Glibc
import Projections
import Events

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
        let known: Set<String> = ["store", "limits", "roles", "budget", "alerts", "checkpoints", "stream", "mirror"]
        for section in file.sections.keys where !known.contains(section) && !section.hasPrefix("checkpoints from ") && section != "report"
            && !section.hasPrefix("report ") && !section.hasPrefix("budget from ") {
            throw TrackerError(.invalidArgument, "\(file.path): unknown section [\(section)] (sections: \(known.sorted().joined(separator: ", ")), budget from YEAR, checkpoints from YEAR, report, report AGENCY)")
        }
        try reports.apply(file)
        for entry in file.entries("store") {
            switch entry.key {
            case "segment_bytes": logOptions.segmentBytes = Int64(try file.integer(entry, in: 4096...(1 << 34)))
            case "snapshot_every_records": snapshotEvery = UInt64(try file.integer(entry, in: 0...1_000_000_000))
            case "province":
                let code: ProvinceCode
                do throws(TrackerError) { code = try ProvinceCode(entry.value) } catch {
                    throw file.error(entry, "\(error.message); a province code is 1–16 characters of A–Z, 0–9 and '-' (default QNG, Quảng Ngãi)")
                }
                province = code
                rules.province = code.text
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
        try applyBudget(file)
        for entry in file.entries("alerts") {
            switch entry.key {
            case "check_interval_seconds": alertInterval = try file.seconds(entry)
            case "command_timeout_seconds": alertCommandTimeout = try file.seconds(entry)
            case "late_after_days":
                guard let days = Int(entry.value), (1...3660).contains(days) else {
                    throw file.error(entry, "write a whole number of days from 1 to 3660, e.g. 30")
                }
                schedule.lateAfterDays = days
            case "command":
                do throws(UsageError) { alertCommand = try Tokenizer.words(entry.value) } catch { throw file.error(entry, error.message) }
                guard let program = alertCommand.first, program.hasPrefix("/") else {
                    throw file.error(entry, "give the command's absolute path (it is run directly, without a shell)")
                }
            default: throw file.error(entry, "unknown key in [alerts]")
            }
        }
        try stream.apply(file)
        try mirror.apply(file)
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
        if !sets.isEmpty { schedule.sets = CheckpointSchedule(sets: sets).sets }
    }

    /// `[budget]` and `[budget from YEAR]`: the rules of budget years, each from the year it applies
    /// from. Any amendment_deadline line replaces the defaults (15/11, and 15/12 from 2026) as a
    /// whole, any lapse_date line the default (31/01), and any carry_over line the lists of Law
    /// 83/2015 and, from 2026, Law 89/2025.
    private mutating func applyBudget(_ file: ConfigFile) throws(TrackerError) {
        var amendmentDeadlinesSet = false, lapseDatesSet = false, carryOverSet = false
        for (section, entries) in file.sections where section == "budget" || section.hasPrefix("budget from ") {
            var sectionYear: Int? = nil
            if section != "budget" {
                guard let year = Int(section.dropFirst("budget from ".count)), BusinessDate.validYears.contains(year) else {
                    throw TrackerError(.invalidArgument, "\(file.path): write the section as [budget from 2026]")
                }
                sectionYear = year
            }
            var carryOver: (entry: ConfigFile.Entry, grounds: [CarryOverGround])? = nil
            var law: ConfigFile.Entry? = nil
            for entry in entries {
                switch entry.key {
                case let key where key == "lapse_date" || (sectionYear == nil && key.hasPrefix("lapse_date from ")):
                    let (day, month) = try dayAndMonth(entry, in: file, "write the day and month of the next year, e.g. 31/01")
                    let fromYear = try yearOf(entry, key: "lapse_date", section: sectionYear, in: file)
                    if !lapseDatesSet { rules.lapseDates = []; lapseDatesSet = true }
                    try Self.put(&rules.lapseDates, (fromYear, month, day), entry, in: file)
                case let key where key == "amendment_deadline" || (sectionYear == nil && key.hasPrefix("amendment_deadline from ")):
                    let (day, month) = try dayAndMonth(entry, in: file, "write the day and month of the budget year, e.g. 15/12")
                    let fromYear = try yearOf(entry, key: "amendment_deadline", section: sectionYear, in: file)
                    if !amendmentDeadlinesSet { rules.amendmentDeadlines = []; amendmentDeadlinesSet = true }
                    try Self.put(&rules.amendmentDeadlines, (fromYear, month, day), entry, in: file)
                case "carry_over":
                    var grounds: [CarryOverGround] = []
                    for name in entry.value.split(separator: ",") {
                        do throws(TrackerError) { grounds.append(try CarryOverGround.parse(String(name))) } catch {
                            throw file.error(entry, error.message)
                        }
                    }
                    guard !grounds.isEmpty else { throw file.error(entry, "list the classes of money that may be carried over, separated by commas") }
                    carryOver = (entry, grounds)
                case "carry_over_law":
                    guard !entry.value.isEmpty, entry.value.count <= 200 else { throw file.error(entry, "name the law and article, e.g. Law 89/2025/QH15, Điều 66.3") }
                    law = entry
                default:
                    throw file.error(entry, sectionYear == nil ? "unknown key in [budget]" : "unknown key in [\(section)] (lapse_date, amendment_deadline, carry_over, carry_over_law)")
                }
            }
            guard let carryOver else {
                if let law { throw file.error(law, "carry_over_law goes with a carry_over line in the same section") }
                continue
            }
            guard let law else { throw file.error(carryOver.entry, "name the law that allows these classes with carry_over_law in the same section") }
            let fromYear = sectionYear ?? BusinessDate.validYears.lowerBound
            if !carryOverSet { rules.carryOverRules = []; carryOverSet = true }
            rules.carryOverRules.removeAll { $0.fromYear == fromYear }
            rules.carryOverRules.append(BudgetRules.CarryOverRule(fromYear: fromYear, law: law.value, grounds: carryOver.grounds))
            rules.carryOverRules.sort { $0.fromYear < $1.fromYear }
        }
    }

    /// The budget year a dated rule applies from: its section's (`[budget from 2026]`), the key's
    /// (`KEY from 2026` in `[budget]`), or every year.
    private func yearOf(_ entry: ConfigFile.Entry, key: String, section: Int?, in file: ConfigFile) throws(TrackerError) -> Int {
        if let section { return section }
        guard entry.key != key else { return BusinessDate.validYears.lowerBound }
        guard let year = Int(entry.key.dropFirst("\(key) from ".count)), BusinessDate.validYears.contains(year) else {
            throw file.error(entry, "write the key as '\(key) from 2026', or the line in [budget from 2026]")
        }
        return year
    }

    /// Puts a dated day of `entry` into `rules` (oldest first; the defaults were cleared at the
    /// file's first such line). The same year given twice (`KEY from 2026` in `[budget]` and `KEY`
    /// in `[budget from 2026]`) is refused: which would count is not for the reader to guess.
    private static func put(_ rules: inout [(fromYear: Int, month: Int, day: Int)], _ rule: (fromYear: Int, month: Int, day: Int),
                            _ entry: ConfigFile.Entry, in file: ConfigFile) throws(TrackerError) {
        guard !rules.contains(where: { $0.fromYear == rule.fromYear }) else {
            throw file.error(entry, "is given twice for budget years from \(rule.fromYear) (in [budget] as '\(entry.key.split(separator: " ")[0]) from \(rule.fromYear)' and in [budget from \(rule.fromYear)]); keep one")
        }
        rules.append(rule)
        rules.sort { $0.fromYear < $1.fromYear }
    }

    /// A `DD/MM` value of the configuration; `advice` says what to write when it is not one.
    private func dayAndMonth(_ entry: ConfigFile.Entry, in file: ConfigFile, _ advice: String) throws(TrackerError) -> (day: Int, month: Int) {
        let parts = entry.value.split(separator: "/")
        guard parts.count == 2, let day = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month), (1...28).contains(day) || (day <= 31 && month != 2) else {
            throw file.error(entry, advice)
        }
        return (day, month)
    }
}
