/// Warnings: what a command that is allowed should still make its caller look at, said in the answer.
extension Books {
    /// The warnings of `command`, decided against the books before it is applied.
    func warnings(_ command: Command, context: CommandContext) -> [String] {
        sharedNumberNotes(command) + ownWarnings(command, context: context)
    }

    private func ownWarnings(_ command: Command, context: CommandContext) -> [String] {
        switch command {
        case .changeStatus(let c) where c.to == .completed:
            guard let task = tasks[c.task] else { return [] }
            let open = task.lines.map { lines[Int($0)] }.filter { $0.remaining.dong > 0 }
            guard !open.isEmpty else { return [] }
            let total = open.reduce(Money.zero) { $0.adding($1.remaining) ?? $0 }
            let where_ = open.map { "\($0.remaining) under \($0.decision) (budget year \($0.fiscalYear))" }.joined(separator: ", ")
            return ["task \(task.event.id) is completed with \(total) still undisbursed on its lines: \(where_); withdraw it (amend --withdraw), carry it over or let it lapse"]
        case .carryOver(let c):
            return carryOverWarnings(c, context: context)
        case .createPlan(let c) where plans[c.plan.id] == nil:
            // A plan recorded under its long form: the number alone now names several.
            let number = PlanNumbers.number(of: c.plan.id)
            let others = planNumbers.candidates(number).filter { $0 != c.plan.id }.map(planKey)
            guard !others.isEmpty, let mine = PlanNumbers.Key(longForm: c.plan.id) else { return [] }
            return ["plan \(number) is the number of \(others.map(\.description).joined(separator: ", ")) too: this one is recorded as \(mine.id.text), "
                    + "and from now on each is named by its long form, with its tasks (\((others + [mine]).map { "\($0.id.text)#1" }.joined(separator: ", ")))"]
        default:
            return []
        }
    }

    /// What a carry-over rests on that the books do not hold: the facts behind its class (a
    /// procurement's contract is checked against the contracts recorded) and the finance agency's
    /// approval. Said in the answer unless an override records who confirmed them.
    private func carryOverWarnings(_ c: CarryOver, context: CommandContext) -> [String] {
        guard let from = decisions[c.from] else { return [] }
        let rule = context.rules.carryOverRule(of: from.fiscalYear)
        guard let ground = c.ground else {
            let allowed = rule.map { " (\($0.law) allows \($0.grounds.map(\.rawValue).joined(separator: ", ")))" } ?? ""
            return ["carry-over \(c.decision) gives no legal ground: name the class of money with --ground CLASS\(allowed)"]
        }
        guard c.override == nil else { return [] }
        var facts: [String] = []
        if ground == .procurement, let end = BusinessDate.endOfYear(from.fiscalYear) {
            let contracted = Set(reporting.facts.keys.compactMap { key -> TaskID? in
                if case .contract(let task, let date, _) = key, date <= end { return task }
                return nil
            })
            let without = c.lines.map(\.task).filter { !contracted.contains($0) }
            if !without.isEmpty {
                facts.append("a contract signed (or, from 2026, a bid under way) by \(end.vietnamese) for \(without.map(\.description).joined(separator: ", ")): none is recorded (trackctl contract add)")
            }
        } else if let fact = ground.factNotHeld {
            facts.append(fact)
        }
        facts.append("the finance agency's approval of the carry-over (cơ quan tài chính)")
        return ["carry-over \(c.decision) as \(ground.rawValue) rests on what the tracker does not hold: \(facts.joined(separator: "; ")). "
                + "It is recorded as not confirmed; a carry-over given --override records who confirmed them"]
    }
}
