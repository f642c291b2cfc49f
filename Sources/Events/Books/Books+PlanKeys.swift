/// Plans are known by number, issuer and year (`PlanNumbers`): what a command names is resolved to
/// the plan as recorded before it is decided, and a new plan whose number another plan has is
/// recorded under its long form.
extension Books {
    /// `command` with its decisions by their full keys and its plans and tasks as recorded. A plan
    /// number several plans share is refused (`PlanNumbers.resolve`) unless the command, naming
    /// the plan recorded under that number, is a retry of what is recorded: an import file loaded
    /// again after a second plan of a number was recorded records nothing twice, as before.
    func resolvingKeys(_ command: Command, context: CommandContext) throws(TrackerError) -> Command {
        let command = try resolvingDecisions(command)
        do throws(TrackerError) { return try resolvingPlans(command) } catch {
            guard let exact = try? resolvingPlans(command, exact: true),
                  case .unchanged? = try? decideAny(exact, context: context).outcome else { throw error }
            return exact
        }
    }

    /// A recorded plan's number, issuer and year: a long form's own, else its number, the province
    /// of its agency on its date, and that date's year.
    public func planKey(_ id: PlanID) -> PlanNumbers.Key {
        PlanNumbers.Key(recorded: id, plan: plans[id]?.event, unknownIssuer: defaultProvince, province: province(of:on:))
    }

    /// `command` with every plan and task it names as recorded. A new plan is recorded under its
    /// number as typed while no other plan has it, else under its long form; a long form typed for
    /// a new plan must give the year of the plan's date.
    func resolvingPlans(_ command: Command, exact: Bool = false) throws(TrackerError) -> Command {
        func task(_ id: TaskID) throws(TrackerError) -> TaskID { try planNumbers.resolve(id, key: planKey, exact: exact) }
        func lines(_ lines: [AllocationLine]) throws(TrackerError) -> [AllocationLine] {
            var resolved = lines
            for index in resolved.indices { resolved[index].task = try task(resolved[index].task) }
            return resolved
        }
        switch command {
        case .createPlan(var c):
            let typed = PlanNumbers.Key(longForm: c.plan.id)
            let derived = PlanNumbers.Key(number: typed?.number ?? c.plan.id, issuer: province(of: c.plan.agency, on: c.plan.issued),
                                          year: c.plan.issued.year)
            if let typed {
                guard typed.year == derived.year else {
                    throw TrackerError(.invalidArgument, "plan \(c.plan.id.text) names the year \(typed.year) but is dated \(c.plan.issued.vietnamese); "
                        + "the year of its long form is the year of the plan's date (numbers restart every year)")
                }
                // Another issuer than its agency's province: known by the long form as typed.
                if typed != derived {
                    c.plan.id = planNumbers.candidates(typed.number).first { planKey($0) == typed } ?? typed.id
                    return .createPlan(c)
                }
            }
            c.plan.id = planNumbers.recordedID(of: derived.number, derived, key: planKey)
            return .createPlan(c)
        case .addTask(var c):
            c.task.id = try task(c.task.id)
            return .addTask(c)
        case .changeStatus(var c): c.task = try task(c.task); return .changeStatus(c)
        case .disburse(var c): c.task = try task(c.task); return .disburse(c)
        case .allocate(var c): c.allocation.lines = try lines(c.allocation.lines); return .allocate(c)
        case .carryOver(var c): c.lines = try lines(c.lines); return .carryOver(c)
        case .amend(var c):
            c.set = try lines(c.set)
            for index in c.withdraw.indices { c.withdraw[index] = try task(c.withdraw[index]) }
            for index in c.moves.indices {
                c.moves[index].from = try task(c.moves[index].from)
                c.moves[index].to = try task(c.moves[index].to)
            }
            return .amend(c)
        case .lapse(var c):
            guard let id = c.task else { return command }
            c.task = try task(id)
            return .lapse(c)
        case .reviseTask(var c): c.task = try task(c.task); return .reviseTask(c)
        case .recordContract(var c): c.contract.task = try task(c.contract.task); return .recordContract(c)
        case .recordExpectation(var c): c.task = try task(c.task); return .recordExpectation(c)
        case .succeedAgency(var c):
            for index in c.succession.parts.indices {
                c.succession.parts[index].plan = try planNumbers.resolve(c.succession.parts[index].plan, key: planKey, exact: exact)
                if let id = c.succession.parts[index].task { c.succession.parts[index].task = try task(id) }
            }
            return .succeedAgency(c)
        case .registerAgency, .reverse, .refund, .succeedProvince, .closeYear, .issueReport, .raiseAlert:
            return command
        }
    }

    /// The plans a command names (as recorded, after `resolvingPlans`).
    func plansNamed(by command: Command) -> [PlanID] {
        func of(_ lines: [AllocationLine]) -> [PlanID] { lines.map(\.task.plan) }
        switch command {
        case .createPlan(let c): return [c.plan.id]
        case .addTask(let c): return [c.task.id.plan]
        case .changeStatus(let c): return [c.task.plan]
        case .disburse(let c): return [c.task.plan]
        case .allocate(let c): return of(c.allocation.lines)
        case .carryOver(let c): return of(c.lines)
        case .amend(let c): return of(c.set) + c.withdraw.map(\.plan) + c.moves.flatMap { [$0.from.plan, $0.to.plan] }
        case .lapse(let c): return c.task.map { [$0.plan] } ?? []
        case .reviseTask(let c): return [c.task.plan]
        case .recordContract(let c): return [c.contract.task.plan]
        case .recordExpectation(let c): return [c.task.plan]
        case .succeedAgency(let c): return c.succession.parts.map(\.plan)
        case .registerAgency, .reverse, .refund, .succeedProvince, .closeYear, .issueReport, .raiseAlert: return []
        }
    }

    /// What an answer says of a plan recorded under its number alone before another plan shared
    /// that number: its records and rows keep that id, and it is typed in its long form.
    func sharedNumberNotes(_ command: Command) -> [String] {
        var seen = Set<PlanID>()
        var notes: [String] = []
        for plan in plansNamed(by: command) where PlanNumbers.Key(longForm: plan) == nil && plans[plan] != nil && seen.insert(plan).inserted {
            let others = planNumbers.candidates(plan).filter { $0 != plan }
            guard !others.isEmpty else { continue }
            let key = planKey(plan)
            notes.append("\(plan.text) here is the plan \(key), recorded under its number before \(others.map(\.text).joined(separator: ", ")) shared it: "
                + "its records keep the id \(plan.text), and it is typed \(key.id.text) (its tasks \(key.id.text)#N)")
        }
        return notes
    }
}
