/// A plan's Bảng tổng hợp as an official fills it in Excel and saves it as CSV, read into the
/// plan's tasks (`trackctl import --plan-table FILE --plan PLAN`).
///
/// - The header row is found by its names, matched without diacritics and case, in any order:
///   TT, Tên nhiệm vụ, Nội dung thực hiện, Thời gian, Kinh phí (năm YYYY, or Tổng mức), Nguồn vốn,
///   and optionally Đơn vị chủ trì and Mục tiêu (or the English titles `report plan --lang en` writes). A header split over two rows (merged cells such as
///   "Kinh phí và nguồn vốn" over "Kinh phí năm 2023 | Nguồn vốn") is read as one; the row of
///   column numbers (1 2 3 …) that documents put under it is skipped.
/// - Amounts are in the unit the file's "ĐVT: …" line names, else the one given, else triệu. With
///   `;` between fields they are written the Vietnamese way (1.700 and 3,402); with `,` plainly
///   (1700 and 3.402).
/// - Rows whose TT is a number are tasks, in the file's order; rows whose TT is I, II, a, b… are
///   group headings; a row with no TT and no name continues the task above (its text is added);
///   a blank Thời gian or Nguồn vốn takes the task above's (cells merged down the column).
/// - The Tổng / Tổng cộng row is checked against the sum of the tasks; a mismatch is an error.
/// - Nguồn vốn in words ("NS tỉnh", "Ngân sách tỉnh", "Chi thường xuyên NS tỉnh", "CT MTQG"…) maps
///   to the source codes; an unknown one is named.
///
/// Every error names the row (the file's line) and the column. Nothing is recorded unless the
/// whole file reads.
public struct PlanTableFile: Sendable {
    /// A task read from the file, and the row it came from.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var number: Int
        public var name: String
        public var objective: String?
        public var content: String?
        public var period: YearSpan
        public var amount: Money
        public var source: FundingSource
        public var unit: String?
        /// Group headings above the task (I, II, a…), outermost first.
        public var groups: [String]
    }

    /// The columns the reader knows.
    enum Column: String, CaseIterable {
        case number = "TT", name = "Tên nhiệm vụ", content = "Nội dung thực hiện", period = "Thời gian thực hiện", amount = "Kinh phí",
             source = "Nguồn vốn", unit = "Đơn vị chủ trì", objective = "Mục tiêu"

        /// Whether a folded header cell names this column.
        func matches(_ folded: String) -> Bool {
            switch self {
            case .number: ["tt", "stt", "so tt", "so thu tu"].contains(folded)
            case .name: folded.hasPrefix("ten nhiem vu") || folded == "nhiem vu" || folded.hasPrefix("ten du an") || folded == "noi dung nhiem vu" || folded == "task"
            case .content: folded.hasPrefix("noi dung") || folded == "content"
            case .period: folded.hasPrefix("thoi gian") || folded.hasPrefix("giai doan") || folded == "period"
            case .amount: (folded.hasPrefix("kinh phi") && !folded.contains("nguon von")) || folded.hasPrefix("tong muc") || folded.hasPrefix("du toan") || folded.hasPrefix("budget") || folded == "estimated total"
            case .source: folded.hasPrefix("nguon von") || folded == "nguon kinh phi" || folded == "source"
            case .unit: folded.hasPrefix("don vi chu tri") || folded.hasPrefix("don vi thuc hien") || folded.hasPrefix("co quan chu tri") || folded == "lead unit"
            case .objective: folded.hasPrefix("muc tieu") || folded == "objective"
            }
        }
    }

    /// The tasks, in the file's order.
    public var rows: [Row]
    /// The year whose amounts the Kinh phí column gives ("Kinh phí năm 2023"); nil for totals.
    public var year: Int?
    /// The unit amounts were read in.
    public var unit: MoneyUnit
    /// The file's own Tổng, if it has one (checked: it equals the sum of the rows).
    public var total: Money?
    /// How the bytes were read.
    public var encoding: VietnameseTextDecoding.Encoding
    /// The field separator.
    public var separator: Character

    /// The sum of the rows.
    public var sum: Money { rows.reduce(Money.zero) { $0 + $1.amount } }

    /// Reads `bytes` (the file `name`); `unit` is the unit to assume when the file has no ĐVT line.
    public init(bytes: [UInt8], name: String, unit given: MoneyUnit?) throws(TrackerError) {
        guard bytes.count <= 4 << 20 else { throw TrackerError(.invalidArgument, "\(name) is larger than 4 MiB; a plan's table is far smaller") }
        let (text, encoding) = try VietnameseTextDecoding.decode(bytes, name: name)
        self.encoding = encoding
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        func fail(_ line: Int, _ column: String?, _ message: String) -> TrackerError {
            TrackerError(.invalidArgument, "\(name): row \(line)\(column.map { ", column '\($0)'" } ?? ""): \(message); nothing was imported")
        }

        // The separator: what splits the header row into the most known columns.
        var best: (separator: Character, line: Int, columns: [Column: Int], cells: [String])? = nil
        for candidate in [";", ",", "\t"] as [Character] {
            for (index, line) in lines.enumerated().prefix(40) {
                let cells = Self.split(line, separator: candidate).map { Text.foldKey($0).trimmingCharacters(in: .whitespaces) }
                var found: [Column: Int] = [:]
                for (position, cell) in cells.enumerated() {
                    for column in Column.allCases where found[column] == nil && column.matches(cell) { found[column] = position; break }
                }
                if found[.name] != nil, found.count > (best?.columns.count ?? 1) { best = (candidate, index, found, cells) }
            }
        }
        guard var header = best else {
            throw TrackerError(.invalidArgument, "\(name): no header row with Tên nhiệm vụ and the other columns (TT, Nội dung thực hiện, Thời gian, Kinh phí, Nguồn vốn) was found in its first 40 rows; nothing was imported")
        }
        separator = header.separator
        // A header over two rows: the next row names the columns the first left blank or merged.
        var firstData = header.line + 1
        if firstData < lines.count {
            let next = Self.split(lines[firstData], separator: separator).map { Text.foldKey($0).trimmingCharacters(in: .whitespaces) }
            var added = false
            for (position, cell) in next.enumerated() where !cell.isEmpty {
                for column in Column.allCases where header.columns[column] == nil && column.matches(cell) {
                    header.columns[column] = position
                    if position < header.cells.count { header.cells[position] = cell } else { header.cells.append(cell) }
                    added = true
                    break
                }
            }
            if added { firstData += 1 }
        }
        for required in [Column.name, .period, .amount] where header.columns[required] == nil {
            throw fail(header.line + 1, nil, "the header has no '\(required.rawValue)' column (found: \(header.columns.keys.map(\.rawValue).sorted().joined(separator: ", ")))")
        }
        let amountHeader = header.cells[header.columns[.amount]!]
        year = Self.year(in: amountHeader)

        // ĐVT: in the rows before the header, or in the amount column's own title ("Kinh phí (triệu đồng)").
        var fileUnit: MoneyUnit? = nil
        for line in lines.prefix(header.line + 1) {
            let folded = Text.foldKey(line)
            if let range = folded.range(of: "dvt") ?? folded.range(of: "don vi tinh") {
                fileUnit = Self.unit(in: String(folded[range.upperBound...]))
                if fileUnit == nil { throw fail(lines.firstIndex(of: line)! + 1, nil, "the ĐVT line names no unit this reader knows (đồng, nghìn đồng, triệu đồng, tỷ đồng)") }
            }
        }
        if fileUnit == nil { fileUnit = Self.unit(in: amountHeader) }
        if let fileUnit, let given, fileUnit != given {
            throw TrackerError(.invalidArgument, "\(name) says its amounts are in \(fileUnit.symbol) (ĐVT), but --unit gives \(given.symbol); nothing was imported")
        }
        unit = fileUnit ?? given ?? .trieu

        var rows: [Row] = []
        var groups: [String] = []
        var total: Money? = nil
        var previous: (period: YearSpan, source: FundingSource)? = nil
        func cell(_ cells: [String], _ column: Column) -> String {
            guard let position = header.columns[column], position < cells.count else { return "" }
            return Text.normalized(cells[position])
        }
        for index in firstData..<lines.count {
            let line = index + 1
            let cells = Self.split(lines[index], separator: separator)
            if cells.allSatisfy({ Text.normalized($0).isEmpty }) { continue }
            // The row of column numbers under the header: 1, 2, 3, …
            let trimmed = cells.map { Text.normalized($0) }.filter { !$0.isEmpty }
            if trimmed.enumerated().allSatisfy({ Int($0.element) == $0.offset + 1 }) && trimmed.count >= 3 { continue }
            let number = cell(cells, .number), taskName = cell(cells, .name), amountText = cell(cells, .amount)
            let foldedNumber = Text.foldKey(number), foldedName = Text.foldKey(taskName)
            if foldedNumber.hasPrefix("tong") || (number.isEmpty && (foldedName == "tong" || foldedName.hasPrefix("tong cong") || foldedName == "total")) {
                guard !amountText.isEmpty else { continue }
                total = try Self.amount(amountText, unit: unit, separator: separator) { message throws(TrackerError) in
                    throw fail(line, Column.amount.rawValue, message)
                }
                continue
            }
            if let taskNumber = Int(number), taskNumber > 0 {
                guard !taskName.isEmpty else { throw fail(line, Column.name.rawValue, "task \(taskNumber) has no name") }
                let periodText = cell(cells, .period)
                var period = previous?.period
                if !periodText.isEmpty {
                    do throws(TrackerError) { period = try Self.period(periodText) } catch { throw fail(line, Column.period.rawValue, error.message) }
                }
                guard let period else { throw fail(line, Column.period.rawValue, "the task has no period (write 2023 or 2023-2025)") }
                guard !amountText.isEmpty else { throw fail(line, Column.amount.rawValue, "the task has no amount") }
                let amount = try Self.amount(amountText, unit: unit, separator: separator) { message throws(TrackerError) in
                    throw fail(line, Column.amount.rawValue, message)
                }
                guard amount.dong > 0 else { throw fail(line, Column.amount.rawValue, "the amount must be more than 0") }
                let sourceText = cell(cells, .source)
                var source = previous?.source ?? .unspecified
                if !sourceText.isEmpty {
                    guard let mapped = Self.source(sourceText) else {
                        throw fail(line, Column.source.rawValue, "'\(sourceText)' is not a funding source this reader knows; write one of NS tỉnh, Chi thường xuyên NS tỉnh, Vốn đầu tư công, CT MTQG, Vốn đầu tư CT MTQG, NS trung ương, Kinh phí tự chủ, or a code (\(FundingSource.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    source = mapped
                }
                if let year, !period.contains(year) {
                    throw fail(line, Column.period.rawValue, "the amount is for \(year), outside the task's period \(period)")
                }
                previous = (period, source)
                let content = cell(cells, .content), objective = cell(cells, .objective), unitName = cell(cells, .unit)
                rows.append(Row(line: line, number: taskNumber, name: taskName, objective: objective.isEmpty ? nil : objective,
                                content: content.isEmpty ? nil : content, period: period, amount: amount, source: source,
                                unit: unitName.isEmpty ? nil : unitName, groups: groups))
                continue
            }
            if !number.isEmpty && Self.isGroupMark(number) {
                // A group heading: I, II, a, b…; a deeper letter under a Roman numeral.
                let heading = "\(number). \(taskName)".trimmingCharacters(in: .whitespaces)
                if number.first!.isUppercase { groups = [heading] } else { groups = Array(groups.prefix(1)) + [heading] }
                if !amountText.isEmpty { continue }  // a group's own subtotal: the tasks are counted, not it
                continue
            }
            if number.isEmpty && taskName.isEmpty, !rows.isEmpty {
                // The rest of the task above, split over rows: its text is added.
                let content = cell(cells, .content), objective = cell(cells, .objective), unitName = cell(cells, .unit)
                if !content.isEmpty { rows[rows.count - 1].content = [rows[rows.count - 1].content, content].compactMap { $0 }.joined(separator: " ") }
                if !objective.isEmpty { rows[rows.count - 1].objective = [rows[rows.count - 1].objective, objective].compactMap { $0 }.joined(separator: " ") }
                if !unitName.isEmpty { rows[rows.count - 1].unit = [rows[rows.count - 1].unit, unitName].compactMap { $0 }.joined(separator: " ") }
                if !amountText.isEmpty { throw fail(line, Column.amount.rawValue, "an amount on a row with no TT and no name: give the task's TT and name") }
                continue
            }
            if number.isEmpty && !taskName.isEmpty && amountText.isEmpty { continue }  // an untitled heading
            throw fail(line, Column.number.rawValue, number.isEmpty ? "a task with no TT: number the tasks 1, 2, 3… in the TT column"
                                                                    : "'\(number)' is neither a task's number (1, 2, 3…) nor a group's (I, II, a, b…)")
        }
        guard !rows.isEmpty else { throw TrackerError(.invalidArgument, "\(name) has a header but no task rows; nothing was imported") }
        var seen: Set<Int> = []
        for row in rows where !seen.insert(row.number).inserted {
            throw fail(row.line, Column.number.rawValue, "task \(row.number) appears twice")
        }
        self.rows = rows
        self.total = total
        if let total, total != sum {
            throw TrackerError(.invalidArgument, "\(name): the file's Tổng is \(total.formatted(unit)), but its tasks add up to \(sum.formatted(unit)) (a difference of \((total.dong > sum.dong ? total - sum : sum - total).formatted(unit))); correct the table and import it again; nothing was imported")
        }
    }

    /// The commands that add the tasks to `plan`, numbered from 1 in the file's order (a task
    /// already recorded the same is recorded nothing twice; another is a conflict).
    public func commands(plan: PlanID) -> [AddTask] {
        rows.enumerated().map { index, row in
            var objective = row.objective ?? row.content
            var notes: [String] = []
            if row.objective != nil, let content = row.content { notes.append("Nội dung thực hiện: \(content)") }
            if !row.groups.isEmpty { notes.append("Nhóm: \(row.groups.joined(separator: " › "))") }
            if objective?.isEmpty == true { objective = nil }
            let task = TaskAdded(id: TaskID(plan: plan, number: index + 1), name: row.name, objective: objective, period: row.period,
                                 total: year == nil ? row.amount : nil, yearly: year.map { [YearAmount(year: $0, amount: row.amount)] } ?? [],
                                 source: row.source, unit: row.unit, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
            return AddTask(task)
        }
    }

    // MARK: Cells

    /// Splits a CSV line at `separator`, outside double quotes ("" is a quote).
    static func split(_ line: String, separator: Character) -> [String] {
        var cells: [String] = [], field = "", quoted = false
        var characters = Array(line)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { field.append("\""); characters = characters.dropFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && field.isEmpty { quoted = true }
            else if c == separator { cells.append(field); field = "" }
            else { field.append(c) }
        }
        cells.append(field)
        return cells
    }

    /// Whether a TT cell marks a group: a Roman numeral or a single letter (I, II, IV, a, b).
    static func isGroupMark(_ text: String) -> Bool {
        let mark = text.trimmingCharacters(in: .init(charactersIn: ".)"))
        if mark.count == 1, let c = mark.first, c.isLetter, c.isASCII { return true }
        return !mark.isEmpty && mark.allSatisfy { "IVXLC".contains($0) }
    }

    /// The year in an amount's title ("Kinh phí năm 2023"), if any.
    static func year(in folded: String) -> Int? {
        let digits = folded.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.filter { BusinessDate.validYears.contains($0) }
        return digits.count == 1 ? digits[0] : nil
    }

    /// The unit named in folded text ("trieu dong", "ty dong", "nghin dong", "dong").
    static func unit(in folded: String) -> MoneyUnit? {
        let words = Set(folded.split(whereSeparator: { !$0.isLetter }).map(String.init))
        if words.contains("trieu") || words.contains("tr") { return .trieu }
        if words.contains("ty") { return .ty }
        if words.contains("nghin") || words.contains("ngan") { return .nghin }
        if words.contains("dong") || words.contains("vnd") || words.contains("d") { return .dong }
        return nil
    }

    /// A period: "2023", "2022-2025", "2022 – 2025", "Năm 2023", "2022 đến 2025".
    static func period(_ text: String) throws(TrackerError) -> YearSpan {
        let years = text.split(whereSeparator: { !$0.isNumber }).map(String.init)
        guard (1...2).contains(years.count) else { throw TrackerError(.invalidArgument, "'\(text)' is not a period: write 2023 or 2023-2025") }
        return try YearSpan.parse(years.joined(separator: "-"))
    }

    /// An amount in `unit`: the Vietnamese way with `;` files (1.700; 3,402), plainly with `,` files (1700; 3.402).
    static func amount(_ raw: String, unit: MoneyUnit, separator: Character, fail: (String) throws(TrackerError) -> Never) throws(TrackerError) -> Money {
        var text = raw.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }) else {
            try fail("'\(raw)' is not an amount (write digits, in \(unit.symbol))")
        }
        if separator != ";" {
            // Plain numbers: the point is the decimal mark, commas group thousands.
            text = text.replacingOccurrences(of: ",", with: "")
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { try fail("'\(raw)' is not an amount") }
            text = parts.count == 2 ? "\(parts[0]),\(parts[1])" : String(parts[0])
        }
        do { return try Money.parse(text + " " + unit.symbol) } catch { try fail("'\(raw)': \(error.message)") }
    }

    /// The source code of a Nguồn vốn written in words, or a code itself.
    public static func source(_ text: String) -> FundingSource? {
        let folded = Text.foldKey(text).replacingOccurrences(of: ".", with: " ").split(separator: " ").joined(separator: " ")
        if let code = FundingSource(rawValue: folded.replacingOccurrences(of: " ", with: "-")) { return code }
        let national = folded.contains("mtqg") || folded.contains("muc tieu quoc gia")
        let investment = folded.contains("dau tu")
        if national { return investment ? .nationalProgrammeInvestment : .nationalProgramme }
        if folded.contains("thuong xuyen") { return .provincialRecurrent }
        if investment { return .investment }
        if folded.contains("trung uong") || folded.hasPrefix("ns tw") || folded.hasPrefix("nstw") { return .central }
        if folded.contains("tu chu") { return .selfFunded }
        if folded.contains("chua xac dinh") { return .unspecified }
        let provincial = ["ns tinh", "nstinh", "ngan sach tinh", "ngan sach nha nuoc tinh", "nsnn tinh", "ngan sach dia phuong", "ns dia phuong"]
        if provincial.contains(where: { folded.hasPrefix($0) || folded == $0 }) { return .provincial }
        return nil
    }
}
