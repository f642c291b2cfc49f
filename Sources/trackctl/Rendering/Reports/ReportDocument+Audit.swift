import Events
import Projections

extension ReportDocument {
    /// For an auditor: the head, the verification, the record counts, and every figure of the
    /// disbursement report with the records that make it up.
    static func audit(_ report: AuditReport, answer: ReportAnswer, options o: ReportOptions) -> ReportDocument {
        let v = report.verification
        let verification = v.verified
            ? o.t("Toàn vẹn: \(v.records) bản ghi (\(v.bytes) byte), chuỗi băm khớp", "Whole: \(v.records) records (\(v.bytes) bytes), the chain checks")
            : o.t("KHÔNG toàn vẹn: \(v.problem ?? "")", "NOT whole: \(v.problem ?? "")")
        let headColumns = [Column(title: o.t("Mục", "Item"), kind: .text), Column(title: o.t("Giá trị", "Value"), kind: .text, wraps: true)]
        let headRows = [Row(kind: .body, cells: [.text(o.t("Bản ghi cuối (head)", "Head record")), .text("seq \(report.headSeq)")]),
                        Row(kind: .body, cells: [.text(o.t("Mã băm SHA-256 của head", "Head SHA-256")), .text(report.headHash)]),
                        Row(kind: .body, cells: [.text(o.t("Kiểm tra chuỗi", "Verification")), .text(verification)], warn: !v.verified)]
        let countColumns = [Column(title: o.t("Loại bản ghi", "Record type"), kind: .text), Column(title: o.t("Số bản ghi", "Records"), kind: .number)]
        var countRows = report.counts.map { Row(kind: .body, cells: [.text($0.type), .integer($0.count)]) }
        countRows.append(Row(kind: .total, cells: [.text(o.t("Tổng cộng", "Total")), .integer(report.counts.reduce(0) { $0 + $1.count })]))
        let figureColumns = [Column(title: o.t("Quyết định", "Decision"), kind: .text),
                             Column(title: o.t("Nhiệm vụ", "Task"), kind: .text, wraps: true),
                             Column(title: o.t("Chỉ tiêu", "Figure"), kind: .text),
                             Column(title: o.t("Giá trị", "Value"), kind: .number),
                             Column(title: o.t("Bản ghi (seq)", "Records (seq)"), kind: .text, wraps: true)]
        var figures: [Row] = []
        let d = report.disbursement
        for agency in d.agencies {
            for decision in agency.decisions {
                for line in decision.lines {
                    let who: [Cell] = [.text(DecisionKind.display(decision.decision)), .text("\(line.task) \(line.name)")]
                    figures.append(Row(kind: .body, cells: who + [.text(o.t("Kinh phí được giao", "Allocated")), .money(line.allocated),
                                                                  .seqs([line.records.allocation])]))
                    figures.append(Row(kind: .body, cells: who + [.text(o.t("Lũy kế giải ngân", "Disbursed")), .money(line.disbursed),
                                                                  .seqs(line.records.disbursements)]))
                    figures.append(Row(kind: .body, cells: who + [.text(o.t("Tình trạng", "Status")), .text(o.status(line.status)),
                                                                  .seqs([line.records.status])]))
                    if let contract = line.records.contract {
                        figures.append(Row(kind: .body, cells: who + [.text(o.t("Hợp đồng", "Contract")), .money(line.contract?.value), .seqs([contract])]))
                    }
                    if let expectation = line.records.expectation {
                        figures.append(Row(kind: .body, cells: who + [.text(o.t("Dự kiến giải ngân", "Expected")), .money(line.expectation?.amount),
                                                                      .seqs([expectation])]))
                    }
                }
            }
        }
        figures.append(Row(kind: .total, cells: [.text(""), .text(o.t("Tổng cộng", "Total")), .text(o.t("Kinh phí được giao", "Allocated")),
                                                 .money(d.total.allocated), .text(o.t("tổng các dòng trên", "sum of the lines above"))]))
        figures.append(Row(kind: .total, cells: [.text(""), .text(o.t("Tổng cộng", "Total")), .text(o.t("Lũy kế giải ngân", "Disbursed")),
                                                 .money(d.total.disbursed), .text(o.t("tổng các dòng trên", "sum of the lines above"))]))
        return ReportDocument(answer: answer, options: o, title: o.t("BÁO CÁO ĐỐI CHIẾU SỐ LIỆU VỚI SỔ GHI", "AUDIT OF THE FIGURES AGAINST THE LOG"),
                              subtitle: [o.t("Năm ngân sách \(d.year), số liệu đến ngày \(o.date(d.asOf))", "Budget year \(d.year), figures as of \(o.date(d.asOf))")],
                              tables: [Table(caption: o.t("Sổ ghi", "The log"), columns: headColumns, rows: headRows),
                                       Table(caption: o.t("Số bản ghi theo loại", "Records by type"), columns: countColumns, rows: countRows),
                                       Table(caption: o.t("Số liệu và bản ghi tạo nên", "Figures and the records behind them"),
                                             columns: figureColumns, rows: figures)],
                              chart: nil,
                              notes: [o.t("Mỗi số liệu có thể tra trong sổ ghi: trackctl log --from SEQ --limit 1.",
                                          "Each figure can be traced in the log: trackctl log --from SEQ --limit 1.")],
                              asOf: d.asOf, throughSeq: d.throughSeq)
    }
}
