import Events

/// One row of a plan's "Bảng tổng hợp kế hoạch".
public struct PlanTableRow: Sendable, Equatable, Codable {
    /// TT: the task's number in the plan.
    public var number: Int
    /// The task's id (`BDT-2023#1`).
    public var task: String
    /// Tên nhiệm vụ.
    public var name: String
    /// Nội dung thực hiện / mục tiêu (the task's objective as the plan gives it).
    public var content: String?
    /// Thời gian thực hiện: `2023`, `2022-2025`.
    public var period: String
    /// Kinh phí: the plan year's amount, or the task's total for a multi-year plan; nil when none is given.
    public var amount: Money?
    /// Nguồn vốn: the source code and its name as documents write it.
    public var source: String
    public var sourceName: String
    /// Đơn vị chủ trì.
    public var unit: String?
}

/// A plan's summary table (Bảng tổng hợp kế hoạch), as the documents end with it.
public struct PlanTableReport: Sendable, Equatable, Codable {
    public var plan: String
    public var title: String
    public var agency: String
    public var agencyName: String
    /// The plan's date (ISO).
    public var issued: String
    public var period: String
    /// The year whose amounts the Kinh phí column shows; nil when it shows totals (a multi-year plan).
    public var year: Int?
    public var rows: [PlanTableRow]
    /// Tổng: the sum of the rows' amounts, in đồng.
    public var total: Money
    /// Whether the table shows Đơn vị chủ trì (its tasks name more than one unit).
    public var showsUnit: Bool
    public var asOf: String
    public var throughSeq: UInt64
}

extension Ledger {
    /// The summary table of `planID` in scope: its tasks in document order with the plan year's
    /// amount (a one-year plan) or the task's total (a multi-year plan), and the Tổng row.
    public func planTable(_ planID: PlanID, scope: QueryScope) throws(TrackerError) -> PlanTableReport {
        guard let plan = plans[planID], plan.seq <= scope.throughSeq else { throw TrackerError(.notFound, "plan \(planID) is not recorded") }
        let oneYear = plan.event.period.first == plan.event.period.last ? plan.event.period.first : nil
        var rows: [PlanTableRow] = []
        var total = Money.zero
        for taskID in plan.tasks {
            guard let task = tasks[taskID], task.seq <= scope.throughSeq else { continue }
            let amount = oneYear.map { task.event.planned(inYear: $0) } ?? task.event.total ?? task.event.planned
            if let amount { total = try total.plus(amount, "the total of plan \(planID)") }
            let period = task.event.period.first == task.event.period.last ? "\(task.event.period.first)"
                : "\(task.event.period.first)-\(task.event.period.last)"
            rows.append(PlanTableRow(number: taskID.number, task: taskID.description, name: task.event.name, content: task.event.objective,
                                     period: period, amount: amount, source: task.event.source.rawValue,
                                     sourceName: task.event.source.documentName, unit: task.event.unit))
        }
        let units = Set(rows.map { $0.unit.map(Text.foldKey) ?? "" })
        return PlanTableReport(plan: plan.event.id.text, title: plan.event.title, agency: plan.event.agency.text,
                               agencyName: agencies[plan.event.agency]?.event.name ?? plan.event.agency.text,
                               issued: plan.event.issued.description, period: "\(plan.event.period)", year: oneYear, rows: rows, total: total,
                               showsUnit: units.count > 1, asOf: scope.asOf.description, throughSeq: min(scope.throughSeq, lastSeq))
    }
}

extension FundingSource {
    /// The source as plan tables write it: `NS tỉnh`, `NS tỉnh (chi thường xuyên)`, `MTQG`.
    public var documentName: String {
        switch self {
        case .provincial: "NS tỉnh"
        case .provincialRecurrent: "NS tỉnh (chi thường xuyên)"
        case .investment: "Vốn đầu tư công"
        case .nationalProgramme: "CT MTQG"
        case .nationalProgrammeInvestment: "Vốn đầu tư CT MTQG"
        case .central: "NS trung ương"
        case .selfFunded: "Kinh phí tự chủ"
        case .unspecified: "Chưa xác định"
        }
    }
}
