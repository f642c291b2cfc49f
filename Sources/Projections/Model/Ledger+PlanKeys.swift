import Events

/// Plans are known by number, issuer and year (`PlanNumbers`): what a query names is resolved to
/// the plan as recorded, as the books resolve a command's.
extension Ledger {
    /// A recorded plan's number, issuer and year (as `Books.planKey`).
    public func planKey(_ id: PlanID) -> PlanNumbers.Key {
        PlanNumbers.Key(recorded: id, plan: plans[id]?.event, unknownIssuer: defaultProvince) { agency, date in
            lineage.province(agencies[agency]?.event.province ?? defaultProvince, on: date)
        }
    }

    /// The plan as recorded that a query names, among the plans recorded by `throughSeq`; a number
    /// several of them share is refused, naming each.
    public func resolvePlan(_ ref: PlanID, throughSeq: UInt64 = .max) throws(TrackerError) -> PlanID {
        try planNumbers.resolve(ref, key: planKey) { (plans[$0]?.seq ?? .max) <= throughSeq }
    }

    /// The task as recorded that a query names (its plan resolved as `resolvePlan`).
    public func resolveTask(_ ref: TaskID, throughSeq: UInt64 = .max) throws(TrackerError) -> TaskID {
        try planNumbers.resolve(ref, key: planKey) { (plans[$0]?.seq ?? .max) <= throughSeq }
    }
}
