/// Commands on the wire: `{"id":…,"op":"disburse","task":"860/KH-BDT#1","amount":3402000,…}`.
///
/// Money fields take whole đồng as a JSON integer or a Vietnamese amount as a string ("3,402 triệu").
/// Each command's fields are read and written by its definition (`Disburse`, `Allocate`, …).
extension Command {
    /// Reads a command from a request object with its `op` (a command of an import).
    public init(request: JSONObject) throws(TrackerError) {
        let op = try request.string("op")
        guard let definition = WireOperation(rawValue: op).flatMap(Command.definition(of:)) else {
            throw TrackerError(.unknownOperation, "unknown command '\(op)'")
        }
        self = try definition.command(request: request)
    }

    /// Reads the command `operation` from its request object, whose operation the caller has
    /// already looked up (`WireOperation.named`); nil when the operation is not a command.
    public init?(operation: WireOperation, request: JSONObject) throws(TrackerError) {
        guard let definition = Command.definition(of: operation) else { return nil }
        self = try definition.command(request: request)
    }

    /// Writes the command's fields (with `op`, without `id`) into an open request object.
    public func encodeFields(to w: inout JSONWriter) {
        w.key("op"); w.string(operation)
        if let definition { return definition.encodeFields(to: &w) }
        if case .raiseAlert(let alert) = self {
            w.key("alert")
            alert.encode(to: &w)
        }
    }
}
