/// Warnings: what a command that is allowed should still make its caller look at, said in the answer.
extension Books {
    /// The warnings of `command`, decided against the books before it is applied.
    func warnings(_ command: Command, context: CommandContext) -> [String] {
        switch command {
        case .changeStatus(let c) where c.to == .completed:
            guard let task = tasks[c.task] else { return [] }
            let open = task.lines.map { lines[Int($0)] }.filter { $0.remaining.dong > 0 }
            guard !open.isEmpty else { return [] }
            let total = open.reduce(Money.zero) { $0.adding($1.remaining) ?? $0 }
            let where_ = open.map { "\($0.remaining) under \($0.decision) (budget year \($0.fiscalYear))" }.joined(separator: ", ")
            return ["task \(task.event.id) is completed with \(total) still undisbursed on its lines: \(where_); withdraw it (amend --withdraw), carry it over or let it lapse"]
        default:
            return []
        }
    }
}
