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
