import Events
import Projections

/// Renders a report as one self-contained HTML file: inline CSS and SVG, no script, no network.
/// A title block with the letterhead, the tables with a progress bar in each rate cell, a bar
/// chart of rates with the average as a line, and print styles for A4 landscape, so it prints
/// to PDF from any browser as the letter's attachment.
struct HTMLReportRenderer {
    let options: ReportOptions

    static let style = """
    @page { size: A4 landscape; margin: 12mm 10mm; }
    * { box-sizing: border-box; }
    body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 13px; color: #111; margin: 16px auto; max-width: 1400px; }
    .head { display: flex; justify-content: space-between; text-align: center; margin-bottom: 12px; }
    .head div { min-width: 40%; }
    .head .office, .head .motto { font-weight: bold; }
    .head .motto { text-decoration: underline; }
    .form { text-align: left; font-style: italic; }
    h1 { font-size: 18px; text-align: center; margin: 16px 0 4px; }
    .subtitle { text-align: center; font-weight: bold; margin: 2px 0; }
    .attached { text-align: center; font-style: italic; margin: 2px 0; }
    .unit { text-align: right; font-style: italic; margin: 6px 0; }
    h2 { font-size: 15px; margin: 14px 0 6px; }
    table { border-collapse: collapse; width: 100%; margin-bottom: 10px; }
    th, td { border: 1px solid #555; padding: 3px 5px; vertical-align: top; }
    th { background: #e8eef6; text-align: center; }
    td.num { text-align: right; white-space: nowrap; }
    tr.group td { font-weight: bold; background: #f4f4f4; }
    tr.subtotal td { font-weight: bold; font-style: italic; }
    tr.total td { font-weight: bold; background: #e8eef6; }
    tr.warn td:first-child { border-left: 4px solid #c0392b; }
    .bar { display: block; height: 6px; background: #dde3ea; margin-top: 2px; min-width: 60px; }
    .bar span { display: block; height: 6px; background: #2e7d32; }
    tr.warn .bar span { background: #c0392b; }
    .chart { margin: 10px 0; page-break-inside: avoid; }
    .notes p { margin: 2px 0; }
    .sign { display: flex; justify-content: space-between; text-align: center; margin-top: 18px; page-break-inside: avoid; }
    .sign div { width: 45%; }
    .sign .date { font-style: italic; }
    .sign .title { font-weight: bold; margin-top: 4px; }
    .sign .name { font-weight: bold; margin-top: 64px; }
    @media print {
      body { margin: 0; max-width: none; font-size: 10.5pt; }
      thead { display: table-header-group; }
      tr { page-break-inside: avoid; }
      th { background: #e8eef6 !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      .bar, .bar span, tr.total td, tr.group td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    }
    """

    func render(_ document: ReportDocument) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"\(document.language.rawValue)\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(e(document.title))</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n"
        h += "<div class=\"head\"><div><div>\(e(document.letterhead.superior))</div><div class=\"office\">\(e(document.letterhead.office))</div>"
        if let form = document.form { h += "<div class=\"form\">\(e(form))</div>" }
        h += "</div><div><div class=\"office\">\(e(Letterhead.nation))</div><div class=\"motto\">\(e(Letterhead.motto))</div></div></div>\n"
        h += "<h1>\(e(document.title))</h1>\n"
        for line in document.subtitle { h += "<p class=\"subtitle\">\(e(line))</p>\n" }
        if let attached = document.attachedTo { h += "<p class=\"attached\">\(e(attached))</p>\n" }
        if let unit = document.unitLine { h += "<p class=\"unit\">\(e(unit))</p>\n" }
        for table in document.tables { h += render(table) }
        if let chart = document.chart { h += "<div class=\"chart\">\n\(svg(chart))</div>\n" }
        h += "<div class=\"notes\">\n"
        for note in document.notes { h += "<p>\(e(note))</p>\n" }
        h += "</div>\n<div class=\"sign\">\n"
        for (index, signature) in document.signatures.enumerated() {
            h += "<div>"
            h += index == document.signatures.count - 1 ? "<div class=\"date\">\(e(document.dateLine))</div>" : "<div class=\"date\">&nbsp;</div>"
            h += "<div class=\"title\">\(e(signature.title))</div><div class=\"name\">\(e(signature.name ?? ""))</div></div>\n"
        }
        h += "</div>\n</body>\n</html>\n"
        return h
    }

    private func render(_ table: ReportDocument.Table) -> String {
        var h = ""
        if let caption = table.caption { h += "<h2>\(e(caption))</h2>\n" }
        h += "<table>\n<thead><tr>" + table.columns.map { "<th>\(e($0.displayTitle))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            var classes: [String] = []
            switch row.kind {
            case .body: break
            case .group: classes.append("group")
            case .subtotal: classes.append("subtotal")
            case .total: classes.append("total")
            }
            if row.warn { classes.append("warn") }
            h += classes.isEmpty ? "<tr>" : "<tr class=\"\(classes.joined(separator: " "))\">"
            if row.kind == .group {
                // A heading across the table: its number, then its text.
                let text = row.cells.dropFirst().map { $0.display(options) }.filter { !$0.isEmpty }.joined(separator: " ")
                h += "<td>\(e(row.cells.first?.display(options) ?? ""))</td><td colspan=\"\(max(1, row.cells.count - 1))\">\(e(text))</td></tr>\n"
                continue
            }
            var barShown = false
            for (index, cell) in row.cells.enumerated() {
                let numeric = table.columns[index].kind == .number
                var content = e(cell.display(options))
                if !barShown, let progress = row.progress, case .rate(let rate?) = cell, rate == progress {
                    let percent = min(100, max(0, Double(progress.milliPercent) / 1000))
                    content += "<span class=\"bar\"><span style=\"width:\(format(percent))%\"></span></span>"
                    barShown = true
                }
                h += numeric ? "<td class=\"num\">\(content)</td>" : "<td>\(content)</td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }

    /// Horizontal bars of rates (0–100%, or to the highest rate past it) with the average as a dashed line.
    func svg(_ chart: ReportDocument.Chart) -> String {
        let labelWidth = 190.0, barArea = 700.0, rowHeight = 24.0, top = 30.0
        let width = labelWidth + barArea + 90
        let height = top + rowHeight * Double(chart.bars.count) + 34
        let scale = Double(max(100_000, chart.bars.map(\.rate.milliPercent).max() ?? 0))
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(format(width))\" height=\"\(format(height))\" viewBox=\"0 0 \(format(width)) \(format(height))\" font-family=\"Times New Roman, serif\" font-size=\"12\">\n"
        s += "<title>\(e(chart.title))</title>\n"
        s += "<text x=\"0\" y=\"16\" font-weight=\"bold\" font-size=\"14\">\(e(chart.title))</text>\n"
        for tick in stride(from: 0.0, through: scale, by: scale / 4) {
            let x = labelWidth + barArea * tick / scale
            s += "<line x1=\"\(format(x))\" y1=\"\(format(top - 4))\" x2=\"\(format(x))\" y2=\"\(format(height - 30))\" stroke=\"#ccc\"/>"
            s += "<text x=\"\(format(x))\" y=\"\(format(height - 16))\" text-anchor=\"middle\" fill=\"#555\">\(e(Rate(milliPercent: Int64(tick)).description))</text>\n"
        }
        for (index, bar) in chart.bars.enumerated() {
            let y = top + rowHeight * Double(index)
            let length = barArea * Double(max(0, bar.rate.milliPercent)) / scale
            let below = chart.average.map { bar.rate < $0 } ?? false
            s += "<text x=\"\(format(labelWidth - 6))\" y=\"\(format(y + 15))\" text-anchor=\"end\">\(e(bar.label))</text>"
            s += "<rect x=\"\(format(labelWidth))\" y=\"\(format(y + 4))\" width=\"\(format(max(1, length)))\" height=\"\(format(rowHeight - 8))\" fill=\"\(below ? "#c0392b" : "#2e7d32")\"/>"
            s += "<text x=\"\(format(labelWidth + length + 5))\" y=\"\(format(y + 15))\">\(e(bar.rate.description))</text>\n"
        }
        if let average = chart.average {
            let x = labelWidth + barArea * Double(max(0, average.milliPercent)) / scale
            s += "<line x1=\"\(format(x))\" y1=\"\(format(top - 6))\" x2=\"\(format(x))\" y2=\"\(format(height - 30))\" stroke=\"#1f4e9a\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
            s += "<text x=\"\(format(min(x + 4, width - 200)))\" y=\"\(format(top - 10))\" fill=\"#1f4e9a\">\(e(chart.averageLabel)): \(e(average.description))</text>\n"
        }
        return s + "</svg>\n"
    }

    /// A number for SVG and CSS: at most two decimals, a point as the mark.
    private func format(_ value: Double) -> String {
        let hundredths = Int64((value * 100).rounded())
        let whole = hundredths / 100, fraction = abs(hundredths % 100)
        return fraction == 0 ? String(whole) : String(whole) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// Text escaped for HTML (element content and quoted attributes).
    func e(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
