/// Decisions are known by issuer, number and year (`DocumentKey`): what a command names is
/// resolved to the full key before it is decided.
extension Books {
    /// The province an agency belonged to on `date` (mergers of provinces followed): the issuer of
    /// its decisions signed that day unless they say otherwise.
    func province(of agency: AgencyID, on date: BusinessDate) -> String {
        lineage.province(agencies[agency]?.event.province ?? defaultProvince, on: date)
    }

    /// `command` with every decision it names by its full key. A new decision given by number alone
    /// is issued by its agency's province on its signing date, in that year (an amendment by the
    /// issuer of the decision it amends); one that refers to a recorded decision by number alone must name
    /// one (`DecisionNumbers.resolve`).
    func resolvingDecisions(_ command: Command) throws(TrackerError) -> Command {
        switch command {
        case .allocate(var c):
            let signed = c.allocation.signed
            c.allocation.decision = try issued(c.allocation.decision, issuer: province(of: c.allocation.agency, on: signed), signed: signed)
            return .allocate(c)
        case .carryOver(var c):
            c.from = try decisionNumbers.resolve(c.from)
            let issuer = decisions[c.from].map { province(of: $0.agency, on: c.signed) } ?? defaultProvince
            c.decision = try issued(c.decision, issuer: issuer, signed: c.signed)
            return .carryOver(c)
        case .amend(var c):
            c.amends = try decisionNumbers.resolve(c.amends)
            c.decision = try issued(c.decision, issuer: DocumentKey(c.amends)?.issuer ?? defaultProvince, signed: c.signed)
            return .amend(c)
        case .lapse(var c):
            c.decision = try decisionNumbers.resolve(c.decision)
            return .lapse(c)
        case .disburse(var c):
            guard let decision = c.decision else { return command }
            c.decision = try decisionNumbers.resolve(decision)
            return .disburse(c)
        case .recordExpectation(var c):
            guard let decision = c.decision else { return command }
            c.decision = try decisionNumbers.resolve(decision)
            return .recordExpectation(c)
        default:
            return command
        }
    }

    /// The full key of a decision signed on `signed`: its long form, whose year must be the year of
    /// signing, or its number from `issuer` that year.
    private func issued(_ ref: DecisionRef, issuer: String, signed: BusinessDate) throws(TrackerError) -> DecisionRef {
        if let key = DocumentKey(ref), key.year != signed.year {
            throw TrackerError(.invalidArgument, "decision \(ref.text) names the year \(key.year) but is signed \(signed.vietnamese); "
                + "the year of its long form is the year of signing (numbers restart every year)")
        }
        return DecisionNumbers.issued(ref, issuer: issuer, signed: signed)
    }

    /// The full key of a decision a query names: as `DecisionNumbers.resolve`.
    public func resolveDecision(_ ref: DecisionRef) throws(TrackerError) -> DecisionRef { try decisionNumbers.resolve(ref) }
}
