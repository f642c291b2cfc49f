import Foundation

/// A span of budget years, e.g. 2023–2025.
public struct YearSpan: Sendable, Hashable, CustomStringConvertible {
    /// First year.
    public let first: Int
    /// Last year (equal to `first` for a one-year task).
    public let last: Int

    /// The span from `first` to `last`; refuses years outside the valid range or reversed.
    public init(first: Int, last: Int) throws(TrackerError) {
        let valid = BusinessDate.validYears
        guard valid.contains(first), valid.contains(last) else {
            throw TrackerError(.invalidArgument, "years must be within \(valid.lowerBound)–\(valid.upperBound), got \(first)–\(last)")
        }
        guard first <= last else { throw TrackerError(.invalidArgument, "period \(first)–\(last) ends before it starts") }
        self.first = first
        self.last = last
    }

    /// Parses `2023`, `2023-2025` or `2023–2025`.
    public static func parse(_ text: String) throws(TrackerError) -> YearSpan {
        // The form records and the CLI write, `2023` or `2023-2025`, read without splitting.
        var copy = text
        if let (first, last) = copy.withUTF8({ utf8 -> (Int, Int)? in
            func year(_ at: Int) -> Int? {
                var value = 0
                for index in at..<(at + 4) {
                    guard utf8[index] >= 0x30 && utf8[index] <= 0x39 else { return nil }
                    value = value * 10 + Int(utf8[index] - 0x30)
                }
                return value
            }
            if utf8.count == 4, let only = year(0) { return (only, only) }
            if utf8.count == 9, utf8[4] == UInt8(ascii: "-"), let first = year(0), let last = year(5) { return (first, last) }
            return nil
        }) {
            return try YearSpan(first: first, last: last)
        }
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "–" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
              let first = Int(parts[0]), let last = Int(parts[parts.count - 1]) else {
            throw TrackerError(.invalidArgument, "'\(text)' is not a period: write 2023 or 2023-2025")
        }
        return try YearSpan(first: first, last: last)
    }

    /// Whether `year` falls within the span.
    public func contains(_ year: Int) -> Bool { (first...last).contains(year) }

    public var description: String { first == last ? "\(first)" : "\(first)–\(last)" }
}

/// Parses a fiscal (budget) year such as `2023`.
public func parseFiscalYear(_ text: String) throws(TrackerError) -> Int {
    guard let year = Int(text.trimmingCharacters(in: .whitespaces)), BusinessDate.validYears.contains(year) else {
        throw TrackerError(.invalidArgument,
            "'\(text)' is not a budget year within \(BusinessDate.validYears.lowerBound)–\(BusinessDate.validYears.upperBound)")
    }
    return year
}
