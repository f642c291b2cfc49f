/// The decisions recorded, by their number alone: what resolves a decision as typed or as an old
/// record wrote it to its full key (`DocumentKey`).
///
/// Records written since decisions were keyed by issuer, number and year name them in the long
/// form. Older records name a number alone: an allocation or carry-over is then keyed by the
/// province its agency belonged to on its signing date (mergers of provinces followed) and the year
/// of that date, and a record that refers to a decision
/// (a disbursement, a lapse, an amendment…) by the one decision of that number recorded before it —
/// there was one, since the build that wrote it refused a number twice. The books and the ledger
/// each keep one, so both fold a record to the same keys.
public struct DecisionNumbers: Sendable {
    /// Full keys, by the key of their number.
    private var byNumber: [String: [DecisionRef]] = [:]

    /// No decisions.
    public init() {}

    /// Records `full` (a long-form ref).
    public mutating func add(_ full: DecisionRef) {
        let number = DocumentKey.number(of: full).key
        if byNumber[number]?.contains(full) != true { byNumber[number, default: []].append(full) }
    }

    /// Forgets `full` (an allocation taken back).
    public mutating func remove(_ full: DecisionRef) {
        let number = DocumentKey.number(of: full).key
        byNumber[number]?.removeAll { $0 == full }
        if byNumber[number]?.isEmpty == true { byNumber[number] = nil }
    }

    /// The decisions recorded under the number of `ref`, oldest first.
    public func candidates(_ ref: DecisionRef) -> [DecisionRef] { byNumber[DocumentKey.number(of: ref).key] ?? [] }

    /// The full key of a decision a clerk or a client names: a long form as it is, a number alone
    /// when it names one decision (and as it is when it names none: the caller says it is not
    /// recorded). A number shared by several decisions is refused, naming each and the long form.
    /// `known` leaves out decisions a query does not count (recorded after its `through_seq`).
    public func resolve(_ ref: DecisionRef, where known: (DecisionRef) -> Bool = { _ in true }) throws(TrackerError) -> DecisionRef {
        if DocumentKey.isFull(ref) { return ref }
        let found = candidates(ref).filter(known)
        guard found.count > 1 else { return found.first ?? ref }
        throw TrackerError(.invalidArgument,
            "decision \(ref) is ambiguous: \(found.count) decisions have that number (\(found.map(\.description).joined(separator: "; "))); name one in its long form NUMBER@ISSUER/YEAR, e.g. \(found.last!.text)")
    }

    /// The full key of a decision an old record refers to by number alone (see above): the one
    /// decision of that number, or `ref` as it is when there is none or several (then it names none).
    public func reference(_ ref: DecisionRef) -> DecisionRef {
        guard !DocumentKey.isFull(ref) else { return ref }
        let found = candidates(ref)
        return found.count == 1 ? found[0] : ref
    }

    /// The full key of a decision issued by `issuer` on `signed`; a long form with its issuer in capitals.
    public static func issued(_ ref: DecisionRef, issuer: String, signed: BusinessDate) -> DecisionRef {
        guard let key = DocumentKey(ref) else { return DocumentKey(number: ref, issuer: issuer, year: signed.year).ref }
        let capitals = key.issuer.uppercased()
        return capitals == key.issuer ? ref : DocumentKey(number: key.number, issuer: capitals, year: key.year).ref
    }

    /// `event` with every decision it names in the long form; `province` gives the province an
    /// agency belonged to on a date (the issuer of a decision an old record names by number alone).
    /// Records written in the long form come back as they are.
    public func canonical(_ event: Event, province: (AgencyID, BusinessDate) -> String) -> Event {
        switch event {
        case .fundsAllocated(var e):
            guard !DocumentKey.isFull(e.decision) else { return event }
            e.decision = Self.issued(e.decision, issuer: province(e.agency, e.signed), signed: e.signed)
            return .fundsAllocated(e)
        case .fundsCarriedOver(var e):
            guard !DocumentKey.isFull(e.decision) || !DocumentKey.isFull(e.from) else { return event }
            e.decision = Self.issued(e.decision, issuer: province(e.agency, e.signed), signed: e.signed)
            e.from = reference(e.from)
            return .fundsCarriedOver(e)
        case .fundsAmended(var e):
            guard !DocumentKey.isFull(e.decision) || !DocumentKey.isFull(e.amends) else { return event }
            e.amends = reference(e.amends)
            e.decision = Self.issued(e.decision, issuer: DocumentKey(e.amends)?.issuer ?? province(e.agency, e.signed), signed: e.signed)
            return .fundsAmended(e)
        case .fundsLapsed(var e): return referring(e.decision) { e.decision = $0; return .fundsLapsed(e) }
        case .disbursementRecorded(var e): return referring(e.decision) { e.decision = $0; return .disbursementRecorded(e) }
        case .disbursementReversed(var e): return referring(e.decision) { e.decision = $0; return .disbursementReversed(e) }
        case .disbursementRefunded(var e): return referring(e.decision) { e.decision = $0; return .disbursementRefunded(e) }
        case .alertRaised(var e): return referring(e.decision) { e.decision = $0; return .alertRaised(e) }
        case .disbursementExpected(var e): return referring(e.decision) { e.decision = $0; return .disbursementExpected(e) }
        default:
            return event
        }

        /// `event` as it is when it names `ref` in the long form, else remade naming its full key.
        func referring(_ ref: DecisionRef, _ remade: (DecisionRef) -> Event) -> Event {
            DocumentKey.isFull(ref) ? event : remade(reference(ref))
        }
    }
}
