import Events
import Projections

extension ReportDocument {
    /// Agencies ranked by rate, the province's weighted rate, above or below it and the gap.
    static func ranking(_ report: RankingReport, answer: ReportAnswer, options o: ReportOptions) -> ReportDocument {
        let columns = [Column(title: o.t("Hạng", "Rank"), kind: .number),
                       Column(title: o.t("Cơ quan, đơn vị", "Agency"), kind: .text, wraps: true),
                       Column(title: o.t("Kinh phí được giao", "Allocated"), kind: .number),
                       Column(title: o.t("Đã giải ngân", "Disbursed"), kind: .number),
                       Column(title: o.t("Còn lại", "Remaining"), kind: .number),
                       Column(title: o.t("Tỷ lệ giải ngân (%)", "Rate (%)"), kind: .number),
                       Column(title: o.t("So với bình quân", "Against the average"), kind: .text),
                       Column(title: o.t("Cần giải ngân thêm để đạt bình quân", "To disburse to reach the average"), kind: .number)]
        var rows: [Row] = []
        for row in report.rows {
            let rate = Rate(milliPercent: row.rateMilli)
            rows.append(Row(kind: .body, cells: [.integer(row.rank), .text(row.name), .money(row.allocated), .money(row.disbursed),
                                                 .money(row.remaining), .rate(rate),
                                                 .text(row.aboveAverage ? o.t("Trên bình quân", "Above") : o.t("Dưới bình quân", "Below")),
                                                 .money(row.gapToAverage)],
                            progress: rate, warn: !row.aboveAverage))
        }
        rows.append(Row(kind: .total, cells: [.text(""), .text(o.t("Toàn tỉnh", "Province")), .money(report.total.allocated),
                                              .money(report.total.disbursed), .money(report.total.remaining),
                                              .rate(report.averageMilli.map(Rate.init(milliPercent:))), .text(""), .text("")],
                        progress: report.averageMilli.map(Rate.init(milliPercent:))))
        let average = report.averageMilli.map { Rate(milliPercent: $0).description } ?? "—"
        let notes = [o.t("Tỷ lệ bình quân toàn tỉnh (tổng giải ngân / tổng kinh phí được giao): \(average). \(report.above) cơ quan đạt hoặc vượt bình quân, \(report.below) cơ quan dưới bình quân.",
                         "Province weighted rate (all disbursed / all allocated): \(average). \(report.above) at or above it, \(report.below) below it.")]
        let chart = Chart(title: o.t("Tỷ lệ giải ngân theo cơ quan", "Disbursement rate by agency"),
                          bars: report.rows.map { ($0.agency, Rate(milliPercent: $0.rateMilli)) },
                          average: report.averageMilli.map(Rate.init(milliPercent:)), averageLabel: o.t("Bình quân toàn tỉnh", "Province average"))
        return ReportDocument(answer: answer, options: o,
                              title: o.t("XẾP HẠNG TỶ LỆ GIẢI NGÂN CỦA CÁC CƠ QUAN, ĐƠN VỊ", "AGENCIES RANKED BY DISBURSEMENT RATE"),
                              subtitle: [o.t("Năm ngân sách \(report.year), số liệu đến ngày \(o.date(report.asOf))",
                                             "Budget year \(report.year), figures as of \(o.date(report.asOf))")],
                              tables: [Table(caption: nil, columns: columns, rows: rows)], chart: report.rows.isEmpty ? nil : chart,
                              notes: notes, asOf: report.asOf, throughSeq: report.throughSeq)
    }
}
