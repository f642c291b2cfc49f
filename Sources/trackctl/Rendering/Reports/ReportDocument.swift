import Events
import Projections

/// A report laid out for an official, independent of its format: the letterhead, the title
/// block, tables of typed cells, a chart of rates, and the date and signature lines. Each
/// format (`text`, `csv`, `md`, `html`) renders the same document; cells keep their values
/// (money in đồng, rates exact) until then.
struct ReportDocument {
    /// A cell's value.
    enum Cell: Equatable {
        case text(String)
        case money(Money?)
        case rate(Rate?)
        case integer(Int?)
        /// Record seqs (the audit's trail).
        case seqs([UInt64])
    }

    /// How a column's cells line up and what they hold.
    enum ColumnKind { case text, number }

    struct Column {
        var title: String
        var kind: ColumnKind
        /// A column of names: wraps in text, never cut.
        var wraps: Bool = false
        /// The column CSV leaves out (a progress bar, a remark repeated elsewhere) — none by default.
        var csv: Bool = true
    }

    /// What a row is: a task's line, a heading of a group, a subtotal or the grand total.
    enum RowKind { case body, group, subtotal, total }

    struct Row {
        var kind: RowKind
        var cells: [Cell]
        /// A progress bar for the row (html): disbursed against allocated.
        var progress: Rate? = nil
        /// Marks the row (html): below the average, behind the straight line.
        var warn: Bool = false
    }

    struct Table {
        var caption: String?
        var columns: [Column]
        var rows: [Row]
    }

    /// A bar chart of rates with a reference line (the province's average).
    struct Chart {
        var title: String
        var bars: [(label: String, rate: Rate)]
        var average: Rate?
        var averageLabel: String
    }

    var letterhead: Letterhead
    /// The kind, for file names and the issued record.
    var kind: ReportKind
    /// "Biểu số …", where a form has one.
    var form: String?
    /// "Kèm theo Công văn số … ngày …".
    var attachedTo: String?
    var title: String
    /// Lines under the title: the plan's or the scope's name, the dates.
    var subtitle: [String]
    /// "ĐVT: triệu đồng".
    var unitLine: String?
    var tables: [Table]
    var chart: Chart?
    /// Lines after the tables (notes on the figures, the simulated clock).
    var notes: [String]
    /// "Quảng Ngãi, ngày 30 tháng 11 năm 2023".
    var dateLine: String
    /// The signature block's two titles (Người lập biểu, Thủ trưởng đơn vị) and names.
    var signatures: [(title: String, name: String?)]
    /// The labels' language.
    var language: ReportLanguage
}

/// The language of a report's labels.
enum ReportLanguage: String, CaseIterable {
    case vi, en
}
