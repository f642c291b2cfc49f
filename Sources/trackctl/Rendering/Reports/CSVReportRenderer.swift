import Events
import Projections

/// Renders a report's tables for Excel and LibreOffice: UTF-8 with a byte-order mark, CRLF line
/// ends, one header row per table (tables apart by an empty line), numbers as plain numbers.
///
/// `--lang vi` writes what Excel expects in a Vietnamese locale: `;` between fields and the
/// decimal comma; `--lang en` writes `,` and the decimal point. Subtotal and group rows are left
/// out, so a column's sum is the Tổng row: the rows are the tasks, the last row the total.
/// A text cell that a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, tab or
/// carriage return) is written with a leading `'`, so a task's name can never run anything.
struct CSVReportRenderer {
    let options: ReportOptions

    var separator: String { options.language == .vi ? ";" : "," }

    func render(_ document: ReportDocument) -> [UInt8] {
        var text = "\u{FEFF}"
        for (index, table) in document.tables.enumerated() {
            if index > 0 { text += "\r\n" }
            let columns = table.columns.indices.filter { table.columns[$0].csv }
            text += columns.map { field(table.columns[$0].title) }.joined(separator: separator) + "\r\n"
            for row in table.rows where row.kind == .body || row.kind == .total {
                text += columns.map { index in
                    let cell = row.cells[index]
                    return cell.isNumber ? cell.plain(options) : field(cell.plain(options))
                }.joined(separator: separator) + "\r\n"
            }
        }
        return Array(text.utf8)
    }

    /// A text field: defused if a spreadsheet would read it as a formula, quoted when it holds the
    /// separator, a quote, a line break, or leading or trailing spaces.
    func field(_ raw: String) -> String {
        var text = raw
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        let needsQuotes = text.contains(separator) || text.contains("\"") || text.contains("\n") || text.contains("\r")
            || text.hasPrefix(" ") || text.hasSuffix(" ") || text.contains(",") || text.contains(";")
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
