/// The rules of successions of agencies.
extension Books {
    func decideSuccession(_ given: AgencySucceeded, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        guard let from = agencies[given.from] else { throw TrackerError(.notFound, "agency \(given.from) is not registered") }
        var e = given
        e.from = from.event.id
        for index in e.to.indices {
            guard let agency = agencies[e.to[index]] else { throw TrackerError(.notFound, "agency \(e.to[index]) is not registered") }
            e.to[index] = agency.event.id
        }
        if let (recorded, seq) = lineage.successions[e.from] {
            guard recorded == e else {
                throw TrackerError(.conflict, "agency \(e.from) was already succeeded by \(recorded.to.map(\.text).joined(separator: ", ")) from \(recorded.effective.vietnamese) (seq \(seq), \(recorded.decision)); an agency is succeeded once")
            }
            return .unchanged(seq: seq, what: "the succession of \(e.from) is already recorded")
        }
        guard Set(e.to).count == e.to.count else { throw TrackerError(.invalidArgument, "a successor is named twice") }
        if e.to.contains(e.from) { throw TrackerError(.invalidArgument, "agency \(e.from) cannot succeed itself") }
        if e.effective > context.today {
            throw TrackerError(.invalidArgument, "the succession of \(e.from) takes effect \(e.effective.vietnamese), after today (\(context.today.vietnamese)); record it on or after that day")
        }
        for successor in e.to {
            if let ceased = lineage.succession(of: successor, on: e.effective) {
                throw TrackerError(.invalidArgument, "agency \(successor) itself was succeeded by \(ceased.to.map(\.text).joined(separator: ", ")) from \(ceased.effective.vietnamese); it cannot receive anything from \(e.effective.vietnamese)")
            }
        }
        for index in e.parts.indices {
            let part = e.parts[index]
            guard e.to.contains(part.to) else {
                throw TrackerError(.invalidArgument, "--part names \(part.to), which is not among the successors (\(e.to.map(\.text).joined(separator: ", "))); add it with --to")
            }
            if let taskID = part.task {
                guard let task = tasks[taskID] else { throw TrackerError(.notFound, "task \(taskID) is not recorded") }
                let holder = lineage.holder(of: task.event.id, recordedUnder: task.agency, on: e.effective)
                guard holder == e.from else { throw TrackerError(.invalidArgument, "task \(task.event.id) is held by \(holder) on \(e.effective.vietnamese), not by \(e.from)") }
                e.parts[index].task = task.event.id
                e.parts[index].plan = task.event.id.plan
            } else {
                guard let plan = plans[part.plan] else { throw TrackerError(.notFound, "plan \(part.plan) is not recorded") }
                let holder = lineage.holder(ofPlan: plan.event.id, recordedUnder: plan.event.agency, on: e.effective)
                guard holder == e.from else { throw TrackerError(.invalidArgument, "plan \(plan.event.id) is held by \(holder) on \(e.effective.vietnamese), not by \(e.from)") }
                e.parts[index].plan = plan.event.id
            }
        }
        return .record([.agencySucceeded(e)])
    }

    func decideProvinceSuccession(_ e: ProvinceSucceeded, context: CommandContext) throws(TrackerError) -> CommandOutcome {
        if let (recorded, seq) = lineage.provinces[e.from] {
            guard recorded == e else {
                throw TrackerError(.conflict, "province \(e.from) was already merged into \(recorded.to) from \(recorded.effective.vietnamese) (seq \(seq)); a province is succeeded once")
            }
            return .unchanged(seq: seq, what: "the merger of province \(e.from) is already recorded")
        }
        guard e.from != e.to else { throw TrackerError(.invalidArgument, "province \(e.from) cannot merge into itself") }
        if e.effective > context.today {
            throw TrackerError(.invalidArgument, "the merger of \(e.from) takes effect \(e.effective.vietnamese), after today (\(context.today.vietnamese))")
        }
        if lineage.province(e.to, on: e.effective) != e.to {
            throw TrackerError(.invalidArgument, "province \(e.to) itself merged into \(lineage.province(e.to, on: e.effective)) by \(e.effective.vietnamese)")
        }
        return .record([.provinceSucceeded(e)])
    }
}
