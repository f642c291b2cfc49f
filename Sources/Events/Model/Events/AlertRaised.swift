/// A year-end alert: an allocation line found behind at a checkpoint. Raised once per line and
/// checkpoint; the record is the audit trail that the warning was given.
///
/// Version 2 adds `late_days`: an alert raised long after its checkpoint (history recorded later)
/// is late, says by how many days, and is recorded without being pushed as a fresh warning.
/// Records of version 1 carry no such field and read as not late (they were pushed when raised).
public struct AlertRaised: EventBody {
    public static let type = "alert.raised"
    /// 3: its decisions in their long form, `569/QĐ-UBND@QNG/2023` (`DocumentKey`); an older record may name a
    /// number alone, resolved when read (`DecisionNumbers.canonical`).
    public static let version = 3

    /// What the checkpoint checks.
    public enum Rule: String, Sendable, Equatable, CaseIterable {
        /// The rate is below a fixed threshold (30/9: 60%; 31/12: 100%).
        case belowRate = "below"
        /// The rate is below the straight line from the allocation date to 31/12.
        case behindStraightLine = "behind-straight-line"
        /// Money remains at the end of the adjustment period and will lapse unless carried over.
        case lapse
    }

    /// The checkpoint's name from the configuration ("30/09").
    public var checkpoint: String
    /// The checkpoint's date.
    public var checkpointDate: BusinessDate
    public var rule: Rule
    /// The rate the line should have reached, in thousandths of a percent.
    public var expectedMilliPercent: Int64
    /// The line: budget year, agency, decision, task.
    public var fiscalYear: Int
    public var agency: AgencyID
    public var decision: DecisionRef
    public var task: TaskID
    /// Figures on the checkpoint date.
    public var allocated: Money
    public var disbursed: Money
    public var remaining: Money
    /// The rate on the checkpoint date, in thousandths of a percent.
    public var rateMilliPercent: Int64
    /// The deadline the days count to: 31/12 of the budget year, or 31/01 after it.
    public var deadline: BusinessDate
    /// Days from the day it was raised to the deadline (negative when past).
    public var daysLeft: Int
    /// The day it was raised, by the daemon's clock.
    public var raisedOn: BusinessDate
    /// Whether the daemon's clock was simulated when it was raised.
    public var simulated: Bool
    /// Days from the checkpoint day to the day it was raised, when that is more than the
    /// configured `late_after_days`: a late alert, recorded but not pushed as a fresh warning.
    /// Nil for an alert raised in time (and for every record of version 1).
    public var lateDays: Int?

    /// Whether the alert was raised late (history recorded after its checkpoint had long passed).
    public var isLate: Bool { lateDays != nil }

    public init(checkpoint: String, checkpointDate: BusinessDate, rule: Rule, expectedMilliPercent: Int64, fiscalYear: Int,
                agency: AgencyID, decision: DecisionRef, task: TaskID, allocated: Money, disbursed: Money, remaining: Money,
                rateMilliPercent: Int64, deadline: BusinessDate, daysLeft: Int, raisedOn: BusinessDate, simulated: Bool,
                lateDays: Int? = nil) {
        self.checkpoint = checkpoint
        self.checkpointDate = checkpointDate
        self.rule = rule
        self.expectedMilliPercent = expectedMilliPercent
        self.fiscalYear = fiscalYear
        self.agency = agency
        self.decision = decision
        self.task = task
        self.allocated = allocated
        self.disbursed = disbursed
        self.remaining = remaining
        self.rateMilliPercent = rateMilliPercent
        self.deadline = deadline
        self.daysLeft = daysLeft
        self.raisedOn = raisedOn
        self.simulated = simulated
        self.lateDays = lateDays
    }

    /// What makes an alert unique: one per line and checkpoint date.
    public struct Key: Hashable, Sendable {
        public var decision: DecisionRef
        public var task: TaskID
        public var checkpointDate: BusinessDate
        public init(decision: DecisionRef, task: TaskID, checkpointDate: BusinessDate) {
            self.decision = decision
            self.task = task
            self.checkpointDate = checkpointDate
        }
    }

    public var key: Key { Key(decision: decision, task: task, checkpointDate: checkpointDate) }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("checkpoint"); w.string(checkpoint)
        w.key("checkpoint_date"); w.string(checkpointDate.description)
        w.key("rule"); w.string(rule.rawValue)
        w.key("expected_rate_milli"); w.int(expectedMilliPercent)
        w.key("year"); w.int(fiscalYear)
        w.key("agency"); w.string(agency.text)
        w.key("decision"); w.string(decision.text)
        w.key("task"); w.string(task.description)
        w.key("allocated"); w.int(allocated.dong)
        w.key("disbursed"); w.int(disbursed.dong)
        w.key("remaining"); w.int(remaining.dong)
        w.key("rate_milli"); w.int(rateMilliPercent)
        w.key("deadline"); w.string(deadline.description)
        w.key("days_left"); w.int(daysLeft)
        w.key("raised_on"); w.string(raisedOn.description)
        if simulated { w.key("simulated"); w.bool(true) }
        if let lateDays { w.key("late_days"); w.int(lateDays) }
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        checkpoint = try body.string("checkpoint")
        checkpointDate = try body.date("checkpoint_date")
        guard let rule = Rule(rawValue: try body.string("rule")) else { throw TrackerError(.badRequest, "unknown alert rule") }
        self.rule = rule
        expectedMilliPercent = try body.int("expected_rate_milli")
        fiscalYear = try body.fiscalYear("year")
        agency = try ids.agency(body.string("agency"))
        decision = try ids.decision(body.string("decision"))
        task = try ids.task(body.string("task"))
        allocated = try body.money("allocated")
        disbursed = try body.money("disbursed")
        remaining = try body.money("remaining")
        rateMilliPercent = try body.int("rate_milli")
        deadline = try body.date("deadline")
        daysLeft = Int(try body.int("days_left"))
        raisedOn = try body.date("raised_on")
        simulated = try body.optionalBool("simulated")
        if version >= 2, let days = try body.optionalInt("late_days") {
            // A late alert is raised at least a day after its checkpoint, and within the years the log holds.
            guard days >= 1, days <= 100_000, Int(days) == checkpointDate.days(until: raisedOn) else {
                throw TrackerError(.badRequest, "alert late_days \(days) does not match its checkpoint \(checkpointDate) and the day raised \(raisedOn)")
            }
            lateDays = Int(days)
        } else {
            lateDays = nil
        }
    }
}
