import Events
import Projections

/// Pushes alerts, as they are recorded, to every client following them.
final class AlertHub: @unchecked Sendable {
    private struct Follower {
        var filter: AlertFilter
        var deliver: @Sendable (Ledger.RaisedAlert) -> Void
    }

    private let followersBox = LockedBox<[UInt64: Follower]>([:])

    /// Starts delivering alerts that pass `filter` to `deliver`, under `key` (the connection's id).
    func subscribe(_ key: UInt64, filter: AlertFilter, deliver: @escaping @Sendable (Ledger.RaisedAlert) -> Void) {
        followersBox.withLockedValue { $0[key] = Follower(filter: filter, deliver: deliver) }
    }

    /// Stops delivering to `key`.
    func unsubscribe(_ key: UInt64) {
        _ = followersBox.withLockedValue { $0.removeValue(forKey: key) }
    }

    /// How many clients follow alerts now.
    var followers: Int { followersBox.withLockedValue { $0.count } }

    func publish(_ alert: Ledger.RaisedAlert) {
        for follower in followersBox.withLockedValue({ Array($0.values) }) where follower.filter.accepts(alert.alert) {
            follower.deliver(alert)
        }
    }
}
