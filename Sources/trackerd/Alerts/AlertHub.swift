import Events
import Projections

/// Which alerts a follower wants.
struct AlertFilter: Sendable {
    var year: Int?
    var agency: AgencyID?

    init(request: JSONObject) throws(TrackerError) {
        try request.rejectUnknownKeys(["id", "op", "year", "agency"], in: "alerts.follow request")
        if request["year"] != nil && request["year"] != .null { year = try request.fiscalYear("year") }
        agency = try request.optionalString("agency").map { (text) throws(TrackerError) in try AgencyID(text) }
    }

    func accepts(_ alert: AlertRaised) -> Bool {
        (year == nil || alert.fiscalYear == year) && (agency == nil || alert.agency == agency)
    }
}

/// Pushes alerts, as they are recorded, to every client following them.
final class AlertHub: @unchecked Sendable {
    /// One follower's queue.
    final class Subscription: @unchecked Sendable {
        let filter: AlertFilter
        fileprivate let condition = ConditionLock()
        fileprivate var queued: [Ledger.RaisedAlert] = []
        fileprivate var closed = false

        init(filter: AlertFilter) { self.filter = filter }

        /// The alerts queued since the last call, waiting up to `seconds` for one.
        func next(waiting seconds: Double) -> [Ledger.RaisedAlert] {
            condition.lock()
            defer { condition.unlock() }
            if queued.isEmpty && !closed { condition.wait(seconds: seconds) }
            let alerts = queued
            queued.removeAll()
            return alerts
        }

        /// Whether the hub has shut down.
        var isClosed: Bool { condition.withLock { closed } }
    }

    private let subscribers = LockedBox<[ObjectIdentifier: Subscription]>([:])

    func subscribe(_ filter: AlertFilter) -> Subscription {
        let subscription = Subscription(filter: filter)
        subscribers.withLockedValue { $0[ObjectIdentifier(subscription)] = subscription }
        return subscription
    }

    func unsubscribe(_ subscription: Subscription) {
        _ = subscribers.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(subscription)) }
    }

    /// How many clients follow alerts now.
    var followers: Int { subscribers.withLockedValue { $0.count } }

    func publish(_ alert: Ledger.RaisedAlert) {
        for subscription in subscribers.withLockedValue({ Array($0.values) }) where subscription.filter.accepts(alert.alert) {
            subscription.condition.withLock {
                subscription.queued.append(alert)
                subscription.condition.signal()
            }
        }
    }

    /// Ends every follow (at shutdown).
    func closeAll() {
        for subscription in subscribers.withLockedValue({ Array($0.values) }) {
            subscription.condition.withLock {
                subscription.closed = true
                subscription.condition.signal()
            }
        }
    }
}
