import Events

/// How a task stands against its deadline, as the government's task-tracking system classifies it.
public enum TaskOutcome: String, Sendable, CaseIterable {
    /// Completed on or before the deadline.
    case completedOnTime = "completed-on-time"
    /// Completed after the deadline.
    case completedLate = "completed-late"
    /// Not completed, deadline not passed.
    case withinDeadline = "not-completed-within-deadline"
    /// Not completed, deadline passed.
    case overdue = "not-completed-overdue"
    /// Cancelled: outside the four classes.
    case cancelled

    /// The English label for tables.
    public var label: String {
        switch self {
        case .completedOnTime: "completed on time"
        case .completedLate: "completed late"
        case .withinDeadline: "not completed, within deadline"
        case .overdue: "not completed, overdue"
        case .cancelled: "cancelled"
        }
    }
}

extension Ledger {
    /// Every task in scope with its status and outcome on `asOf`, in plan and document order.
    public func tasks(_ query: TaskQuery) throws(TrackerError) -> TaskReport {
        let scope = query.scope
        if let agency = query.agency, agencies[agency] == nil { throw TrackerError(.notFound, "agency \(agency) is not registered") }
        if let plan = query.plan, plans[plan] == nil { throw TrackerError(.notFound, "plan \(plan) is not recorded") }
        let needle = query.search.map(Text.foldKey)
        var result: [TaskStanding] = []
        for agencyID in agencyOrder where query.agency == nil || query.agency == agencyID {
            for planID in agencies[agencyID]?.plans ?? [] where query.plan == nil || query.plan == planID {
                for taskID in plans[planID]?.tasks ?? [] {
                    guard let stored = tasks[taskID], includes(stored, in: scope) else { continue }
                    let task = self.task(stored, in: scope)
                    if let needle, !needle.isEmpty {
                        let haystack = [task.event.id.description, task.event.name, task.event.objective ?? "", task.event.unit ?? "",
                                        agencies[agencyID]?.event.name ?? ""].map(Text.foldKey).joined(separator: "\n")
                        guard haystack.contains(needle) else { continue }
                    }
                    let standing = try self.standing(of: task, in: scope)
                    if let outcome = query.outcome, standing.outcome != outcome { continue }
                    result.append(standing)
                }
            }
        }
        return TaskReport(asOf: scope.asOf, throughSeq: min(scope.throughSeq, lastSeq), tasks: result)
    }

    /// Tasks not completed past their deadline, most overdue first.
    public func overdue(_ query: TaskQuery) throws(TrackerError) -> TaskReport {
        var query = query
        query.outcome = .overdue
        var report = try tasks(query)
        report.tasks.sort { ($0.daysLate ?? 0, $1.task) > ($1.daysLate ?? 0, $0.task) }
        return report
    }

    /// One task's standing in scope; throws when its sums do not fit (see `figures`).
    public func standing(of task: Task, in scope: QueryScope) throws(TrackerError) -> TaskStanding {
        let current = status(of: task, in: scope)
        let deadline = task.event.deadline
        let outcome: TaskOutcome
        var daysLate: Int? = nil
        switch current.status {
        case .completed:
            if current.date <= deadline {
                outcome = .completedOnTime
            } else {
                outcome = .completedLate
                daysLate = deadline.days(until: current.date)
            }
        case .cancelled:
            outcome = .cancelled
        default:
            if scope.asOf <= deadline {
                outcome = .withinDeadline
            } else {
                outcome = .overdue
                daysLate = deadline.days(until: scope.asOf)
            }
        }
        var allocated = Money.zero
        var disbursed = Money.zero
        for index in task.lines {
            let line = lines[Int(index)]
            guard includes(line, in: scope) else { continue }
            // Own and carried-over lines of the task: the books keep them within `reportLimit` together.
            allocated = try allocated.plus(try figures(of: line, in: scope).allocated, "the allocated money of task \(task.event.id)")
            disbursed = try disbursed.plus(try self.disbursed(on: line, in: scope), "the disbursed money of task \(task.event.id)")
        }
        return TaskStanding(task: task.event.id.description, name: task.event.name, agency: task.agency.text, plan: task.event.id.plan.text,
                            status: current.status, statusDate: current.date, deadline: deadline, outcome: outcome, daysLate: daysLate,
                            allocated: allocated, disbursed: disbursed, unit: task.event.unit)
    }
}
