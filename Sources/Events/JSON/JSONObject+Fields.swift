/// Typed access to request and record fields, with errors that name the field.
extension JSONObject {
    private func fieldError(_ key: String, _ expected: String, got value: JSONValue) -> TrackerError {
        TrackerError(.badRequest, "field '\(key)' must be \(expected), got \(value.kindDescription)")
    }

    /// A required string field.
    public func string(_ key: String) throws(TrackerError) -> String {
        guard let value = self[key] else { throw TrackerError(.badRequest, "field '\(key)' is missing") }
        guard case .string(let text) = value else { throw fieldError(key, "a string", got: value) }
        return text
    }

    /// An optional string field (absent or null gives nil).
    public func optionalString(_ key: String) throws(TrackerError) -> String? {
        guard let value = self[key], value != .null else { return nil }
        guard case .string(let text) = value else { throw fieldError(key, "a string", got: value) }
        return text
    }

    /// A required whole-number field.
    public func int(_ key: String) throws(TrackerError) -> Int64 {
        guard let value = self[key] else { throw TrackerError(.badRequest, "field '\(key)' is missing") }
        guard case .int(let number) = value else {
            if case .number(let text) = value, !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                throw TrackerError(.invalidArgument, "field '\(key)' is too large: \(text) does not fit in 64 bits")
            }
            throw fieldError(key, "a whole number", got: value)
        }
        return number
    }

    /// An optional whole-number field.
    public func optionalInt(_ key: String) throws(TrackerError) -> Int64? {
        guard let value = self[key], value != .null else { return nil }
        return try int(key)
    }

    /// A required boolean field.
    public func bool(_ key: String) throws(TrackerError) -> Bool {
        guard let value = self[key] else { throw TrackerError(.badRequest, "field '\(key)' is missing") }
        guard case .bool(let flag) = value else { throw fieldError(key, "true or false", got: value) }
        return flag
    }

    /// An optional boolean field (absent gives `defaultValue`).
    public func optionalBool(_ key: String, default defaultValue: Bool = false) throws(TrackerError) -> Bool {
        guard let value = self[key], value != .null else { return defaultValue }
        return try bool(key)
    }

    /// A required object field.
    public func object(_ key: String) throws(TrackerError) -> JSONObject {
        guard let value = self[key] else { throw TrackerError(.badRequest, "field '\(key)' is missing") }
        guard case .object(let object) = value else { throw fieldError(key, "an object", got: value) }
        return object
    }

    /// An optional object field.
    public func optionalObject(_ key: String) throws(TrackerError) -> JSONObject? {
        guard let value = self[key], value != .null else { return nil }
        return try object(key)
    }

    /// A required array field.
    public func array(_ key: String) throws(TrackerError) -> [JSONValue] {
        guard let value = self[key] else { throw TrackerError(.badRequest, "field '\(key)' is missing") }
        guard case .array(let elements) = value else { throw fieldError(key, "an array", got: value) }
        return elements
    }

    /// An optional array field (absent gives an empty array).
    public func optionalArray(_ key: String) throws(TrackerError) -> [JSONValue] {
        guard let value = self[key], value != .null else { return [] }
        return try array(key)
    }

    /// A required money field: whole đồng as a JSON integer, or a Vietnamese amount as a string.
    public func money(_ key: String) throws(TrackerError) -> Money {
        guard let value = self[key] else { throw TrackerError(.badRequest, "field '\(key)' is missing") }
        switch value {
        case .int(let dong):
            guard dong >= 0 else { throw TrackerError(.invalidArgument, "field '\(key)' must not be negative, got \(dong)") }
            return Money(dong: dong)
        case .string(let text):
            do { return try Money.parse(text) } catch { throw TrackerError(.invalidArgument, "field '\(key)': \(error.message)") }
        case .number(let text):
            if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                throw TrackerError(.invalidArgument, "field '\(key)' must be whole đồng, got \(text)")
            }
            throw TrackerError(.invalidArgument, "field '\(key)' is too large: \(text) đồng does not fit in 64 bits")
        default:
            throw fieldError(key, "an amount in đồng", got: value)
        }
    }

    /// An optional money field.
    public func optionalMoney(_ key: String) throws(TrackerError) -> Money? {
        guard let value = self[key], value != .null else { return nil }
        return try money(key)
    }

    /// Refuses members other than `allowed`, naming the first unknown one (catches typos like "ammount").
    /// `envelope` also allows a request's own `id` and `op`. The lists are short, so a linear
    /// scan beats building a set on every request.
    public func rejectUnknownKeys(_ allowed: [String], envelope: Bool = false, in context: @autoclosure () -> String) throws(TrackerError) {
        for member in members {
            if envelope && (member.key == "id" || member.key == "op") { continue }
            if !allowed.contains(member.key) {
                throw TrackerError(.badRequest, "unknown field '\(member.key)' in \(context())")
            }
        }
    }
}
