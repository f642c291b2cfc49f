/// One command, all of it in one place: its operation on the wire, its command-line form, and
/// how it is read from the command line, read from a request and written into one.
///
/// Each command is a type conforming to this (`Disburse`, `Allocate`, …), in a file of its own
/// that holds the four side by side, so the command line (`trackctl`, import files), the daemon's
/// decoder and the client's encoder cannot drift apart. `Command.definition(of:)` finds the type
/// of an operation; an operation of the table that is a command has one.
public protocol CommandDefinition: Sendable, Equatable {
    /// Its operation (a row of `WireOperation`'s table).
    static var operation: WireOperation { get }
    /// Its command-line form: words, arguments, options and help.
    static var spec: CommandSpec { get }
    /// Builds the command from arguments parsed against `spec`; a bad value is a `TrackerError`.
    init(arguments: ParsedArguments) throws(TrackerError)
    /// Reads the command from a request object (`op` and `id` are the envelope); unknown fields
    /// are refused with `bad_request`.
    init(request: JSONObject) throws(TrackerError)
    /// Writes the command's fields (without `op` and `id`) into an open request object: what
    /// `init(request:)` reads back.
    func encodeFields(to w: inout JSONWriter)
    /// The command, as the books take it.
    var command: Command { get }
}

extension CommandDefinition {
    /// The command read from a request object (see `init(request:)`).
    static func command(request: JSONObject) throws(TrackerError) -> Command {
        try Self(request: request).command
    }

    /// The command built from command-line arguments (see `init(arguments:)`).
    static func command(arguments: ParsedArguments) throws(TrackerError) -> Command {
        try Self(arguments: arguments).command
    }

    /// Refuses fields of `request` this command does not take (`op` and `id` are allowed).
    static func allowOnly(_ fields: [String], in request: JSONObject) throws(TrackerError) {
        try request.rejectUnknownKeys(fields, envelope: true, in: "\(operation.name) request")
    }
}
