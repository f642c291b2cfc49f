import Events
import Projections

/// The planned figures of recent `status` answers (`Ledger.plannedPass`), so that a status asked
/// again while no plan, task or agency changed does not walk every task again.
///
/// A pass is kept under its `PlannedKey`, which holds `Ledger.plansSeq`: a record that changes
/// what is planned moves that seq, and the kept passes no longer match. Queries known at an
/// earlier record have no key and are made afresh. The last few keys are kept, newest last.
final class PlannedPassCache: Sendable {
    private let kept = LockedBox<[(key: PlannedKey, pass: PlannedPass)]>([])
    private static let limit = 16

    /// The planned pass of `query` on `ledger`: a kept one, or one made now and kept.
    func pass(_ query: StatusQuery, in ledger: Ledger) throws(TrackerError) -> PlannedPass {
        guard let key = ledger.plannedKey(query) else { return try ledger.plannedPass(query) }
        if let pass = kept.withLockedValue({ kept in kept.last { $0.key == key }?.pass }) { return pass }
        let pass = try ledger.plannedPass(query)
        kept.withLockedValue { kept in
            // Passes of an older plans seq can never match again.
            kept.removeAll { $0.key.plansSeq != key.plansSeq || $0.key == key }
            if kept.count == Self.limit { kept.removeFirst() }
            kept.append((key, pass))
        }
        return pass
    }
}
