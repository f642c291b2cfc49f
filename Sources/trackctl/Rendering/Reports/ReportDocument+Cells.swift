import Events
import Projections

extension ReportDocument.Cell {
    /// The cell for a person (text, Markdown, HTML): money the Vietnamese way in the report's
    /// unit (`600`, `3,402`), rates with a percent sign (`1,341%`).
    func display(_ o: ReportOptions) -> String {
        switch self {
        case .text(let text): text
        case .money(let money): money.map { $0.vietnameseDigits(o.unit) } ?? ""
        case .rate(let rate): rate.map(\.description) ?? ""
        case .integer(let value): value.map(String.init) ?? ""
        case .seqs(let seqs): seqs.map(String.init).joined(separator: ", ")
        }
    }

    /// The cell for a spreadsheet: plain numbers (no grouping; whole đồng, or a fixed number of
    /// decimals in a larger unit), with the decimal mark of the report's language.
    func plain(_ o: ReportOptions) -> String {
        let mark: Character = o.language == .vi ? "," : "."
        switch self {
        case .text(let text): return text
        case .money(let money):
            guard let money else { return "" }
            let decimals = switch o.unit { case .dong: 0; case .nghin: 3; case .trieu: 3; case .ty: 6 }
            return money.plainNumber(o.unit, decimals: decimals, decimalMark: mark)
        case .rate(let rate): return rate.map { $0.plainNumber(decimalMark: mark) } ?? ""
        case .integer(let value): return value.map(String.init) ?? ""
        case .seqs(let seqs): return seqs.map(String.init).joined(separator: " ")
        }
    }

    /// Whether the cell is a number a spreadsheet should read as one.
    var isNumber: Bool {
        switch self {
        case .text, .seqs: false
        case .money(let m): m != nil
        case .rate(let r): r != nil
        case .integer(let i): i != nil
        }
    }
}

extension ReportDocument.Column {
    /// The title for a person: the "(%)" that tells a spreadsheet the unit is left to the cells.
    var displayTitle: String { title.replacingOccurrences(of: " (%)", with: "") }
}
