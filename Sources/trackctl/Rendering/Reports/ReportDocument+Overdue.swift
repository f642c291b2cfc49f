import Events
import Projections

extension ReportDocument {
    /// Tasks not completed past their deadline, by agency, and the four outcome classes per agency.
    static func overdue(_ report: OverdueReport, answer: ReportAnswer, options o: ReportOptions) -> ReportDocument {
        let columns = [Column(title: "TT", kind: .text),
                       Column(title: o.t("Nhiệm vụ", "Task"), kind: .text, wraps: true),
                       Column(title: o.t("Kế hoạch", "Plan"), kind: .text),
                       Column(title: o.t("Tình trạng", "Status"), kind: .text, wraps: true),
                       Column(title: o.t("Hạn hoàn thành", "Deadline"), kind: .text),
                       Column(title: o.t("Số ngày quá hạn", "Days overdue"), kind: .number),
                       Column(title: o.t("Kinh phí được giao", "Allocated"), kind: .number),
                       Column(title: o.t("Đã giải ngân", "Disbursed"), kind: .number)]
        var rows: [Row] = []
        let blank = Array(repeating: Cell.text(""), count: columns.count - 2)
        for (index, agency) in report.agencies.enumerated() where !agency.tasks.isEmpty {
            rows.append(Row(kind: .group, cells: [.text(roman(index + 1)), .text(agency.name)] + blank))
            for (number, task) in agency.tasks.enumerated() {
                rows.append(Row(kind: .body, cells: [.integer(number + 1), .text("\(task.name) (\(task.task))"), .text(task.plan),
                                                     .text(o.status(task.status) + o.t(" từ \(o.date(task.statusDate))", " since \(o.date(task.statusDate))")),
                                                     .text(o.date(task.deadline)), .integer(task.daysOverdue), .money(task.allocated),
                                                     .money(task.disbursed)],
                                warn: true))
            }
        }
        let countColumns = [Column(title: o.t("Cơ quan, đơn vị", "Agency"), kind: .text, wraps: true),
                            Column(title: o.t("Hoàn thành đúng hạn", "Completed on time"), kind: .number),
                            Column(title: o.t("Hoàn thành quá hạn", "Completed late"), kind: .number),
                            Column(title: o.t("Chưa hoàn thành, trong hạn", "Not completed, within deadline"), kind: .number),
                            Column(title: o.t("Chưa hoàn thành, quá hạn", "Not completed, overdue"), kind: .number),
                            Column(title: o.t("Hủy bỏ", "Cancelled"), kind: .number),
                            Column(title: o.t("Tổng số nhiệm vụ", "Tasks"), kind: .number)]
        func countCells(_ label: String, _ c: OutcomeCounts) -> [Cell] {
            [.text(label), .integer(c.completedOnTime), .integer(c.completedLate), .integer(c.withinDeadline), .integer(c.overdue),
             .integer(c.cancelled), .integer(c.tasks)]
        }
        var countRows = report.agencies.map { Row(kind: .body, cells: countCells($0.name, $0.counts), warn: $0.counts.overdue > 0) }
        countRows.append(Row(kind: .total, cells: countCells(o.t("Tổng cộng", "Total"), report.counts)))
        var notes: [String] = []
        if rows.isEmpty { notes.append(o.t("Không có nhiệm vụ quá hạn.", "No task is overdue.")) }
        notes.append(o.t("Hạn hoàn thành: hạn ghi trong kế hoạch, hoặc 31/12 của năm cuối thời gian thực hiện.",
                         "Deadline: the plan's due date, or else 31/12 of the last year of the task's period."))
        return ReportDocument(answer: answer, options: o, title: o.t("DANH SÁCH NHIỆM VỤ QUÁ HẠN", "OVERDUE TASKS"),
                              subtitle: [o.t("Số liệu đến ngày \(o.date(report.asOf))", "As of \(o.date(report.asOf))")],
                              tables: [Table(caption: o.t("Nhiệm vụ chưa hoàn thành đã quá hạn", "Tasks not completed past their deadline"),
                                             columns: columns, rows: rows),
                                       Table(caption: o.t("Kết quả thực hiện nhiệm vụ theo cơ quan", "Task outcomes by agency"),
                                             columns: countColumns, rows: countRows)],
                              chart: nil, notes: notes, asOf: report.asOf, throughSeq: report.throughSeq)
    }
}
