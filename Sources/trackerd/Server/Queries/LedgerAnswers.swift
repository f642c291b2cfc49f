import Events
import Projections

/// The small queries over the live ledger: `tasks`, `overdue`, `plans`, `alerts` (not paged:
/// about 250–600 bytes an item).
struct LedgerAnswers: Sendable {
    let context: QueryContext

    func tasks(_ request: Wire.Request, overdue: Bool) throws(TrackerError) -> [UInt8] {
        let parameters = try QueryParameters(request: request.fields, allowed: ["as_of", "known_at", "agency", "plan", "search"], op: request.op)
        return try context.live.read { (ledger, position) throws(TrackerError) -> [UInt8] in
            let scope = context.scope(parameters, ledger)
            let plan = try parameters.plan.map { (plan) throws(TrackerError) in try ledger.resolvePlan(plan, throughSeq: scope.throughSeq) }
            let query = TaskQuery(scope: scope, agency: parameters.agency, plan: plan, search: parameters.search)
            let report = overdue ? try ledger.overdue(query) : try ledger.tasks(query)
            return answer(request, at: position) { w in report.encode(to: &w) }
        }
    }

    func plans(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        let parameters = try QueryParameters(request: request.fields, allowed: ["as_of", "known_at", "agency", "search"], op: "plans")
        return try context.live.read { (ledger, position) throws(TrackerError) -> [UInt8] in
            let list = try ledger.plans(scope: context.scope(parameters, ledger), agency: parameters.agency, search: parameters.search)
            return answer(request, at: position) { w in
                w.key("plans")
                w.beginArray()
                for plan in list { plan.encode(to: &w) }
                w.endArray()
            }
        }
    }

    func agencies(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        let parameters = try QueryParameters(request: request.fields, allowed: ["as_of", "known_at", "search"], op: "agencies")
        return try context.live.read { (ledger, position) throws(TrackerError) -> [UInt8] in
            let list = try ledger.agencies(scope: context.scope(parameters, ledger), search: parameters.search)
            return answer(request, at: position) { w in
                w.key("agencies")
                w.beginArray()
                for agency in list { agency.encode(to: &w) }
                w.endArray()
            }
        }
    }

    func history(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        var fields = request.fields
        let task = try TaskID(fields.string("task"))
        fields["task"] = nil
        let parameters = try QueryParameters(request: fields, allowed: ["as_of", "known_at"], op: "task.history")
        return try context.live.read { (ledger, position) throws(TrackerError) -> [UInt8] in
            let scope = context.scope(parameters, ledger)
            let task = try ledger.resolveTask(task, throughSeq: scope.throughSeq)
            let entries = try ledger.history(of: task, in: scope)
            return answer(request, at: position) { w in
                w.key("task"); w.string(task.description)
                w.key("history")
                w.beginArray()
                for entry in entries { entry.encode(to: &w) }
                w.endArray()
            }
        }
    }

    func alerts(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        let parameters = try QueryParameters(request: request.fields, allowed: ["as_of", "known_at", "year", "agency"], op: "alerts")
        return context.live.read { (ledger, position) in
            let alerts = ledger.alerts(scope: context.scope(parameters, ledger), year: parameters.year, agency: parameters.agency)
            return answer(request, at: position) { w in
                w.key("alerts")
                w.beginArray()
                for alert in alerts { alert.encode(to: &w) }
                w.endArray()
            }
        }
    }

    /// An answer of members written by `members`, then the head it was read at and the clock.
    private func answer(_ request: Wire.Request, at position: LogPosition, _ members: (inout JSONWriter) -> Void) -> [UInt8] {
        let clock = context.clockReading
        return Wire.success(id: request.id) { w in
            members(&w)
            LogHead(position).encode(to: &w)
            clock.encode(to: &w)
        }
    }
}
