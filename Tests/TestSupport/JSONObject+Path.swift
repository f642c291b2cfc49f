import Events

extension JSONObject {
    /// A nested value by path, for terse expectations: `json["total", "disbursed"]`.
    public subscript(path: String...) -> JSONValue? {
        var current: JSONValue = .object(self)
        for key in path {
            guard case .object(let object) = current, let next = object[key] else { return nil }
            current = next
        }
        return current
    }
}
