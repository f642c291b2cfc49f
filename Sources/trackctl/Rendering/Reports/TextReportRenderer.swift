import Events
import Projections

/// Renders a report for the terminal (or a plain text file): the letterhead in two columns, the
/// title centred, tables whose long names wrap onto further lines within `width`, never cut.
/// Every value from outside goes through `Terminal.escape`.
struct TextReportRenderer {
    let options: ReportOptions

    func render(_ document: ReportDocument) -> String {
        let width = max(40, options.width)
        var out: [String] = []
        let left = [document.letterhead.superior, document.letterhead.office] + (document.form.map { [$0] } ?? [])
        let right = [Letterhead.nation, Letterhead.motto]
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? clean(left[index]) : ""
            let r = index < right.count ? right[index] : ""
            let gap = max(2, width - Text.displayWidth(l) - Text.displayWidth(r))
            out.append(l + String(repeating: " ", count: gap) + r)
        }
        out.append("")
        for line in [document.title] + document.subtitle + (document.attachedTo.map { [$0] } ?? []) {
            for piece in wrap(clean(line), width) { out.append(center(piece, width)) }
        }
        if let unit = document.unitLine { out.append(String(repeating: " ", count: max(0, width - Text.displayWidth(unit))) + unit) }
        for table in document.tables {
            out.append("")
            if let caption = table.caption { out += wrap(clean(caption), width) }
            out += render(table, width: width)
        }
        if let chart = document.chart {
            out.append("")
            out += renderChart(chart, width: width)
        }
        out.append("")
        for note in document.notes { out += wrap(clean(note), width) }
        out.append("")
        let half = width / 2
        out.append(String(repeating: " ", count: half) + center(clean(document.dateLine), width - half).trimmingTrailing())
        let titles = document.signatures.map { clean($0.title) }
        let names = document.signatures.map { $0.name.map(clean) ?? "" }
        out.append(twoColumns(titles, half: half))
        out += ["", "", ""]
        if names.contains(where: { !$0.isEmpty }) { out.append(twoColumns(names, half: half)) }
        return out.map { $0.trimmingTrailing() }.joined(separator: "\n") + "\n"
    }

    private func clean(_ text: String) -> String { Terminal.escape(text) }

    private func center(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, (width - Text.displayWidth(text)) / 2)) + text
    }

    private func twoColumns(_ parts: [String], half: Int) -> String {
        guard parts.count == 2 else { return parts.joined(separator: "    ") }
        return center(parts[0], half).padding(toDisplayWidth: half) + center(parts[1], half)
    }

    /// Lays the table out: natural widths when they fit, else the wrapping columns share what is
    /// left (each at least its longest word); every cell wraps within its column.
    func render(_ table: ReportDocument.Table, width: Int) -> [String] {
        let columns = table.columns
        let cells = table.rows.map { row in row.cells.map { clean($0.display(options)) } }
        let titles = columns.map { clean($0.displayTitle) }
        func longestWord(_ text: String) -> Int { text.split(separator: " ").map { Text.displayWidth(String($0)) }.max() ?? 0 }
        // Group rows span the table: their cells do not set the columns' widths.
        let measured = table.rows.indices.filter { table.rows[$0].kind != .group }.map { cells[$0] }
        // Number columns widen for their titles (up to 11) when the table fits; else titles wrap word by word.
        let tight = columns.indices.map { index in max(longestWord(titles[index]), measured.map { Text.displayWidth($0[index]) }.max() ?? 0) }
        var natural = columns.indices.map { index in
            max(tight[index], columns[index].kind == .number ? min(Text.displayWidth(titles[index]), 11) : 0)
        }
        if natural.reduce(0, +) + 2 * (columns.count - 1) > width { natural = tight }
        let minimum = columns.indices.map { index in
            columns[index].wraps ? min(natural[index], max(10, min(18, longestWord(cells.map { $0[index] }.joined(separator: " "))))) : natural[index]
        }
        let gaps = 2 * (columns.count - 1)
        let total = natural.reduce(0, +) + gaps
        if total > width {
            let fixed = columns.indices.filter { !columns[$0].wraps }.map { natural[$0] }.reduce(0, +)
            let wrapping = columns.indices.filter { columns[$0].wraps }
            let room = max(wrapping.map { minimum[$0] }.reduce(0, +), width - gaps - fixed)
            let wanted = wrapping.map { natural[$0] }.reduce(0, +)
            var given = 0
            for (position, index) in wrapping.enumerated() {
                let share = position == wrapping.count - 1 ? room - given : room * natural[index] / max(1, wanted)
                natural[index] = max(minimum[index], share)
                given += natural[index]
            }
        }
        let widths = natural
        var lines: [String] = []
        func emit(_ row: [String], numeric: [Bool]) {
            let wrapped = row.indices.map { wrap(row[$0], widths[$0]) }
            let height = wrapped.map(\.count).max() ?? 1
            for lineIndex in 0..<height {
                var parts: [String] = []
                for index in row.indices {
                    let piece = lineIndex < wrapped[index].count ? wrapped[index][lineIndex] : ""
                    let pad = String(repeating: " ", count: max(0, widths[index] - Text.displayWidth(piece)))
                    parts.append(numeric[index] ? pad + piece : piece + pad)
                }
                lines.append(parts.joined(separator: "  "))
            }
        }
        let rule = String(repeating: "─", count: widths.reduce(0, +) + gaps)
        emit(titles, numeric: columns.map { $0.kind == .number })
        lines.append(rule)
        let tableWidth = widths.reduce(0, +) + gaps
        for (index, row) in table.rows.enumerated() {
            if row.kind == .total { lines.append(rule) }
            if row.kind == .group {
                // A heading across the whole table: its number, then its text.
                let first = cells[index][0]
                let lead = first.padding(toDisplayWidth: max(widths[0], Text.displayWidth(first))) + "  "
                let text = cells[index].dropFirst().filter { !$0.isEmpty }.joined(separator: " ")
                for (position, piece) in wrap(text, max(10, tableWidth - Text.displayWidth(lead))).enumerated() {
                    lines.append((position == 0 ? lead : String(repeating: " ", count: Text.displayWidth(lead))) + piece)
                }
                continue
            }
            emit(cells[index], numeric: columns.map { $0.kind == .number })
        }
        return lines
    }

    /// A chart of rates as rows of blocks, with the average marked `│`.
    private func renderChart(_ chart: ReportDocument.Chart, width: Int) -> [String] {
        var lines = [clean(chart.title)]
        let labelWidth = min(24, chart.bars.map { Text.displayWidth(clean($0.label)) }.max() ?? 0)
        let scale = max(100_000, chart.bars.map(\.rate.milliPercent).max() ?? 0)
        let barWidth = max(10, width - labelWidth - 12)
        let mark = chart.average.map { Int(Int64(barWidth) * max(0, $0.milliPercent) / scale) }
        for bar in chart.bars {
            let label = wrap(clean(bar.label), labelWidth).first ?? ""
            let length = Int(Int64(barWidth) * max(0, bar.rate.milliPercent) / scale)
            var cells = Array(repeating: " ", count: barWidth)
            for index in 0..<min(length, barWidth) { cells[index] = "█" }
            if let mark, mark < barWidth { cells[mark] = "│" }
            lines.append(label.padding(toDisplayWidth: labelWidth) + "  " + cells.joined() + "  " + bar.rate.description)
        }
        if let average = chart.average { lines.append("│ = " + clean(chart.averageLabel) + " " + average.description) }
        return lines
    }
}

/// Breaks `text` into lines of at most `width` columns at spaces (a word longer than the width is
/// split); never drops a character.
func wrap(_ text: String, _ width: Int) -> [String] {
    guard width > 0, Text.displayWidth(text) > width else { return [text] }
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
        var word = word
        while Text.displayWidth(word) > width {
            if !current.isEmpty { lines.append(current); current = "" }
            var head = ""
            var rest = word[...]
            while let next = rest.first, Text.displayWidth(head + String(next)) <= width {
                head.append(next)
                rest = rest.dropFirst()
            }
            if head.isEmpty, let next = rest.first { head.append(next); rest = rest.dropFirst() }
            lines.append(head)
            word = String(rest)
        }
        if word.isEmpty { continue }
        if current.isEmpty {
            current = word
        } else if Text.displayWidth(current) + 1 + Text.displayWidth(word) <= width {
            current += " " + word
        } else {
            lines.append(current)
            current = word
        }
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
}

extension String {
    /// The text without spaces at its end.
    func trimmingTrailing() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
