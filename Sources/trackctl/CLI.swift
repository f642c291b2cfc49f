import Events
import Glibc
import Projections

/// Options every command that talks to the daemon takes.
let connectionOptions: [OptionSpec] = [
    .value("socket", "PATH", "trackerd's socket (default: $TRACKER_SOCKET, else trackerd.sock in the store directory)."),
    .value("data-dir", "DIR", "The store directory, to find the default socket (default: $TRACKER_HOME, else ~/.local/state/tracker)."),
]
let jsonOption = OptionSpec.flag("json", "Print the daemon's answer as JSON (money in whole đồng).")
let scopeOptions: [OptionSpec] = [
    .value("as-of", "DATE", "What was true on this business date (default: today in Asia/Ho_Chi_Minh)."),
    .value("known-at", "TIME", "Only what had been recorded by this time: 2023-11-25 (end of that day, Vietnam time), 2023-11-25T10:00, or UTC with Z."),
]

/// The connection for a command, from --socket / --data-dir / the environment, to a daemon that
/// speaks this trackctl's protocol (`Wire.protocolVersion`): its `hello` is read first, and a
/// daemon of another protocol is refused before anything is sent to it.
func connect(_ args: ParsedArguments) throws(Failure) -> Client {
    let directory = DefaultPaths.dataDirectory(explicit: args.value("data-dir"))
    let path = DefaultPaths.socketPath(explicit: args.value("socket"), dataDirectory: directory)
    let client: Client
    do throws(TrackerError) {
        client = try Client(address: UnixSocketAddress(path: path))
    } catch {
        throw Failure.failed(error.message)
    }
    let greeting: Client.Greeting
    do throws(TrackerError) { greeting = try client.greet() } catch { throw Failure(error) }
    switch greeting {
    case .speaks, .mayNotAsk: return client
    case .speaksOther(let version):
        throw Failure.failed("trackerd at \(client.address) speaks protocol \(version.map(String.init) ?? "(none named)"), and this trackctl "
            + "(\(TrackerVersion.string)) speaks protocol \(Wire.protocolVersion): it would misread the daemon's answers, so nothing was sent. "
            + "Use the trackctl that came with that trackerd.")
    }
}

/// Sends a request and returns the result object, turning a refusal into a failure.
func request(_ client: Client, _ op: WireOperation, _ fields: (inout JSONWriter) -> Void = { _ in }) throws(Failure) -> JSONObject {
    do throws(TrackerError) {
        let response = try client.call(op, fields)
        if let error = response.error { throw error }
        guard let result = response.result else { throw TrackerError(.internal, "the daemon sent no result") }
        return result
    } catch {
        throw Failure(error)
    }
}

/// Parses a typed value from an option, turning its error into a usage error.
func parseOption<T>(_ args: ParsedArguments, _ name: String, _ parse: (String) throws(TrackerError) -> T) throws(Failure) -> T? {
    guard let text = args.value(name) else { return nil }
    do throws(TrackerError) { return try parse(text) } catch { throw Failure.usage("--\(name): \(error.message)") }
}

/// Query parameters from the common options.
func queryParameters(_ args: ParsedArguments) throws(Failure) -> QueryParameters {
    var parameters = QueryParameters()
    parameters.asOf = try parseOption(args, "as-of") { (text) throws(TrackerError) in try BusinessDate.parse(text) }
    parameters.knownAt = try parseOption(args, "known-at") { (text) throws(TrackerError) in try Timestamp.parse(text) }
    parameters.agency = try parseOption(args, "agency") { (text) throws(TrackerError) in try AgencyID(text) }
    parameters.plan = try parseOption(args, "plan") { (text) throws(TrackerError) in try PlanID(text) }
    parameters.year = try parseOption(args, "year") { (text) throws(TrackerError) in try parseFiscalYear(text) }
    parameters.search = args.value("search")
    return parameters
}

/// Prints a result object as one line of JSON.
func printJSON(_ object: JSONObject) {
    print(String(decoding: JSONValue.object(object).encoded(), as: UTF8.self))
}

/// The line under a report's title: scope and, when the daemon's clock is simulated, a warning.
func scopeLine(_ result: JSONObject, asOf: BusinessDate?, throughSeq: UInt64?) -> TerminalText {
    var parts: [TerminalText] = []
    if let asOf { parts.append("as of \(asOf.vietnamese)") }
    if let throughSeq { parts.append("records through seq \(throughSeq)") }
    var line = TerminalText.joined(parts, separator: ", ")
    if let clock = try? ClockReading(in: result), clock.simulated {
        line += "\n*** SIMULATED CLOCK: the daemon's today is \(clock.today.vietnamese) ***"
    }
    if let clock = try? ClockReading(in: result), clock.readOnly {
        line += privateReader == nil ? "\nread-only: served by a trackerd that only reads its store (--read-only)"
            : "\nread-only: read from the store's files (trackctl --store), no daemon"
    }
    return line
}

/// Flushes standard output (a follow prints as alerts come, even into a pipe).
func fflushStandardOutput() {
    fflush(nil)
}
