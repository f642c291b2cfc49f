import Foundation
import Glibc
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
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw TrackerError(.invalidArgument, "\(path):\(index + 1): a section is written [name]") }
                section = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces).lowercased()
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

    func seconds(_ entry: Entry) throws(TrackerError) -> Double {
        guard let value = Double(entry.value), value > 0, value <= 86_400 * 7 else {
            throw error(entry, "must be a number of seconds above 0, got '\(entry.value)'")
        }
        return value
    }
}

extension DaemonSettings {
    /// Reads flags, environment and the configuration file.
    static func load(_ arguments: ParsedArguments) throws(TrackerError) -> DaemonSettings {
        let dataDirectory = DefaultPaths.dataDirectory(explicit: arguments.value("data-dir"))
        var settings = DaemonSettings(dataDirectory: dataDirectory,
                                      socketPath: DefaultPaths.socketPath(explicit: arguments.value("socket"), dataDirectory: dataDirectory),
                                      importFile: arguments.value("import"))
        if let now = arguments.value("now") {
            settings.simulatedNow = try Timestamp.parse(now.contains("T") || now.contains(" ") ? now : now + "T08:00")
        }
        let configPath = arguments.value("config") ?? dataDirectory + "/trackerd.conf"
        if arguments.value("config") != nil || FileSystem.exists(configPath) {
            let bytes: [UInt8]
            do { bytes = try FileSystem.readFile(configPath) } catch {
                throw TrackerError(.invalidArgument, "cannot read the configuration file \(configPath): \(error)")
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
        for section in file.sections.keys where !known.contains(section) {
            throw TrackerError(.invalidArgument, "\(file.path): unknown section [\(section)] (sections: \(known.sorted().joined(separator: ", ")))")
        }
        for entry in file.entries("store") {
            switch entry.key {
            case "segment_bytes": logOptions.segmentBytes = Int64(try file.integer(entry, in: 4096...(1 << 34)))
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
            default: throw file.error(entry, "unknown key in [limits]")
            }
        }
        for entry in file.entries("roles") {
            let words = entry.key.split(separator: " ").map(String.init)
            let roleName = entry.value.lowercased()
            let role = Role(name: roleName)
            if words == ["default"] {
                guard role != nil || roleName == "none" else { throw file.error(entry, "must be viewer, clerk, admin or none") }
                access.defaultRole = role
                continue
            }
            guard let role else { throw file.error(entry, "must be viewer, clerk or admin, got '\(entry.value)'") }
            guard words.count == 2 else { throw file.error(entry, "write 'user NAME = ROLE', 'uid N = ROLE', 'group NAME = ROLE' or 'gid N = ROLE'") }
            switch words[0] {
            case "user":
                guard let entryPointer = getpwnam(words[1]) else { throw file.error(entry, "no user named \(words[1]) on this system") }
                access.users[entryPointer.pointee.pw_uid] = role
            case "uid":
                guard let uid = UInt32(words[1]) else { throw file.error(entry, "'\(words[1])' is not a uid") }
                access.users[uid] = role
            case "group":
                guard let group = getgrnam(words[1]) else { throw file.error(entry, "no group named \(words[1]) on this system") }
                access.groups[group.pointee.gr_gid] = role
            case "gid":
                guard let gid = UInt32(words[1]) else { throw file.error(entry, "'\(words[1])' is not a gid") }
                access.groups[gid] = role
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
    }
}
