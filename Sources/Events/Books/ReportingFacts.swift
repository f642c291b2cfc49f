/// The facts the books keep for reports only: contracts, expected disbursements and reports
/// issued. The rules need them for one thing: telling a retry (the same fact again, recorded
/// nothing twice) from a conflicting fact under the same key.
public struct ReportingFacts: Sendable {
    /// What identifies one such fact.
    public enum Key: Hashable, Sendable {
        /// A task's contract with one contractor (folded; "" when unnamed) on one day.
        case contract(task: TaskID, date: BusinessDate, contractor: String)
        /// A line's expectation for one date, as stated on one day.
        case expectation(decision: DecisionRef, task: TaskID, by: BusinessDate, stated: BusinessDate)
        /// One report's bytes sent with one letter (folded).
        case issued(letter: String, sha256: String)
    }

    /// Every such fact by its key, with its seq.
    public internal(set) var facts: [Key: (event: Event, seq: UInt64)] = [:]

    public init() {}

    /// The key of a fact of these kinds; nil for any other event.
    public static func key(of event: Event) -> Key? {
        switch event {
        case .contractSigned(let e): .contract(task: e.task, date: e.date, contractor: e.contractor.map(Text.foldKey) ?? "")
        case .disbursementExpected(let e): .expectation(decision: e.decision, task: e.task, by: e.by, stated: e.stated)
        case .reportIssued(let e): .issued(letter: Text.foldKey(e.letter), sha256: e.sha256)
        default: nil
        }
    }

    /// Folds one fact in; returns its key (to take it back), or nil when `event` is not one.
    mutating func apply(_ event: Event, seq: UInt64) -> Key? {
        guard let key = Self.key(of: event) else { return nil }
        if facts[key] == nil { facts[key] = (event, seq) }
        return key
    }

    /// Takes a fact back (a batch that failed to reach the disk).
    mutating func remove(_ key: Key) { facts[key] = nil }

    /// The fact recorded under the key of `event`, if any.
    public func recorded(like event: Event) -> (event: Event, seq: UInt64)? {
        Self.key(of: event).flatMap { facts[$0] }
    }
}
