extension Books {
    /// Something an agency holds: itself, a plan, a task, a decision (an allocation or a
    /// carry-over), a payment.
    public enum Holding: Sendable, Hashable, CustomStringConvertible {
        case agency(AgencyID)
        case plan(PlanID)
        case task(TaskID)
        case decision(DecisionRef)
        case payment(PaymentRef)

        public var description: String {
            switch self {
            case .agency(let id): "agency \(id)"
            case .plan(let id): "plan \(id)"
            case .task(let id): "task \(id)"
            case .decision(let id): "decision \(id)"
            case .payment(let ref): "payment \(ref)"
            }
        }
    }

    /// The agency that holds `holding` on `date` (the recorded holder when nil); nil when the
    /// books do not know it.
    ///
    /// The one place that answers "whose is this?": the scope of a clerk (`AgencyScope`) is
    /// checked against it, so when an agency's books pass to a successor from an effective date,
    /// this is what changes, and a successor's clerk acts on what it received from that date.
    public func holder(of holding: Holding, on date: BusinessDate? = nil) -> AgencyID? {
        switch holding {
        case .agency(let id): return id
        case .plan(let id): return plans[id]?.event.agency
        case .task(let id): return tasks[id]?.agency
        case .decision(let id): return decisions[id]?.agency
        case .payment(let ref): return payment(ref).map { lines[Int($0.line)].agency }
        }
    }

    /// What `command` acts on, and the business date it acts on it (nil: none of its own).
    public static func holdings(of command: Command) -> (holdings: [Holding], date: BusinessDate?) {
        switch command {
        case .registerAgency(let c): ([.agency(c.id)], nil)
        case .createPlan(let c): ([.agency(c.plan.agency)], c.plan.issued)
        case .addTask(let c): ([.plan(c.task.id.plan)], nil)
        case .allocate(let c): ([.agency(c.allocation.agency)] + c.allocation.lines.map { .task($0.task) }, c.allocation.signed)
        case .disburse(let c): ([.task(c.task)] + (c.decision.map { [.decision($0)] } ?? []), c.date)
        case .reverse(let c): ([.payment(c.ref)], c.date)
        case .changeStatus(let c): ([.task(c.task)], c.date)
        case .carryOver(let c): ([.decision(c.from)] + c.lines.map { .task($0.task) }, c.signed)
        case .lapse(let c): ([.decision(c.decision)] + (c.task.map { [.task($0)] } ?? []), c.date)
        case .recordContract(let c): ([.task(c.contract.task)], c.contract.date)
        case .recordExpectation(let c): ([.task(c.task)] + (c.decision.map { [.decision($0)] } ?? []), c.stated)
        case .issueReport(let c):
            // A report of one agency is that agency's; a province-wide one is checked by the daemon
            // (a caller of some agencies names one of them).
            (((try? c.report.parameters.optionalString("agency")) ?? nil).flatMap { try? AgencyID($0) }.map { [.agency($0)] } ?? [], c.report.asOf)
        case .raiseAlert: ([], nil)
        }
    }

    /// The first thing `command` acts on that an agency outside `scope` holds, with that agency;
    /// nil when everything it names is held inside the scope (or not known: `decide` refuses
    /// that as `not_found`).
    public func outsideScope(_ command: Command, scope: AgencyScope) -> (holding: Holding, agency: AgencyID)? {
        let (holdings, date) = Books.holdings(of: command)
        for holding in holdings {
            if let agency = holder(of: holding, on: date), !scope.contains(agency) { return (holding, agency) }
        }
        return nil
    }
}
