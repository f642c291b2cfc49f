/// Where a task's money comes from (nguồn vốn), from a fixed list so totals by source add up.
public enum FundingSource: String, Sendable, CaseIterable, Comparable {
    /// Ngân sách tỉnh: the provincial budget.
    case provincial = "ns-tinh"
    /// NS tỉnh, chi thường xuyên: the provincial budget's recurrent spending (of the agency).
    case provincialRecurrent = "ns-tinh-thuong-xuyen"
    /// Vốn đầu tư công: public investment capital.
    case investment = "dau-tu"
    /// Chương trình mục tiêu quốc gia (MTQG): a national target programme, recurrent part.
    case nationalProgramme = "mtqg"
    /// Vốn đầu tư thuộc Chương trình MTQG: a national target programme's investment capital.
    case nationalProgrammeInvestment = "mtqg-dau-tu"
    /// Ngân sách trung ương: the central budget.
    case central = "trung-uong"
    /// Kinh phí tự chủ: the agency's own discretionary funds.
    case selfFunded = "tu-chu"
    /// Chưa xác định: the document names no source.
    case unspecified = "chua-xac-dinh"

    /// The Vietnamese name, as documents write it.
    public var vietnameseName: String {
        switch self {
        case .provincial: "Ngân sách tỉnh"
        case .provincialRecurrent: "NS tỉnh, chi thường xuyên"
        case .investment: "Vốn đầu tư công"
        case .nationalProgramme: "Chương trình MTQG"
        case .nationalProgrammeInvestment: "Vốn đầu tư, Chương trình MTQG"
        case .central: "Ngân sách trung ương"
        case .selfFunded: "Kinh phí tự chủ"
        case .unspecified: "Chưa xác định"
        }
    }

    /// Parses a code such as `ns-tinh` (case- and diacritic-insensitive).
    public static func parse(_ text: String) throws(TrackerError) -> FundingSource {
        if let source = FundingSource(rawValue: text) { return source }   // as written (records), with no folding
        let key = Text.foldKey(text).replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
        if let source = FundingSource(rawValue: key) { return source }
        let list = allCases.map { "\($0.rawValue) (\($0.vietnameseName))" }.joined(separator: ", ")
        throw TrackerError(.invalidArgument, "unknown funding source '\(text)'; use one of: \(list)")
    }

    public static func < (a: FundingSource, b: FundingSource) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
