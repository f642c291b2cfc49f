extension Event {
    /// A plain sentence for people saying what the event records: the message of a command's
    /// answer ("recorded disbursement UNC-1: 20.000.000 đ for 860/KH-BDT#1 on 15/12/2023").
    public var summary: String {
        switch self {
        case .agencyRegistered(let e): "registered agency \(e.id)"
        case .planCreated(let e): "recorded plan \(e.id)"
        case .taskAdded(let e): "added task \(e.id)"
        case .fundsAllocated(let e): "recorded decision \(e.decision): \(e.total) for \(e.agency), budget year \(e.fiscalYear)"
        case .disbursementRecorded(let e): "recorded disbursement \(e.ref): \(e.amount) for \(e.task) on \(e.date.vietnamese)"
        case .disbursementReversed(let e): "reversed disbursement \(e.ref): \(e.amount) back to \(e.task) under \(e.decision)"
        case .taskStatusChanged(let e): "task \(e.task) is now \(e.to.rawValue) (from \(e.from.rawValue), \(e.date.vietnamese))"
        case .fundsCarriedOver(let e): "recorded carry-over \(e.decision): \(e.total) from \(e.from) into budget year \(e.fiscalYear)"
        case .fundsLapsed(let e): "recorded that \(e.total) under \(e.decision) lapsed on \(e.date.vietnamese)"
        case .alertRaised(let e): e.sentence
        case .contractSigned(let e): "recorded the contract of \(e.task) dated \(e.date.vietnamese)" + (e.contractor.map { " with \($0)" } ?? "")
        case .disbursementExpected(let e):
            "recorded that \(e.amount.map(\.description) ?? Rate(milliPercent: e.rateMilli ?? 0).description) is expected on \(e.task) under \(e.decision) by \(e.by.vietnamese)"
        case .reportIssued(let e): "recorded that the \(e.kind) report as of \(e.asOf.vietnamese) went with \(e.letter) (SHA-256 \(e.sha256))"
        }
    }
}
