import Events
import Projections

/// A plain text table whose columns line up in a terminal, Vietnamese diacritics included
/// (widths are counted in graphemes, not bytes). Cells are values from outside: each is escaped
/// (`Terminal.escape`) before it is measured, so the table is `TerminalText`.
struct Table {
    enum Alignment { case left, right }

    struct Column {
        var title: String
        var alignment: Alignment
        /// Longest value shown; longer ones are cut with "…".
        var maxWidth: Int?
        init(_ title: String, _ alignment: Alignment = .left, maxWidth: Int? = nil) {
            self.title = title
            self.alignment = alignment
            self.maxWidth = maxWidth
        }
    }

    var columns: [Column]
    var rows: [[String]] = []
    /// Rows drawn after a rule (totals).
    var footer: [[String]] = []

    init(_ columns: [Column]) { self.columns = columns }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> TerminalText {
        // Each cell is cut and measured once; the text is built in one buffer (tables run to
        // thousands of rows).
        var cells: [[(text: String, width: Int)]] = []
        cells.reserveCapacity(rows.count + footer.count + 1)
        var widths = columns.map { _ in 0 }
        for row in [columns.map(\.title)] + rows + footer {
            var measured: [(text: String, width: Int)] = []
            measured.reserveCapacity(row.count)
            for (index, cell) in row.enumerated() {
                let cut = shorten(Terminal.escape(cell), columns[index].maxWidth)
                widths[index] = max(widths[index], cut.width)
                measured.append(cut)
            }
            cells.append(measured)
        }
        let ruleWidth = widths.reduce(0, +) + 2 * (widths.count - 1)
        var text: [UInt8] = []
        text.reserveCapacity(cells.count * (ruleWidth + 16))
        func spaces(_ count: Int) {
            for _ in 0..<count { text.append(0x20) }
        }
        func append(_ row: [(text: String, width: Int)]) {
            var pending = 0
            for (index, cell) in row.enumerated() {
                if index > 0 { pending += 2 }
                let gap = widths[index] - cell.width
                if columns[index].alignment == .right { pending += gap }
                if !cell.text.isEmpty {
                    // Spaces are written only before something, so no line ends in spaces.
                    spaces(pending)
                    text.append(contentsOf: cell.text.utf8)
                    pending = 0
                }
                if columns[index].alignment == .left { pending += gap }
            }
            text.append(0x0A)
        }
        append(cells[0])
        for row in cells[1..<(1 + rows.count)] { append(row) }
        if !footer.isEmpty {
            text.append(contentsOf: String(repeating: "─", count: ruleWidth).utf8)
            text.append(0x0A)
            for row in cells[(rows.count + 1)...] { append(row) }
        }
        return TerminalText(escapedParts: String(decoding: text, as: UTF8.self))
    }

    /// The cell cut to `limit` columns (ending in "…"), with its width.
    private func shorten(_ text: String, _ limit: Int?) -> (text: String, width: Int) {
        let width = Text.displayWidth(text)
        guard let limit, width > limit else { return (text, width) }
        var result = ""
        var used = 0
        for character in text {
            let next = Text.displayWidth(String(character))
            if used + next >= limit { break }
            result.append(character)
            used += next
        }
        return (result + "…", used + 1)
    }
}

extension Money {
    /// Money for tables: Vietnamese grouping with the đồng sign, "—" for nothing.
    static func cell(_ money: Money?) -> String { money.map(\.description) ?? "—" }
}

extension Optional where Wrapped == Rate {
    /// A rate for tables, "—" when there is no denominator.
    var cell: String { self.map(\.description) ?? "—" }
}
