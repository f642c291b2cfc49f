/// The plans recorded, by their number: what resolves a plan (or a task's plan) as a clerk or a
/// query names it to the plan as recorded.
///
/// A plan is known by its number, its issuer and its year, as decisions are (`DocumentKey`):
/// numbers restart every year (`560/KH-BDT` of 2023 is not `560/KH-BDT` of 2024), and the same
/// agency code exists in every province. The issuer is the province its agency belonged to on the
/// plan's date, and the year that of its date. A plan is recorded under its number as typed while
/// no other plan has that number, so the ids of every store made before stay as they are and so do
/// their tasks' (`560/KH-BDT#1`); a second plan of the same number, of another year or issuer, is
/// recorded under its long form `560/KH-BDT@QNG/2024` (its tasks `560/KH-BDT@QNG/2024#1`). From
/// then on the number alone names neither: each is named by its long form, which also names the
/// first (`560/KH-BDT@QNG/2023` finds the plan recorded as `560/KH-BDT`). The books and the ledger
/// each keep one, so commands and queries resolve a plan alike.
public struct PlanNumbers: Sendable {
    /// Recorded plan ids, oldest first, by the key of their number.
    private var byNumber: [String: [PlanID]] = [:]

    /// No plans.
    public init() {}

    /// A plan's number, issuer and year.
    public struct Key: Sendable, Equatable, CustomStringConvertible {
        public let number: PlanID
        public let issuer: String
        public let year: Int

        public init(number: PlanID, issuer: String, year: Int) {
            self.number = number
            self.issuer = issuer
            self.year = year
        }

        /// `id` read as a long form `NUMBER@ISSUER/YEAR`; nil when it is a number alone. `id` was
        /// validated (`PlanKind`) or read from the log.
        public init?(longForm id: PlanID) {
            guard let parts = DocumentKey.parts(of: id.text) else { return nil }
            number = PlanID(trusted: parts.number)
            issuer = parts.issuer.uppercased()
            year = parts.year
        }

        /// The key of the plan recorded as `id`, created by `plan`: a long form's own, else its
        /// number, the province its agency belonged to on its date (`province`) and that date's
        /// year (`unknownIssuer` for a plan not recorded). The books and the ledger both ask it
        /// (`Books.planKey`, `Ledger.planKey`), so a command and a query resolve a plan alike.
        public init(recorded id: PlanID, plan: PlanCreated?, unknownIssuer: String, province: (AgencyID, BusinessDate) -> String) {
            if let key = Key(longForm: id) {
                self = key
            } else if let plan {
                self.init(number: id, issuer: province(plan.agency, plan.issued), year: plan.issued.year)
            } else {
                self.init(number: id, issuer: unknownIssuer, year: 0)
            }
        }

        /// The long form: `560/KH-BDT@QNG/2024`.
        public var id: PlanID { PlanID(trusted: "\(number.text)@\(issuer)/\(year)") }

        /// How answers name it: `560/KH-BDT (QNG, 2024)`.
        public var description: String { "\(number.text) (\(issuer), \(year))" }

        public static func == (a: Key, b: Key) -> Bool { a.number == b.number && a.issuer == b.issuer && a.year == b.year }
    }

    /// The number of `id`, whichever form it is written in.
    public static func number(of id: PlanID) -> PlanID {
        guard id.text.utf8.contains(DocumentKey.separator) else { return id }
        return Key(longForm: id)?.number ?? id
    }

    /// Records the plan `id` (as recorded).
    public mutating func add(_ id: PlanID) {
        let number = Self.number(of: id).key
        if byNumber[number]?.contains(id) != true { byNumber[number, default: []].append(id) }
    }

    /// Forgets the plan `id` (its creation taken back).
    public mutating func remove(_ id: PlanID) {
        let number = Self.number(of: id).key
        byNumber[number]?.removeAll { $0 == id }
        if byNumber[number]?.isEmpty == true { byNumber[number] = nil }
    }

    /// The plans recorded under the number of `ref`, oldest first.
    public func candidates(_ ref: PlanID) -> [PlanID] { byNumber[Self.number(of: ref).key] ?? [] }

    /// The plan as recorded that `ref` names, a long form or a number alone; `ref` as it is when
    /// no plan has its number (the caller says it is not recorded). `key` gives a recorded plan's
    /// number, issuer and year; `known` leaves out plans a query does not count. A number shared by
    /// several plans is refused, naming each by its long form, unless `exact` (a retry of what was
    /// recorded before the number was shared: the plan recorded under the number as typed); a long
    /// form that names none of the plans of its number is refused, naming them.
    public func resolve(_ ref: PlanID, key: (PlanID) -> Key, where known: (PlanID) -> Bool = { _ in true },
                        exact: Bool = false) throws(TrackerError) -> PlanID {
        let found = candidates(ref).filter(known)
        if let wanted = Key(longForm: ref) {
            if let plan = found.first(where: { key($0) == wanted }) { return plan }
            guard !found.isEmpty else { return ref }
            throw TrackerError(.notFound, "plan \(ref.text) (\(wanted)) is not recorded; the plans numbered \(wanted.number.text) are "
                + found.map { Self.named(key($0)) }.joined(separator: " and "))
        }
        guard found.count > 1 else { return found.first ?? ref }
        if exact, let plan = found.first(where: { $0.text == ref.text || ($0 == ref && Key(longForm: $0) == nil) }) { return plan }
        throw TrackerError(.invalidArgument,
            "plan \(ref) is ambiguous: \(found.count) plans have that number; name one in its long form NUMBER@ISSUER/YEAR: "
            + found.map { Self.named(key($0)) }.joined(separator: " or "))
    }

    /// A plan as the refusals name it: `5/KH-BDT@QNG/2024 (tasks 5/KH-BDT@QNG/2024#N)`.
    private static func named(_ key: Key) -> String { "\(key.id.text) (tasks \(key.id.text)#N)" }

    /// The task `task` names, its plan resolved as `resolve` does.
    public func resolve(_ task: TaskID, key: (PlanID) -> Key, where known: (PlanID) -> Bool = { _ in true },
                        exact: Bool = false) throws(TrackerError) -> TaskID {
        let plan = try resolve(task.plan, key: key, where: known, exact: exact)
        return plan == task.plan && plan.text == task.plan.text ? task : TaskID(plan: plan, number: task.number)
    }

    /// The id a new plan numbered as `ref`, of `key`'s issuer and year, is recorded under: the plan
    /// of that key already recorded (a retry), else `ref` as typed while no plan has its number,
    /// else the long form.
    public func recordedID(of ref: PlanID, _ wanted: Key, key: (PlanID) -> Key) -> PlanID {
        let found = candidates(ref)
        if let same = found.first(where: { key($0) == wanted }) { return same }
        return found.isEmpty ? ref : wanted.id
    }
}
