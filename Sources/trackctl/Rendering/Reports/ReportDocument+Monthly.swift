import Events
import Projections

extension ReportDocument {
    /// The monthly form of Thông tư 37/2025/TT-BTC, by funding source, labelled for what it is: a
    /// form written for public investment, used for recurrent money as a like-for-like table.
    static func monthly(_ report: MonthlyReport, answer: ReportAnswer, options o: ReportOptions) -> ReportDocument {
        let m = report.month
        let monthName = m.month == 13 ? o.t("tháng 13 năm \(m.year) (tháng 01/\(m.year + 1), thời gian chỉnh lý)", "the 13th month of \(m.year) (January \(m.year + 1), the adjustment period)")
                                      : o.t("tháng \(m.month < 10 ? "0" : "")\(m.month)/\(m.year)", "\(m.description)")
        let columns = [Column(title: "STT", kind: .text),
                       Column(title: o.t("Nguồn vốn", "Funding source"), kind: .text, wraps: true),
                       Column(title: o.t("Kế hoạch vốn năm \(m.year)", "Year's allocation \(m.year)"), kind: .number),
                       Column(title: o.t("Kế hoạch kéo dài (chuyển nguồn)", "Carried over (extended)"), kind: .number),
                       Column(title: o.t("Lũy kế giải ngân đến hết ngày \(o.date(m.previousEnd.description))", "Disbursed to \(o.date(m.previousEnd.description))"), kind: .number),
                       Column(title: report.monthOver ? o.t("Giải ngân đến hết ngày \(o.date(m.last.description))", "Disbursed to \(o.date(m.last.description))")
                                                      : o.t("Ước giải ngân đến hết ngày \(o.date(m.last.description))", "Estimate to \(o.date(m.last.description))"),
                              kind: .number),
                       Column(title: o.t("Tỷ lệ % so kế hoạch", "Rate of plan (%)"), kind: .number),
                       Column(title: o.t("Ghi chú", "Remarks"), kind: .text, wraps: true)]
        func remark(_ row: MonthlyRow) -> String {
            if report.monthOver { return "" }
            if row.fromExpectations > 0 {
                return o.t("\(row.fromExpectations)/\(row.lines) dòng ước theo số dự kiến của đơn vị", "\(row.fromExpectations) of \(row.lines) lines from the agencies' expectations")
            }
            return o.t("số thực giải ngân đến ngày \(o.date(report.asOf))", "actual to \(o.date(report.asOf))")
        }
        var rows: [Row] = []
        for (index, row) in report.rows.enumerated() {
            rows.append(Row(kind: .body, cells: [.integer(index + 1), .text(o.language == .vi ? row.sourceName : row.source), .money(row.yearPlan),
                                                 .money(row.extendedPlan), .money(row.disbursedToPreviousMonth), .money(row.estimateToMonthEnd),
                                                 .rate(row.rate), .text(remark(row))],
                            progress: row.rate))
        }
        let t = report.total
        rows.append(Row(kind: .total, cells: [.text(""), .text(o.t("Tổng cộng", "Total")), .money(t.yearPlan), .money(t.extendedPlan),
                                              .money(t.disbursedToPreviousMonth), .money(t.estimateToMonthEnd), .rate(t.rate),
                                              // The label travels with the figures, in a csv too.
                                              .text(o.t("Mẫu Thông tư 37/2025/TT-BTC (vốn đầu tư công), dùng như bảng đối chiếu tương đương",
                                                        "Form of Thông tư 37/2025/TT-BTC (public investment), used as a like-for-like table"))],
                        progress: t.rate))
        let notes = [o.t("Mẫu biểu theo Thông tư 37/2025/TT-BTC, quy định cho báo cáo giải ngân vốn đầu tư công; ở đây dùng cho kinh phí chi thường xuyên như một bảng đối chiếu tương đương, không phải báo cáo theo Thông tư.",
                         "Form of Thông tư 37/2025/TT-BTC, written for public-investment disbursement; used here for recurrent money as a like-for-like table, not as a report under that circular."),
                     o.t("Tỷ lệ % so kế hoạch: số giải ngân (ước) đến hết tháng so với kế hoạch vốn năm cộng kế hoạch kéo dài.",
                         "Rate of plan: (estimated) disbursed to the month's end against the year's allocation plus the carried-over allocation.")]
        return ReportDocument(answer: answer, options: o,
                              title: o.t("BÁO CÁO TÌNH HÌNH GIẢI NGÂN KẾ HOẠCH VỐN \(monthName.uppercased())", "MONTHLY DISBURSEMENT REPORT, \(monthName.uppercased())"),
                              subtitle: [o.t("Năm ngân sách \(m.year), số liệu đến ngày \(o.date(report.asOf))", "Budget year \(m.year), figures as of \(o.date(report.asOf))")],
                              tables: [Table(caption: nil, columns: columns, rows: rows)], chart: nil, notes: notes,
                              asOf: report.asOf, throughSeq: report.throughSeq)
    }
}
