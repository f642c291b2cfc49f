import Events
import Projections

/// How a report is to be written: format, language, unit, width, and the letter it goes with.
/// Every one of these is recorded when a report is issued, so the same bytes can be made again.
struct ReportOptions {
    enum Format: String, CaseIterable { case text, csv, md, html }

    var format: Format = .text
    var language: ReportLanguage = .vi
    var unit: MoneyUnit = .trieu
    /// Text width in columns (text format only).
    var width: Int = 120
    /// The date on the place-and-date line (default: the daemon's today).
    var date: BusinessDate?
    /// "Kèm theo Công văn số …": the letter the report goes with.
    var letter: String?
    /// The date of that letter.
    var letterDate: BusinessDate?

    /// A label in the report's language.
    func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    /// "ĐVT: triệu đồng" / "Unit: million đồng".
    var unitLine: String {
        switch (unit, language) {
        case (.dong, .vi): "ĐVT: đồng"
        case (.nghin, .vi): "ĐVT: nghìn đồng"
        case (.trieu, .vi): "ĐVT: triệu đồng"
        case (.ty, .vi): "ĐVT: tỷ đồng"
        case (.dong, .en): "Unit: đồng"
        case (.nghin, .en): "Unit: thousand đồng"
        case (.trieu, .en): "Unit: million đồng (triệu)"
        case (.ty, .en): "Unit: billion đồng (tỷ)"
        }
    }

    /// A date as the documents write it: 30/11/2023.
    func date(_ iso: String) -> String { (try? BusinessDate.parse(iso))?.vietnamese ?? iso }

    /// "Quảng Ngãi, ngày 30 tháng 11 năm 2023" / "Quảng Ngãi, 30 November 2023".
    func dateLine(place: String, _ date: BusinessDate) -> String {
        let (year, month, day) = date.components
        switch language {
        case .vi: return "\(place), ngày \(day < 10 ? "0" : "")\(day) tháng \(month < 10 ? "0" : "")\(month) năm \(year)"
        case .en:
            let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
            return "\(place), \(day) \(months[month - 1]) \(year)"
        }
    }

    /// A task status as the reports name it.
    func status(_ raw: String) -> String {
        guard let status = TaskStatus(rawValue: raw) else { return raw }
        switch status {
        case .planned: return t("Chưa triển khai", "Planned")
        case .funded: return t("Đã được phân bổ", "Funded")
        case .procuring: return t("Đang lựa chọn nhà thầu", "Procuring")
        case .contracted: return t("Đã lựa chọn nhà thầu", "Contracted")
        case .inProgress: return t("Đang thực hiện", "In progress")
        case .completed: return t("Hoàn thành", "Completed")
        case .deferred: return t("Chưa bố trí kinh phí, tạm dừng", "Deferred (not funded)")
        case .cancelled: return t("Hủy bỏ", "Cancelled")
        }
    }

    /// A procurement step as documents write it.
    func procurement(_ text: String) -> String {
        switch Text.foldKey(text) {
        case "chi-dinh-thau", "chi dinh thau": return t("chỉ định thầu", "direct contracting")
        case "dau-thau", "dau thau": return t("đấu thầu", "tender")
        default: return text
        }
    }
}
