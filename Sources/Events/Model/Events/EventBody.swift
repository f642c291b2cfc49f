/// One kind of fact in the log: its type name, schema version and JSON body.
public protocol EventBody: Sendable, Equatable {
    /// The record's `type`, e.g. `disbursement.recorded`. Never changes once released.
    static var type: String { get }
    /// The body's schema version; raised when the body's shape changes (old versions stay readable).
    static var version: Int { get }
    /// Writes the body as a JSON object.
    func encode(to writer: inout JSONWriter)
    /// Reads a body of the given schema version, making ids with `ids`.
    init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError)
}

extension EventBody {
    /// Reads a body, checking every id (a request from a client).
    public init(body: JSONObject, version: Int) throws(TrackerError) {
        var ids = IdentifierReader.validating
        try self.init(body: body, version: version, ids: &ids)
    }
}

extension JSONWriter {
    /// Writes `"key":"text"` only when `text` is not nil.
    mutating func optional(_ name: StaticString, _ text: String?) {
        if let text { key(name); string(text) }
    }
}

extension JSONObject {
    /// A required date field (`2023-11-30`).
    public func date(_ key: String) throws(TrackerError) -> BusinessDate {
        try BusinessDate.parse(try string(key))
    }

    /// An optional date field.
    public func optionalDate(_ key: String) throws(TrackerError) -> BusinessDate? {
        guard let text = try optionalString(key) else { return nil }
        return try BusinessDate.parse(text)
    }

    /// A required budget-year field.
    public func fiscalYear(_ key: String) throws(TrackerError) -> Int {
        let year = try int(key)
        guard BusinessDate.validYears.contains(Int(year)) else {
            throw TrackerError(.invalidArgument,
                "field '\(key)': \(year) is not a budget year within \(BusinessDate.validYears.lowerBound)–\(BusinessDate.validYears.upperBound)")
        }
        return Int(year)
    }

    /// Optional free text, NFC-normalised; empty text reads as absent.
    public func optionalText(_ key: String) throws(TrackerError) -> String? {
        guard let text = try optionalString(key) else { return nil }
        let normalized = Text.normalized(text)
        return normalized.isEmpty ? nil : normalized
    }

    /// Required free text, NFC-normalised, not empty.
    public func text(_ key: String) throws(TrackerError) -> String {
        guard let text = try optionalText(key) else { throw TrackerError(.badRequest, "field '\(key)' is empty") }
        return text
    }
}
