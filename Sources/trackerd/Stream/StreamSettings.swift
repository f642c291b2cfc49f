import Events
import Projections

/// `[stream]` in trackerd.conf: where and how the daemon publishes its records to JetStream.
/// Off unless `servers` is given. docs/configuration.md describes every key.
struct StreamSettings: Sendable {
    /// The NATS servers to try, in turn (a local leaf node on loopback, in the deployment).
    var servers: [NATSServerAddress] = []
    var user: String?
    var password: String?
    var token: String?
    /// The JetStream stream (made when missing, for every subject under `subjectPrefix`).
    var streamName = "TRACKER"
    /// The first token of every store's subject: `PREFIX.PROVINCE.STORE`.
    var subjectPrefix = "tracker"
    /// Copies of the stream the cluster keeps, when the daemon makes it (1–5).
    var replicas = 1
    /// Seconds to wait for each acknowledgement before the connection is taken as lost.
    var ackTimeout: Double = 5
    /// The JetStream domain of the cluster, when trackerd reaches it through a leaf node that has
    /// no JetStream of its own (the leaf forwards `$JS.<domain>.API.>`, never `$JS.API.>`).
    var domain: String?

    /// The prefix of JetStream's API subjects: `$JS.API`, or `$JS.<domain>.API`.
    var apiPrefix: String { domain.map { "$JS.\($0).API" } ?? "$JS.API" }

    /// Whether publishing is configured.
    var enabled: Bool { !servers.isEmpty }

    /// The subject of a store's records.
    func subject(province: ProvinceCode, store: StoreID) -> String {
        "\(subjectPrefix).\(province.text).\(store.text)"
    }

    /// Reads the `[stream]` entries of `file` into these settings (or the connection keys of
    /// another section: `other` takes the keys that are that section's own, and says whether it
    /// knew the key).
    mutating func apply(_ file: ConfigFile, section: String = "stream",
                        other: (ConfigFile.Entry) throws(TrackerError) -> Bool = { _ in false }) throws(TrackerError) {
        for entry in file.entries(section) {
            if try other(entry) { continue }
            switch entry.key {
            case "servers":
                var servers: [NATSServerAddress] = []
                for text in entry.value.split(separator: ",") {
                    do throws(TrackerError) { servers.append(try NATSServerAddress(String(text))) } catch { throw file.error(entry, error.message) }
                }
                guard !servers.isEmpty, servers.count <= 32 else { throw file.error(entry, "give 1–32 servers, separated by commas") }
                self.servers = servers
            case "user": user = try Self.credential(entry, file)
            case "password": password = try Self.credential(entry, file)
            case "token": token = try Self.credential(entry, file)
            case "stream":
                guard (1...64).contains(entry.value.utf8.count),
                      entry.value.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D }) else {
                    throw file.error(entry, "a stream name is 1–64 letters, digits, '_' or '-', got '\(entry.value)'")
                }
                streamName = entry.value
            case "subject_prefix":
                guard NATSCommand.isValidSubject(entry.value), entry.value.utf8.count <= 200 else {
                    throw file.error(entry, "a subject prefix is dot-separated tokens without spaces or wildcards (e.g. tracker), got '\(entry.value)'")
                }
                subjectPrefix = entry.value
            case "replicas": replicas = try file.integer(entry, in: 1...5)
            case "domain":
                guard (1...64).contains(entry.value.utf8.count), NATSCommand.isValidSubject(entry.value), !entry.value.contains(".") else {
                    throw file.error(entry, "a JetStream domain is one subject token (letters, digits, '-', '_'), got '\(entry.value)'")
                }
                domain = entry.value
            case "ack_timeout_seconds":
                ackTimeout = try file.seconds(entry)
                guard ackTimeout <= 300 else { throw file.error(entry, "at most 300 seconds") }
            default: throw file.error(entry, "unknown key in [\(section)]")
            }
        }
        if password != nil && user == nil { throw TrackerError(.invalidArgument, "\(file.path): [\(section)] has a password but no user") }
        if token != nil && user != nil { throw TrackerError(.invalidArgument, "\(file.path): [\(section)] gives both a user and a token; NATS takes one or the other") }
    }

    private static func credential(_ entry: ConfigFile.Entry, _ file: ConfigFile) throws(TrackerError) -> String {
        guard !entry.value.isEmpty, entry.value.utf8.count <= 1024, entry.value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else {
            throw file.error(entry, "must be 1–1024 printable characters")
        }
        return entry.value
    }
}
