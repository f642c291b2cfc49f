import Foundation
import Events

/// Which records of the log a reader wants: `log`'s filters (`task`, `plan`, `agency`,
/// `decision`, `ref`, `type`, `actor`, `since`, `until`), all combinable (a record must pass
/// every filter given).
///
/// A record passes `task` when it names that task (added, allocated, paid, reversed, moved,
/// carried over, lapsed, alerted); `plan` when it is the plan's creation or names one of its
/// tasks; `agency` when it is the agency's registration, one of its plans, tasks, decisions or
/// alerts; `decision` when it is that decision, names it (a payment under it, a carry-over from
/// it): given in the long form (`569/QĐ-UBND@QNG/2023`) that decision, and records of builds that
/// named it by number alone; given by number alone every decision of that number; `ref` when it is that payment or its reversal; `type` when its event type is one of those
/// listed; `actor` when its actor's user name or uid is the one given; `since`/`until` by record
/// time (inclusive). Ids match as everywhere (case, diacritics and đ/Đ ignored; a payment
/// reference exactly).
public struct LogFilter: Sendable, Equatable {
    public var task: TaskID?
    public var plan: PlanID?
    public var agency: AgencyID?
    public var decision: DecisionRef?
    public var ref: PaymentRef?
    /// Event types (`disbursement.recorded`, …); empty for any.
    public var types: [String] = []
    /// A user name, or a uid written in digits.
    public var actor: String?
    /// Records recorded at or after this time.
    public var since: Timestamp?
    /// Records recorded at or before this time.
    public var until: Timestamp?

    public init() {}

    /// Whether no filter is given (every record passes).
    public var isEmpty: Bool {
        task == nil && plan == nil && agency == nil && decision == nil && ref == nil && types.isEmpty && actor == nil
            && since == nil && until == nil
    }

    /// The request fields of the filters.
    public static let fieldNames = ["task", "plan", "agency", "decision", "ref", "type", "actor", "since", "until"]

    /// Reads the filters from a request; every value is checked and a wrong one named.
    ///
    /// `since` and `until` take what a person types: a date (`2026-12-01`, `01/12/2026`) is the
    /// whole day in Asia/Ho_Chi_Minh (`since` from its first microsecond, `until` through its
    /// last), a time (`2026-12-01T08:00`) is Vietnam time unless it ends in `Z` or an offset.
    public init(request: JSONObject) throws(TrackerError) {
        task = try request.optionalString("task").map { (text) throws(TrackerError) in try TaskID(text) }
        plan = try request.optionalString("plan").map { (text) throws(TrackerError) in try PlanID(text) }
        agency = try request.optionalString("agency").map { (text) throws(TrackerError) in try AgencyID(text) }
        decision = try request.optionalString("decision").map { (text) throws(TrackerError) in try DecisionRef(text) }
        ref = try request.optionalString("ref").map { (text) throws(TrackerError) in try PaymentRef(text) }
        if let text = try request.optionalString("type") {
            let known = Event.knownTypes.map(\.type)
            for word in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard known.contains(word) else {
                    throw TrackerError(.invalidArgument, "'type' must be event types separated by commas, from: \(known.joined(separator: ", ")); '\(word)' is none of them")
                }
                if !types.contains(word) { types.append(word) }
            }
        }
        if let text = try request.optionalString("actor") {
            guard !text.isEmpty, text.utf8.count <= 256 else { throw TrackerError(.invalidArgument, "'actor' must be a user name or a uid") }
            actor = text
        }
        since = try request.optionalString("since").map { (text) throws(TrackerError) in try Self.time(text, endOfDay: false, field: "since") }
        until = try request.optionalString("until").map { (text) throws(TrackerError) in try Self.time(text, endOfDay: true, field: "until") }
        if let since, let until, until < since {
            throw TrackerError(.invalidArgument, "'until' (\(until)) is before 'since' (\(since)): no record can be in between")
        }
    }

    /// A point in record time from what a person typed (see `init(request:)`).
    static func time(_ text: String, endOfDay: Bool, field: String) throws(TrackerError) -> Timestamp {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.contains("T") && !trimmed.contains(" "), let date = try? BusinessDate.parse(trimmed) {
            return endOfDay ? Timestamp(endOf: date) : Timestamp(startOf: date)
        }
        do throws(TrackerError) { return try Timestamp.parse(trimmed) } catch {
            throw TrackerError(.invalidArgument, "'\(field)': \(error.message)")
        }
    }

    /// Writes the filters that are given into an open request object.
    public func encode(to w: inout JSONWriter) {
        if let task { w.key("task"); w.string(task.description) }
        if let plan { w.key("plan"); w.string(plan.text) }
        if let agency { w.key("agency"); w.string(agency.text) }
        if let decision { w.key("decision"); w.string(decision.text) }
        if let ref { w.key("ref"); w.string(ref.text) }
        if !types.isEmpty { w.key("type"); w.string(types.joined(separator: ",")) }
        if let actor { w.key("actor"); w.string(actor) }
        if let since { w.key("since"); w.string(since.description) }
        if let until { w.key("until"); w.string(until.description) }
    }
}

/// A `LogFilter` applied to records in order. For `agency` it knows which plans and decisions
/// are the agency's: those in the ledger it starts from, and those created in the records it
/// is shown (a follower sees plans made after it started).
public struct LogMatcher: Sendable {
    public let filter: LogFilter
    private var plans: Set<PlanID> = []
    private var decisions: Set<DecisionRef> = []

    /// A matcher for `filter`, knowing the agencies' plans and decisions in `ledger`. A plan or task
    /// named by its long form (`560/KH-BDT@QNG/2023`) matches the records of the plan it names,
    /// whatever id that plan was recorded under; a number alone matches the plan recorded under it.
    public init(filter: LogFilter, ledger: borrowing Ledger) {
        var filter = filter
        if let plan = filter.plan, PlanNumbers.Key(longForm: plan) != nil, let recorded = try? ledger.resolvePlan(plan) { filter.plan = recorded }
        if let task = filter.task, PlanNumbers.Key(longForm: task.plan) != nil, let recorded = try? ledger.resolveTask(task) { filter.task = recorded }
        self.filter = filter
        if let agency = filter.agency {
            plans = Set(ledger.plans.values.filter { $0.event.agency == agency }.map(\.event.id))
            decisions = Set(ledger.decisions.filter { $0.value.agency == agency }.map(\.key))
        }
    }

    /// Whether the filter has nothing to check.
    public var passesEverything: Bool { filter.isEmpty }

    /// Whether `record` passes every filter. Call with records in log order.
    public mutating func matches(_ record: Record) -> Bool {
        let filter = self.filter
        if let since = filter.since, record.time < since { return false }
        if let until = filter.until, until < record.time { return false }
        if !filter.types.isEmpty && !filter.types.contains(record.event.type) { return false }
        if let actor = filter.actor, actor != record.actor.name && actor != String(record.actor.uid) { return false }
        let event = record.event
        if let agency = filter.agency {
            learn(event, agency: agency)
            guard belongs(event, to: agency) else { return false }
        }
        if let task = filter.task, !Self.tasks(of: event).contains(task) { return false }
        if let plan = filter.plan {
            switch event {
            case .planCreated(let e): if e.id != plan { return false }
            // A succession that hands on the whole plan names it in a part without a task.
            case .agencySucceeded(let e): if !e.parts.contains(where: { $0.plan == plan }) { return false }
            default: if !Self.tasks(of: event).contains(where: { $0.plan == plan }) { return false }
            }
        }
        if let decision = filter.decision, !Self.decisions(of: event).contains(where: { Self.names($0, decision) }) { return false }
        if let ref = filter.ref {
            switch event {
            case .disbursementRecorded(let e) where e.ref == ref: break
            case .disbursementReversed(let e) where e.ref == ref: break
            case .disbursementRefunded(let e) where e.ref == ref: break
            default: return false
            }
        }
        return true
    }

    private mutating func learn(_ event: Event, agency: AgencyID) {
        switch event {
        case .planCreated(let e) where e.agency == agency: plans.insert(e.id)
        case .fundsAllocated(let e) where e.agency == agency: decisions.insert(e.decision)
        case .agencySucceeded(let e): for part in e.parts where part.to == agency { plans.insert(part.plan) }
        case .fundsCarriedOver(let e) where e.agency == agency: decisions.insert(e.decision)
        default: break
        }
    }

    private func belongs(_ event: Event, to agency: AgencyID) -> Bool {
        switch event {
        case .agencyRegistered(let e): return e.id == agency
        case .planCreated(let e): return e.agency == agency
        case .fundsAllocated(let e): return e.agency == agency
        case .fundsCarriedOver(let e): return e.agency == agency
        case .alertRaised(let e): return e.agency == agency
        case .fundsLapsed(let e): return decisions.contains(e.decision) || e.lines.contains { plans.contains($0.task.plan) }
        case .taskAdded, .disbursementRecorded, .disbursementReversed, .taskStatusChanged, .contractSigned, .disbursementExpected:
            return Self.tasks(of: event).contains { plans.contains($0.plan) }
        case .disbursementRefunded, .taskRevised:
            return Self.tasks(of: event).contains { plans.contains($0.plan) }
        case .fundsAmended(let e): return e.agency == agency
        case .agencySucceeded(let e): return e.from == agency || e.to.contains(agency)
        case .reportIssued, .yearClosed, .provinceSucceeded: return false
        }
    }

    /// The tasks an event names.
    static func tasks(of event: Event) -> [TaskID] {
        switch event {
        case .agencyRegistered, .planCreated: return []
        case .taskAdded(let e): return [e.id]
        case .fundsAllocated(let e): return e.lines.map(\.task)
        case .disbursementRecorded(let e): return [e.task]
        case .disbursementReversed(let e): return [e.task]
        case .taskStatusChanged(let e): return [e.task]
        case .fundsCarriedOver(let e): return e.lines.map(\.task)
        case .fundsLapsed(let e): return e.lines.map(\.task)
        case .alertRaised(let e): return [e.task]
        case .contractSigned(let e): return [e.task]
        case .disbursementExpected(let e): return [e.task]
        case .disbursementRefunded(let e): return [e.task]
        case .fundsAmended(let e): return e.lines.map(\.task)
        case .agencySucceeded(let e): return e.parts.compactMap(\.task)
        case .taskRevised(let e): return [e.task.id]
        case .reportIssued, .yearClosed, .provinceSucceeded: return []
        }
    }

    /// Whether a record naming `recorded` names the decision `wanted` a filter gives (see `LogFilter`).
    static func names(_ recorded: DecisionRef, _ wanted: DecisionRef) -> Bool {
        recorded == wanted || DocumentKey.number(of: recorded) == wanted
            || (!DocumentKey.isFull(recorded) && recorded == DocumentKey.number(of: wanted))
    }

    /// The decisions an event names.
    static func decisions(of event: Event) -> [DecisionRef] {
        switch event {
        case .agencyRegistered, .planCreated, .taskAdded, .taskStatusChanged, .contractSigned, .reportIssued,
             .agencySucceeded, .taskRevised, .provinceSucceeded, .yearClosed: return []
        case .disbursementRefunded(let e): return [e.decision]
        case .fundsAmended(let e): return [e.decision, e.amends]
        case .disbursementExpected(let e): return [e.decision]
        case .fundsAllocated(let e): return [e.decision]
        case .disbursementRecorded(let e): return [e.decision]
        case .disbursementReversed(let e): return [e.decision]
        case .fundsCarriedOver(let e): return [e.decision, e.from]
        case .fundsLapsed(let e): return [e.decision]
        case .alertRaised(let e): return [e.decision]
        }
    }
}
