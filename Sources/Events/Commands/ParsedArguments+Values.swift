/// The values commands read from their command-line arguments, with the errors the command line
/// gives (`--name is empty`, `--line 'x' must be written like …`).
extension ParsedArguments {
    /// Free text of an option, NFC-normalised; empty text reads as absent.
    func text(_ name: String) -> String? {
        guard let text = value(name) else { return nil }
        let normalized = Text.normalized(text)
        return normalized.isEmpty ? nil : normalized
    }

    /// Free text of an option that must not be empty.
    func requiredText(_ name: String) throws(TrackerError) -> String {
        guard let text = text(name) else { throw TrackerError(.invalidArgument, "--\(name) is empty") }
        return text
    }

    /// The value of an option the spec requires (`ArgumentParser` has checked it is there).
    func required(_ name: String) -> String { value(name) ?? "" }

    /// An option's value read by `read`, or nil when it is not given.
    func optional<T>(_ name: String, _ read: (String) throws(TrackerError) -> T) throws(TrackerError) -> T? {
        guard let text = value(name) else { return nil }
        return try read(text)
    }

    /// Every `--line TASK=AMOUNT` of the command, in order.
    func allocationLines(example: String) throws(TrackerError) -> [AllocationLine] {
        var lines: [AllocationLine] = []
        for entry in all("line") {
            let (task, amount) = try Self.pair(entry, option: "line", example: example)
            lines.append(AllocationLine(task: try TaskID(task), amount: try Self.money(amount)))
        }
        return lines
    }

    /// The `--yearly YEAR=AMOUNT` amounts, in year order; a year given twice is refused.
    func yearlyAmounts(example: String) throws(TrackerError) -> [YearAmount] {
        var yearly: [YearAmount] = []
        for entry in all("yearly") {
            let (year, amount) = try Self.pair(entry, option: "yearly", example: example)
            let parsedYear = try parseFiscalYear(year)
            if yearly.contains(where: { $0.year == parsedYear }) { throw TrackerError(.invalidArgument, "--yearly gives \(parsedYear) twice") }
            yearly.append(YearAmount(year: parsedYear, amount: try Self.money(amount)))
        }
        return yearly.sorted { $0.year < $1.year }
    }

    /// A Vietnamese amount (`78tr`, `1,7 tỷ`, `600.000.000 đ`); `invalid_argument` when it is not one.
    static func money(_ text: String) throws(TrackerError) -> Money {
        do { return try Money.parse(text) } catch { throw TrackerError(.invalidArgument, error.message) }
    }

    /// `KEY=VALUE`, split at the last `=`.
    static func pair(_ entry: String, option: String, example: String) throws(TrackerError) -> (String, String) {
        guard let equals = entry.lastIndex(of: "="), equals != entry.startIndex, entry.index(after: equals) != entry.endIndex else {
            throw TrackerError(.invalidArgument, "--\(option) '\(entry)' must be written like \(example)")
        }
        return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
    }
}
