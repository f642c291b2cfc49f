extension Event {
    /// A plain sentence for people saying what the event records: the message of a command's
    /// answer ("recorded disbursement UNC-1: 20.000.000 đ for 860/KH-BDT#1 on 15/12/2023").
    public var summary: String {
        switch self {
        case .agencyRegistered(let e): "registered agency \(e.id)"
        case .planCreated(let e): "recorded plan \(e.id)"
        case .taskAdded(let e): "added task \(e.id)"
        case .fundsAllocated(let e): "recorded decision \(e.decision): \(e.total) for \(e.agency), budget year \(e.fiscalYear)"
        case .disbursementRecorded(let e): "recorded disbursement \(e.ref): \(e.amount) for \(e.task) under \(e.decision) on \(e.date.vietnamese)"
        case .disbursementReversed(let e): "reversed disbursement \(e.ref): \(e.amount) back to \(e.task) under \(e.decision), dated \(e.date.vietnamese)"
        case .disbursementRefunded(let e):
            e.returnedToBudget
                ? "recorded refund of \(e.amount) from \(e.ref) on \(e.date.vietnamese), after the adjustment period of its budget year under \(e.decision): returned to the budget (nộp trả ngân sách); the line of \(e.task) is not reopened"
                : "recorded refund of \(e.amount) from \(e.ref) on \(e.date.vietnamese) (giảm chi): back to the line of \(e.task) under \(e.decision), which can disburse it again"
        case .fundsAmended(let e): Self.amendmentSentence(e)
        case .agencySucceeded(let e): Self.successionSentence(e)
        case .yearClosed(let e): e.reopened
            ? "recorded that budget year \(e.year) is reopened (\(e.decision), \(e.date.vietnamese)): corrections of its figures may be recorded until it is closed again"
            : "recorded that budget year \(e.year) is closed (\(e.decision), \(e.date.vietnamese)): its figures stay as they are"
        case .provinceSucceeded(let e): "recorded that province \(e.from) merges into \(e.to) from \(e.effective.vietnamese) (\(e.decision))"
        case .taskRevised(let e): "recorded the revision \(e.reference) of task \(e.task.id), from \(e.date.vietnamese)\(e.cancelled ? ": the task is cancelled" : "")"
        case .taskStatusChanged(let e): "task \(e.task) is now \(e.to.rawValue) (from \(e.from.rawValue), \(e.date.vietnamese))"
        case .fundsCarriedOver(let e): "recorded carry-over \(e.decision): \(e.total) from \(e.from) into budget year \(e.fiscalYear)"
            + (e.ground.map { " as \($0.rawValue) (\(e.law ?? "")\(e.override.map { "; override by \($0.by): \($0.text)" } ?? ""))" }
               ?? (e.override.map { " (override by \($0.by): \($0.text))" } ?? ""))
        case .fundsLapsed(let e): "recorded that \(e.total) under \(e.decision) lapsed on \(e.date.vietnamese)"
        case .alertRaised(let e): e.sentence
        case .contractSigned(let e): "recorded the contract of \(e.task) dated \(e.date.vietnamese)" + (e.contractor.map { " with \($0)" } ?? "")
        case .disbursementExpected(let e):
            "recorded that \(e.amount.map(\.description) ?? Rate(milliPercent: e.rateMilli ?? 0).description) is expected on \(e.task) under \(e.decision) by \(e.by.vietnamese)"
        case .reportIssued(let e): "recorded that the \(e.kind) report as of \(e.asOf.vietnamese) went with \(e.letter) (SHA-256 \(e.sha256))"
        }
    }

    private static func amendmentSentence(_ e: FundsAmended) -> String {
        let changes: String = e.lines.map { "\($0.task) \($0.before) → \($0.after)" }.joined(separator: ", ")
        let late: String = e.late.map { "; signed after the deadline \($0.deadline.vietnamese), recorded with the override: \($0.override)" } ?? ""
        return "recorded amendment \(e.decision) of \(e.amends), signed \(e.signed.vietnamese): \(changes)\(late)"
    }

    private static func successionSentence(_ e: AgencySucceeded) -> String {
        let parts: String = e.parts.isEmpty ? "" : " (" + e.parts.map { "\($0.task.map(\.description) ?? $0.plan.text) → \($0.to)" }.joined(separator: ", ") + ")"
        return "recorded that \(e.to.map(\.text).joined(separator: ", ")) succeed\(e.to.count == 1 ? "s" : "") \(e.from) from \(e.effective.vietnamese) (\(e.decision))\(parts)"
    }
}
