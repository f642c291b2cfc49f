import Events
import Projections

extension ReportDocument {
    /// A plan's Bảng tổng hợp kế hoạch: TT, Tên nhiệm vụ, Nội dung thực hiện, (Đơn vị chủ trì),
    /// Thời gian thực hiện, Kinh phí, Nguồn vốn, and the Tổng row.
    static func plan(_ report: PlanTableReport, answer: ReportAnswer, options o: ReportOptions) -> ReportDocument {
        var columns: [Column] = [Column(title: "TT", kind: .number),
                                 Column(title: o.t("Tên nhiệm vụ", "Task"), kind: .text, wraps: true),
                                 Column(title: o.t("Nội dung thực hiện", "Content"), kind: .text, wraps: true)]
        if report.showsUnit { columns.append(Column(title: o.t("Đơn vị chủ trì", "Lead unit"), kind: .text, wraps: true)) }
        columns += [Column(title: o.t("Thời gian thực hiện", "Period"), kind: .text),
                    Column(title: report.year.map { o.t("Kinh phí năm \($0)", "Budget \($0)") } ?? o.t("Tổng mức dự kiến", "Estimated total"),
                           kind: .number),
                    Column(title: o.t("Nguồn vốn", "Source"), kind: .text, wraps: true)]
        var rows: [Row] = []
        for row in report.rows {
            var cells: [Cell] = [.integer(row.number), .text(row.name), .text(row.content ?? "")]
            if report.showsUnit { cells.append(.text(row.unit ?? "")) }
            cells += [.text(row.period), .money(row.amount), .text(o.language == .vi ? row.sourceName : row.source)]
            rows.append(Row(kind: .body, cells: cells))
        }
        var total: [Cell] = [.text(""), .text(o.t("Tổng cộng", "Total")), .text("")]
        if report.showsUnit { total.append(.text("")) }
        total += [.text(""), .money(report.total), .text("")]
        rows.append(Row(kind: .total, cells: total))
        let issued = o.date(report.issued)
        let subtitle = [report.title,
                        o.t("Kế hoạch \(report.plan) ngày \(issued) của \(report.agencyName); giai đoạn \(report.period)",
                            "Plan \(report.plan) of \(issued), \(report.agencyName); period \(report.period)")]
        return ReportDocument(answer: answer, options: o, title: o.t("BẢNG TỔNG HỢP KẾ HOẠCH", "PLAN SUMMARY TABLE"), subtitle: subtitle,
                              tables: [Table(caption: nil, columns: columns, rows: rows)], chart: nil, notes: [],
                              asOf: report.asOf, throughSeq: report.throughSeq)
    }

    /// The parts every report shares: the letterhead, the date line and the signatures.
    init(answer: ReportAnswer, options o: ReportOptions, title: String, subtitle: [String], tables: [Table], chart: Chart?,
         notes: [String], asOf: String, throughSeq: UInt64) {
        var notes = notes
        notes.append(o.t("Số liệu đến ngày \(o.date(asOf)), tính trên các bản ghi đến số thứ tự \(throughSeq) của sổ ghi.",
                         "Figures as of \(o.date(asOf)), counting the log's records through seq \(throughSeq)."))
        if answer.simulated {
            notes.append(o.t("*** ĐỒNG HỒ GIẢ LẬP: ngày hôm nay của trackerd là \(o.date(answer.today)) ***",
                             "*** SIMULATED CLOCK: the daemon's today is \(o.date(answer.today)) ***"))
        }
        let letterhead = answer.letterhead
        let date = o.date ?? (try? BusinessDate.parse(answer.today)) ?? .first
        self.init(letterhead: letterhead, kind: answer.kind, form: letterhead.form.map { o.t("Biểu số \($0)", "Form \($0)") },
                  attachedTo: o.letter.map { letter in
                      o.t("Kèm theo \(letter)" + (o.letterDate.map { " ngày \($0.vietnamese)" } ?? ""),
                          "Attached to \(letter)" + (o.letterDate.map { " of \($0.vietnamese)" } ?? ""))
                  },
                  title: title, subtitle: subtitle, unitLine: o.unitLine, tables: tables, chart: chart, notes: notes,
                  dateLine: o.dateLine(place: letterhead.place, date),
                  signatures: [(o.t("NGƯỜI LẬP BIỂU", "PREPARED BY"), letterhead.preparer), (letterhead.headTitle, letterhead.head)],
                  language: o.language)
    }
}
