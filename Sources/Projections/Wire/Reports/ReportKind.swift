/// The reports trackerd computes and trackctl renders.
public enum ReportKind: String, Sendable, CaseIterable, Codable {
    /// A plan's summary table (Bảng tổng hợp kế hoạch).
    case plan
    /// Funds assigned and disbursed, per agency, decision and line (seed 003, section I.9).
    case disbursement
    /// Agencies ranked by rate against the province's weighted rate.
    case ranking
    /// Tasks not completed past their deadline, with the four outcome classes.
    case overdue
    /// The log's head, its verification, record counts, and every disbursement figure with its records.
    case audit
}
