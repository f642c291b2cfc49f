import Events
import Projections

extension ReportDocument {
    /// Roman numerals for agency groups (I, II, …), as the documents number their parts.
    static func roman(_ number: Int) -> String {
        let values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                      (5, "V"), (4, "IV"), (1, "I")]
        var rest = number
        var text = ""
        for (value, letters) in values { while rest >= value { text += letters; rest -= value } }
        return text
    }

    /// The columns of the disbursement table.
    static func disbursementColumns(_ o: ReportOptions, year: Int) -> [Column] {
        [Column(title: "TT", kind: .text),
         Column(title: o.t("Nhiệm vụ", "Task"), kind: .text, wraps: true),
         Column(title: o.t("Kinh phí được giao", "Allocated"), kind: .number),
         Column(title: o.t("Lũy kế giải ngân", "Disbursed to date"), kind: .number),
         Column(title: o.t("Còn lại", "Remaining"), kind: .number),
         Column(title: o.t("Tỷ lệ giải ngân (%)", "Rate (%)"), kind: .number),
         Column(title: o.t("Tỷ lệ so KH năm (%)", "Rate of plan (%)"), kind: .number),
         Column(title: o.t("Tình hình thực hiện", "Status"), kind: .text, wraps: true),
         Column(title: o.t("Nhà thầu, hợp đồng", "Contractor, contract"), kind: .text, wraps: true),
         Column(title: o.t("Dự kiến giải ngân đến 31/12/\(year)", "Expected by 31/12/\(year)"), kind: .number),
         Column(title: o.t("Tiến độ đều (%)", "Straight line (%)"), kind: .number),
         Column(title: o.t("Số ngày còn lại", "Days left"), kind: .number),
         Column(title: o.t("Ghi chú", "Remarks"), kind: .text, wraps: true)]
    }

    /// One line of the table.
    static func disbursementRow(_ line: DisbursementLine, number: Int, options o: ReportOptions) -> Row {
        var status = o.status(line.status)
        if line.status != TaskStatus.planned.rawValue { status += o.t(" (từ \(o.date(line.statusDate)))", " (since \(o.date(line.statusDate)))") }
        var contract: [String] = []
        if let c = line.contract {
            if let contractor = c.contractor { contract.append(contractor) }
            var step = c.procurement.map(o.procurement) ?? o.t("hợp đồng", "contract")
            step += " " + o.date(c.date)
            contract.append(step)
            if let number = c.number { contract.append(o.t("HĐ số \(number)", "contract no. \(number)")) }
            if let value = c.value { contract.append(o.t("giá trị ", "value ") + value.formatted(o.unit)) }
        }
        var remarks: [String] = []
        if line.behind { remarks.append(o.t("Chậm so với tiến độ đều", "Behind the straight line")) }
        if line.lapsing {
            remarks.append(o.t("Hết năm ngân sách: \(line.remaining.formatted(o.unit)) sẽ bị hủy nếu không chuyển nguồn",
                               "Budget year over: \(line.remaining.formatted(o.unit)) lapses unless carried over"))
        }
        if line.shortOfAllocation { remarks.append(o.t("Dự kiến không giải ngân hết", "Not expected to be disbursed in full")) }
        if line.carriedOut.dong > 0 { remarks.append(o.t("Đã chuyển nguồn \(line.carriedOut.formatted(o.unit))", "Carried over \(line.carriedOut.formatted(o.unit))")) }
        if line.lapsed.dong > 0 { remarks.append(o.t("Đã hủy dự toán \(line.lapsed.formatted(o.unit))", "Lapsed \(line.lapsed.formatted(o.unit))")) }
        let expected: Cell = .money(line.expectation?.amount)
        return Row(kind: .body,
                   cells: [.integer(number), .text(line.name), .money(line.allocated), .money(line.disbursed), .money(line.remaining),
                           .rate(line.rate), .rate(line.ratePlanned), .text(status), .text(contract.joined(separator: "; ")), expected,
                           .rate(Rate(milliPercent: line.straightLineMilli)), .integer(line.daysLeft), .text(remarks.joined(separator: "; "))],
                   progress: line.rate, warn: line.behind || line.lapsing)
    }

    /// A subtotal or total row.
    static func disbursementTotal(_ label: String, _ totals: ReportTotals, kind: RowKind) -> Row {
        Row(kind: kind, cells: [.text(""), .text(label), .money(totals.allocated), .money(totals.disbursed), .money(totals.remaining),
                                .rate(totals.rate), .rate(totals.ratePlanned), .text(""), .text(""), .money(totals.expected), .text(""),
                                .text(""), .text("")],
            progress: totals.rate)
    }

    /// The report on funds assigned and disbursed (seed 003, section I.9), per agency and decision.
    static func disbursement(_ report: DisbursementReport, answer: ReportAnswer, options o: ReportOptions) -> ReportDocument {
        let columns = disbursementColumns(o, year: report.year)
        var rows: [Row] = []
        var bars: [(label: String, rate: Rate)] = []
        let blank = Array(repeating: Cell.text(""), count: columns.count - 2)
        for (agencyIndex, agency) in report.agencies.enumerated() {
            if report.agencies.count > 1 || report.agency == nil {
                rows.append(Row(kind: .group, cells: [.text(roman(agencyIndex + 1)), .text(agency.name)] + blank))
            }
            for decision in agency.decisions {
                let signed = o.date(decision.signed)
                // Decisions by their full key, as officials read it: 569/QĐ-UBND (QNG, 2023).
                let number = DecisionKind.display(decision.decision)
                var heading = decision.carriedFrom.map(DecisionKind.display).map {
                    o.t("Kinh phí chuyển nguồn theo \(number) ngày \(signed) (từ \($0))",
                        "Carried over by \(number) of \(signed) (from \($0))")
                } ?? o.t("Kinh phí được giao tại Quyết định số \(number) ngày \(signed)",
                         "Allocated by decision \(number) of \(signed)")
                if decision.allocatedAfterSeptember { heading += o.t(" (giao sau 30/9)", " (allocated after 30/09)") }
                rows.append(Row(kind: .group, cells: [.text(""), .text(heading)] + blank))
                for (index, line) in decision.lines.enumerated() {
                    rows.append(disbursementRow(line, number: index + 1, options: o))
                    bars.append((line.task, line.rate ?? Rate(milliPercent: 0)))
                }
                if agency.decisions.count > 1 || report.agencies.count > 1 {
                    rows.append(disbursementTotal(o.t("Cộng \(number)", "Subtotal \(number)"), decision.subtotal, kind: .subtotal))
                }
            }
            if report.agencies.count > 1 {
                rows.append(disbursementTotal(o.t("Cộng \(agency.name)", "Subtotal \(agency.name)"), agency.subtotal, kind: .subtotal))
            }
        }
        rows.append(disbursementTotal(o.t("Tổng cộng", "Total"), report.total, kind: .total))
        var subtitle = [o.t("Năm ngân sách \(report.year), số liệu đến ngày \(o.date(report.asOf))",
                            "Budget year \(report.year), figures as of \(o.date(report.asOf))")]
        if let agency = report.agencies.first, report.agency != nil { subtitle.insert(agency.name, at: 0) }
        if let decision = report.decision.map(DecisionKind.display) { subtitle.append(o.t("Quyết định \(decision)", "Decision \(decision)")) }
        let chart = bars.isEmpty ? nil : Chart(title: o.t("Tỷ lệ giải ngân theo nhiệm vụ", "Disbursement rate by task"), bars: bars,
                                               average: report.total.rate, averageLabel: o.t("Tỷ lệ chung", "Overall rate"))
        var notes: [String] = []
        if report.agencies.isEmpty { notes.append(o.t("Không có kinh phí được giao trong phạm vi này.", "Nothing allocated in this scope.")) }
        notes.append(o.t("Tiến độ đều: tỷ lệ giải ngân đạt được nếu giải ngân đều từ ngày giao đến 31/12.",
                         "Straight line: the rate reached by disbursing evenly from the allocation date to 31/12."))
        return ReportDocument(answer: answer, options: o,
                              title: o.t("BÁO CÁO TÌNH HÌNH THỰC HIỆN VÀ GIẢI NGÂN KINH PHÍ ĐƯỢC GIAO", "FUNDS ASSIGNED: IMPLEMENTATION AND DISBURSEMENT"),
                              subtitle: subtitle, tables: [Table(caption: nil, columns: columns, rows: rows)], chart: chart, notes: notes,
                              asOf: report.asOf, throughSeq: report.throughSeq)
    }
}
