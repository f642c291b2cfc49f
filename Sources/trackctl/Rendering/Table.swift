import Events
import Projections

/// A plain text table whose columns line up in a terminal, Vietnamese diacritics included
/// (widths are counted in graphemes, not bytes).
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

    func render() -> String {
        let all = [columns.map(\.title)] + rows + footer
        var widths = columns.map { _ in 0 }
        let cut = all.map { row in row.enumerated().map { index, cell in shorten(cell, columns[index].maxWidth) } }
        for row in cut { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Text.displayWidth(cell)) } }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for (index, cell) in row.enumerated() {
                let last = index == row.count - 1
                switch columns[index].alignment {
                case .left: parts.append(last ? cell : cell.padding(toDisplayWidth: widths[index]))
                case .right: parts.append(cell.leftPadding(toDisplayWidth: widths[index]))
                }
            }
            var text = parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var text = line(cut[0]) + "\n"
        for row in cut[1..<(1 + rows.count)] { text += line(row) + "\n" }
        if !footer.isEmpty {
            text += String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
            for row in cut[(rows.count + 1)...] { text += line(row) + "\n" }
        }
        return text
    }

    private func shorten(_ text: String, _ limit: Int?) -> String {
        guard let limit, Text.displayWidth(text) > limit else { return text }
        var result = ""
        for character in text {
            if Text.displayWidth(result + String(character)) >= limit { break }
            result.append(character)
        }
        return result + "…"
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
