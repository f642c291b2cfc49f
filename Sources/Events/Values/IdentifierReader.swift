/// Turns id text into ids while reading bodies: validating (requests from clients) or trusting and
/// remembering (records read back from the log, where the same few plans, tasks and decisions
/// come back millions of times and were validated when first recorded).
public struct IdentifierReader: Sendable {
    /// Whether ids are taken as valid (records from the log) rather than checked (requests).
    public let trusted: Bool
    private var agencies: [String: AgencyID] = [:]
    private var plans: [String: PlanID] = [:]
    private var decisions: [String: DecisionRef] = [:]
    private var tasks: [String: TaskID] = [:]

    /// A reader that checks every id (for requests).
    public static var validating: IdentifierReader { IdentifierReader(trusted: false) }
    /// A reader that trusts ids and remembers them (for the log).
    public static var trusting: IdentifierReader { IdentifierReader(trusted: true) }

    private init(trusted: Bool) { self.trusted = trusted }

    /// Bounds the memory of the caches (ids are few, but a log could be made of nothing else).
    private static let cacheLimit = 100_000

    public mutating func agency(_ text: String) throws(TrackerError) -> AgencyID {
        guard trusted else { return try AgencyID(text) }
        return Self.remembered(text, in: &agencies) { AgencyID(trusted: $0) }
    }

    public mutating func plan(_ text: String) throws(TrackerError) -> PlanID {
        guard trusted else { return try PlanID(text) }
        return Self.remembered(text, in: &plans) { PlanID(trusted: $0) }
    }

    public mutating func decision(_ text: String) throws(TrackerError) -> DecisionRef {
        guard trusted else { return try DecisionRef(text) }
        return Self.remembered(text, in: &decisions) { DecisionRef(trusted: $0) }
    }

    /// The id of `text` from `cache`, made and remembered (up to the limit) the first time.
    private static func remembered<ID>(_ text: String, in cache: inout [String: ID], _ make: (String) -> ID) -> ID {
        if let id = cache[text] { return id }
        let id = make(text)
        if cache.count < cacheLimit { cache[text] = id }
        return id
    }

    public mutating func task(_ text: String) throws(TrackerError) -> TaskID {
        guard trusted else { return try TaskID(text) }
        if let id = tasks[text] { return id }
        guard let hash = text.utf8.lastIndex(of: UInt8(ascii: "#")),
              let number = Int(Substring(text.utf8[text.utf8.index(after: hash)...])) else {
            throw TrackerError(.corrupt, "'\(text)' is not a task id")
        }
        let id = TaskID(plan: try plan(String(Substring(text.utf8[..<hash]))), number: number)
        if tasks.count < Self.cacheLimit { tasks[text] = id }
        return id
    }

    /// Payment references are unique per payment, so they are never cached.
    public mutating func payment(_ text: String) throws(TrackerError) -> PaymentRef {
        trusted ? PaymentRef(trusted: text) : try PaymentRef(text)
    }
}
