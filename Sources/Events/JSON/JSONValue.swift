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

/// A JSON object: members in written order, keys unique (the parser rejects duplicates).
public struct JSONObject: Sendable, Equatable {
    /// The members in written order.
    public var members: [(key: String, value: JSONValue)]

    /// An object with the given members.
    public init(_ members: [(key: String, value: JSONValue)] = []) { self.members = members }

    /// The value of `key`, or nil when absent. Objects are small, so this is a linear scan; keys
    /// of another length are passed over without a string comparison (which is Unicode-aware).
    public subscript(key: String) -> JSONValue? {
        get {
            let length = key.utf8.count
            for member in members where member.key.utf8.count == length && member.key == key { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    /// The keys in written order.
    public var keys: [String] { members.map(\.key) }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.members.count == b.members.count && zip(a.members, b.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
