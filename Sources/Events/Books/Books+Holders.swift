extension Books {
    /// What `command` acts on, each named for a person, with the agency that holds it on the
    /// command's date (today's for a command without one): the holders come from the one
    /// question the books answer, `agency(holding:on:)`, so a successor's clerk acts on what it
    /// received from the effective date. Things the books do not know are left out (`decide`
    /// refuses them as `not_found`).
    public func holders(of command: Command, today: BusinessDate) -> [(what: String, agency: AgencyID)] {
        var found: [(what: String, agency: AgencyID)] = []
        func held(_ what: String, _ holding: Holding, on date: BusinessDate) {
            if let agency = agency(holding: holding, on: date) { found.append((what, agency)) }
        }
        /// Every line of a decision, each with the agency that holds it.
        func decision(_ id: DecisionRef, on date: BusinessDate) {
            for index in decisions[id]?.lines ?? [] {
                held("decision \(id)", .line(decision: id, task: lines[Int(index)].task), on: date)
            }
        }
        switch command {
        case .registerAgency(let c):
            found.append(("agency \(c.id)", c.id))
        case .createPlan(let c):
            found.append(("agency \(c.plan.agency)", c.plan.agency))
        case .addTask(let c):
            held("plan \(c.task.id.plan)", .plan(c.task.id.plan), on: today)
        case .allocate(let c):
            found.append(("agency \(c.allocation.agency)", c.allocation.agency))
            for line in c.allocation.lines { held("task \(line.task)", .task(line.task), on: c.allocation.signed) }
        case .disburse(let c):
            held("task \(c.task)", c.decision.map { .line(decision: $0, task: c.task) } ?? .task(c.task), on: c.date)
        case .reverse(let c):
            if let payment = payment(c.ref) {
                let line = lines[Int(payment.line)]
                held("payment \(c.ref)", .line(decision: line.decision, task: line.task), on: c.date ?? today)
            }
        case .changeStatus(let c):
            held("task \(c.task)", .task(c.task), on: c.date)
        case .carryOver(let c):
            decision(c.from, on: c.signed)
            for line in c.lines { held("task \(line.task)", .task(line.task), on: c.signed) }
        case .lapse(let c):
            if let task = c.task { held("task \(task)", .line(decision: c.decision, task: task), on: c.date) } else { decision(c.decision, on: c.date) }
        case .recordContract(let c):
            held("task \(c.contract.task)", .task(c.contract.task), on: c.contract.date)
        case .recordExpectation(let c):
            held("task \(c.task)", c.decision.map { .line(decision: $0, task: c.task) } ?? .task(c.task), on: c.stated)
        case .issueReport(let c):
            // A report of one agency is that agency's; a province-wide one is checked by the daemon
            // (a caller of some agencies names one of them).
            if let text = (try? c.report.parameters.optionalString("agency")) ?? nil, let agency = try? AgencyID(text) {
                found.append(("agency \(agency)", agency))
            }
        case .refund(let c):
            if let payment = payment(c.ref) {
                let line = lines[Int(payment.line)]
                held("payment \(c.ref)", .line(decision: line.decision, task: line.task), on: c.date)
            }
        case .amend(let c):
            decision(c.amends, on: c.signed)
            for line in c.set { held("task \(line.task)", .task(line.task), on: c.signed) }
        case .reviseTask(let c):
            held("task \(c.task)", .task(c.task), on: c.date)
        case .succeedAgency(let c):
            for agency in [c.succession.from] + c.succession.to { found.append(("agency \(agency)", agency)) }
        case .succeedProvince, .closeYear:
            // The province's own acts: every agency's.
            for agency in agencies.keys.sorted(by: { $0.description < $1.description }) { found.append(("the province's books", agency)) }
        case .raiseAlert:
            break
        }
        return found
    }

    /// The first thing `command` acts on that an agency outside `scope` holds, with that agency;
    /// nil when everything it names is held inside the scope.
    public func outsideScope(_ command: Command, scope: AgencyScope, today: BusinessDate) -> (what: String, agency: AgencyID)? {
        holders(of: command, today: today).first { !scope.contains($0.agency) }
    }
}
