/// A parsed JSON value. Objects keep their members in written order.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A whole number that fits in Int64.
    case int(Int64)
    /// Any other valid JSON number (fraction, exponent, or out of Int64's range), exactly as written.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A short name of the value's kind, for error messages ("a string", "an object").
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "true/false"
        case .int: "a whole number"
        case .number(let text): text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? "a fractional number" : "a number too large"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Serialises the value as compact JSON.
    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.value(self)
        return writer.bytes
    }
}
