import Events
import Projections

/// Renders a report as Markdown that any forge shows as a table: the letterhead and title as
/// text, each table with its header row, numbers aligned right, group and total rows in bold.
struct MarkdownReportRenderer {
    let options: ReportOptions

    func render(_ document: ReportDocument) -> String {
        var lines: [String] = []
        lines.append("| \(cell(document.letterhead.superior)) | \(cell(Letterhead.nation)) |")
        lines.append("| :---: | :---: |")
        lines.append("| \(strong(document.letterhead.office)) | \(strong(Letterhead.motto)) |")
        if let form = document.form { lines += ["", "*\(inline(form))*"] }
        lines += ["", "## \(inline(document.title))", ""]
        for line in document.subtitle { lines.append("**\(inline(line))**  ") }
        if let attached = document.attachedTo { lines.append("*\(inline(attached))*  ") }
        if let unit = document.unitLine { lines += ["", "*\(inline(unit))*"] }
        for table in document.tables {
            lines.append("")
            if let caption = table.caption { lines += ["### \(inline(caption))", ""] }
            lines.append("| " + table.columns.map { cell($0.displayTitle) }.joined(separator: " | ") + " |")
            lines.append("| " + table.columns.map { $0.kind == .number ? "---:" : "---" }.joined(separator: " | ") + " |")
            for row in table.rows {
                let strong = row.kind != .body
                lines.append("| " + row.cells.map { value in
                    let text = cell(value.display(options))
                    return strong && !text.isEmpty ? "**\(text)**" : text
                }.joined(separator: " | ") + " |")
            }
        }
        if let chart = document.chart {
            lines += ["", "### \(inline(chart.title))", "", "| | | |", "| --- | --- | ---: |"]
            let scale = max(100_000, chart.bars.map(\.rate.milliPercent).max() ?? 0)
            for bar in chart.bars {
                let blocks = Int(20 * max(0, bar.rate.milliPercent) / scale)
                lines.append("| \(cell(bar.label)) | \(String(repeating: "█", count: blocks))\(String(repeating: "░", count: 20 - blocks)) | \(bar.rate) |")
            }
            if let average = chart.average { lines.append("| **\(cell(chart.averageLabel))** | | **\(average)** |") }
        }
        lines.append("")
        for note in document.notes { lines.append("\(inline(note))  ") }
        lines += ["", "| | |", "| :---: | :---: |", "| | *\(cell(document.dateLine))* |"]
        let signatures = document.signatures
        if signatures.count == 2 {
            lines.append("| \(strong(signatures[0].title)) | \(strong(signatures[1].title)) |")
            lines.append("| \(cell(signatures[0].name ?? "")) | \(cell(signatures[1].name ?? "")) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A table cell in bold (nothing when empty: `****` would show).
    func strong(_ text: String) -> String { text.isEmpty ? "" : "**\(cell(text))**" }

    /// Text inside a table cell: HTML and Markdown punctuation escaped, pipes and line breaks made safe.
    func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r\n", with: "<br>")
            .replacingOccurrences(of: "\n", with: "<br>").replacingOccurrences(of: "\r", with: "<br>")
    }

    /// Text in running Markdown: what would start markup or HTML is escaped.
    func inline(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "~": out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }
}
