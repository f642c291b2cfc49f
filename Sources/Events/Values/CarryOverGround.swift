/// The legal ground of a carry-over (chuyển nguồn): the class of money that the budget year's law
/// lets move to the next year. Law 83/2015/QH13 (Điều 64.3) for budget years to 2025, Law
/// 89/2025/QH15 (Điều 66.3) from 2026; which classes a year allows is configuration
/// (`[budget] carry_over`, `[budget from 2026] carry_over`), so a later law is a new section.
public enum CarryOverGround: String, Sendable, Equatable, CaseIterable, Comparable {
    /// Allocations added by the competent authority after 30/9 of the budget year.
    case addedAfterSeptember = "added-after-30-09"
    /// Public-investment capital whose disbursement was extended under the investment law.
    case publicInvestment = "public-investment"
    /// National target programmes (Law 89/2025: to 31/12 of the next year).
    case nationalTargetProgramme = "national-target-programme"
    /// Procurement contracted before 31/12 (Law 89/2025 also: bid before 31/12).
    case procurement
    /// Sources of salary reform and social security.
    case salary
    /// Funds given to public units and agencies under autonomy (kinh phí tự chủ).
    case autonomy
    /// Scientific research for topics and projects under way.
    case scienceResearch = "science-research"
    /// Science, technology, innovation and digital-transformation spending (Law 89/2025).
    case digitalTransformation = "digital-transformation"
    /// Reserves (dự phòng).
    case reserve
    /// Aid (viện trợ).
    case aid
    /// Earmarked donations (đóng góp, tài trợ có địa chỉ).
    case donation
    /// Refunds ordered by audit or inspection (kiến nghị kiểm toán, thanh tra).
    case auditRefund = "audit-refund"

    /// Classes in the order of the laws' lists.
    public static func < (a: CarryOverGround, b: CarryOverGround) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// What the class is, for a budget officer.
    public var meaning: String {
        switch self {
        case .addedAfterSeptember: "allocations added after 30/9 of the budget year"
        case .publicInvestment: "public-investment capital extended under the investment law"
        case .nationalTargetProgramme: "national target programmes"
        case .procurement: "procurement contracted (or, from 2026, bid) before 31/12"
        case .salary: "salary-reform and social-security sources"
        case .autonomy: "autonomy funds of public units and agencies (kinh phí tự chủ)"
        case .scienceResearch: "scientific research topics and projects under way"
        case .digitalTransformation: "science, technology, innovation and digital-transformation spending"
        case .reserve: "reserves (dự phòng)"
        case .aid: "aid (viện trợ)"
        case .donation: "earmarked donations"
        case .auditRefund: "refunds ordered by audit or inspection"
        }
    }

    /// The fact outside the books the class depends on, which the tracker cannot check; nil for
    /// a class the books can check themselves (money added after 30/9: the line's allocation date).
    public var factNotHeld: String? {
        switch self {
        case .addedAfterSeptember: nil
        case .publicInvestment: "the decision extending the capital (Luật Đầu tư công 58/2024/QH15, Điều 72: the provincial People's Committee's chair for local capital)"
        case .nationalTargetProgramme: "that the money belongs to a national target programme"
        case .procurement: "a contract signed (or, from 2026, a bid under way) before 31/12"
        case .salary: "that the money is a salary-reform or social-security source"
        case .autonomy: "that the money is an autonomy fund"
        case .scienceResearch: "that the research topic or project is under way"
        case .digitalTransformation: "that the spending is science, technology, innovation or digital transformation"
        case .reserve: "that the money is a reserve"
        case .aid: "that the money is aid"
        case .donation: "that the money is an earmarked donation"
        case .auditRefund: "the audit or inspection finding that ordered the refund"
        }
    }

    /// Reads a class by its name (case-insensitive); the error lists every class.
    public static func parse(_ text: String) throws(TrackerError) -> CarryOverGround {
        let name = Text.trimmingWhitespace(text).lowercased()
        guard let ground = CarryOverGround(rawValue: name) else {
            throw TrackerError(.invalidArgument, "'\(text)' is not a class of carry-over; the classes are: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return ground
    }
}
