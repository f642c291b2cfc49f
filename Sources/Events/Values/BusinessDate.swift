import Foundation

/// A calendar day in Asia/Ho_Chi_Minh: the day money moved or a decision was signed.
///
/// Stored as days since 1970-01-01. Business dates are separate from record time (when a fact
/// reached the log). Valid years are `BusinessDate.validYears`, the years the log's reader
/// accepts; no value of this type lies outside them. Every way of making one — from text, from
/// year, month and day, from a day number, by adding days, from an instant — returns nil (or
/// throws) where the result would leave them, so nothing can write a date the reader refuses.
public struct BusinessDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let dayNumber: Int32

    /// Years accepted anywhere a date or fiscal year is entered, and read back from the log.
    public static let validYears: ClosedRange<Int> = 1950...2199

    /// The first day of `validYears`, 01/01/1950.
    public static let first = BusinessDate(unchecked: Int32(days(fromCivil: validYears.lowerBound, 1, 1)))
    /// The last day of `validYears`, 31/12/2199.
    public static let last = BusinessDate(unchecked: Int32(days(fromCivil: validYears.upperBound, 12, 31)))

    /// The date with the given day number; nil outside `validYears`.
    public init?(dayNumber: Int32) {
        guard dayNumber >= Self.first.dayNumber && dayNumber <= Self.last.dayNumber else { return nil }
        self.dayNumber = dayNumber
    }

    private init(unchecked dayNumber: Int32) { self.dayNumber = dayNumber }

    /// The date `days` after 1970-01-01 for any whole number; nil outside `validYears`.
    static func checked(_ days: Int) -> BusinessDate? {
        guard days >= Int(first.dayNumber) && days <= Int(last.dayNumber) else { return nil }
        return BusinessDate(unchecked: Int32(days))
    }

    /// A date from year, month and day; nil if it is not a real day in `validYears`.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.validYears.contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        dayNumber = Int32(Self.days(fromCivil: year, month, day))
    }

    /// Parses `2023-11-30` or the Vietnamese `30/11/2023`.
    public static func parse(_ text: String) throws(TrackerError) -> BusinessDate {
        // The wire's and the log's own form, without Foundation.
        if text.utf8.count == 10, let date = parseISO(text) { return date }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts: [Substring]
        let order: (Int, Int, Int)
        if trimmed.contains("-") {
            parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
            order = (0, 1, 2)
        } else if trimmed.contains("/") {
            parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
            order = (2, 1, 0)
        } else {
            throw TrackerError(.invalidArgument, "'\(text)' is not a date: write 2023-11-30 or 30/11/2023")
        }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[order.0]), let month = Int(parts[order.1]), let day = Int(parts[order.2]) else {
            throw TrackerError(.invalidArgument, "'\(text)' is not a date: write 2023-11-30 or 30/11/2023")
        }
        // The year where the other form puts it (2025/10/01, 01-10-2025): a habit, not a typo.
        if parts[order.0].count <= 2, let yearAt = [0, 2].first(where: { parts[$0].count == 4 }), yearAt != order.0 {
            let (y, m, d) = (Int(parts[yearAt])!, Int(parts[1])!, Int(parts[2 - yearAt])!)
            let meant = BusinessDate(year: y, month: m, day: d)
            throw TrackerError(.invalidArgument, "'\(text)' is not a date in a form tracker reads: write the year first with dashes "
                + "(\(meant?.description ?? "2023-11-30")) or the day first with slashes (\(meant?.vietnamese ?? "30/11/2023"))")
        }
        guard validYears.contains(year) else {
            throw TrackerError(.invalidArgument, "'\(text)': year \(year) is outside \(validYears.lowerBound)–\(validYears.upperBound) (dates are written 2023-11-30 or 30/11/2023)")
        }
        guard let date = BusinessDate(year: year, month: month, day: day) else {
            throw TrackerError(.invalidArgument, "'\(text)' is not a real day")
        }
        return date
    }

    /// `YYYY-MM-DD` read byte by byte; nil for anything else (the caller then explains).
    static func parseISO(_ text: String) -> BusinessDate? {
        var text = text
        return text.withUTF8 { parseISO(UnsafeRawBufferPointer($0)) }
    }

    /// `YYYY-MM-DD` from exactly ten bytes; nil for anything else.
    static func parseISO(_ bytes: UnsafeRawBufferPointer) -> BusinessDate? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10) else { return nil }
        return BusinessDate(year: year, month: month, day: day)
    }

    /// The (year, month, day) of this date.
    public var components: (year: Int, month: Int, day: Int) { Self.civil(fromDays: Int(dayNumber)) }
    /// The year.
    public var year: Int { components.year }

    /// Appends the ISO form to `bytes` without making a String.
    public func write(to bytes: inout [UInt8]) {
        let (y, m, d) = components
        bytes.append(UInt8(y / 1000 % 10) + 0x30)
        bytes.append(UInt8(y / 100 % 10) + 0x30)
        bytes.append(UInt8(y / 10 % 10) + 0x30)
        bytes.append(UInt8(y % 10) + 0x30)
        bytes.append(UInt8(ascii: "-"))
        bytes.append(UInt8(m / 10) + 0x30)
        bytes.append(UInt8(m % 10) + 0x30)
        bytes.append(UInt8(ascii: "-"))
        bytes.append(UInt8(d / 10) + 0x30)
        bytes.append(UInt8(d % 10) + 0x30)
    }

    /// ISO form, `2023-11-30`; used in the log and JSON.
    public var description: String {
        let (y, m, d) = components
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }

    /// Vietnamese form, `30/11/2023`; used in human output.
    public var vietnamese: String {
        let (y, m, d) = components
        return "\(d < 10 ? "0" : "")\(d)/\(m < 10 ? "0" : "")\(m)/\(y)"
    }

    /// This date moved by `days` (negative goes back); nil when that leaves `validYears`.
    public func adding(days: Int) -> BusinessDate? {
        let (moved, overflow) = Int(dayNumber).addingReportingOverflow(days)
        return overflow ? nil : Self.checked(moved)
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: BusinessDate) -> Int { Int(other.dayNumber - dayNumber) }

    /// 31 December of `year`; nil outside `validYears`.
    public static func endOfYear(_ year: Int) -> BusinessDate? { BusinessDate(year: year, month: 12, day: 31) }
    /// 1 January of `year`; nil outside `validYears`.
    public static func startOfYear(_ year: Int) -> BusinessDate? { BusinessDate(year: year, month: 1, day: 1) }
    /// The last day of `month` in `year`; nil outside `validYears` or for a month that is not 1–12.
    public static func endOfMonth(_ year: Int, _ month: Int) -> BusinessDate? {
        guard (1...12).contains(month) else { return nil }
        return BusinessDate(year: year, month: month, day: daysIn(month: month, year: year))
    }

    public static func < (a: BusinessDate, b: BusinessDate) -> Bool { a.dayNumber < b.dayNumber }

    /// Whether `year` is a leap year in the Gregorian calendar.
    public static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// Days in `month` of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's civil-date algorithms (public domain), exact for the proleptic Gregorian calendar.
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension BusinessDate {
    /// The offset of Asia/Ho_Chi_Minh from UTC in seconds at `timestamp`.
    ///
    /// Read from the system's time-zone database; Vietnam has kept UTC+7 since 1975, which is the
    /// fallback when the database is missing.
    public static func vietnamOffset(at timestamp: Timestamp) -> Int {
        guard let zone = vietnamZone else { return 7 * 3600 }
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(timestamp.microseconds) / 1e6))
    }

    private static let vietnamZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")

    /// The business date in Asia/Ho_Chi_Minh at the instant `timestamp`; nil when that day is
    /// outside `validYears` (a clock before 1950 or after 2199 there).
    public init?(vietnamAt timestamp: Timestamp) {
        guard let date = Self.checked(Self.vietnamDayNumber(at: timestamp)) else { return nil }
        self = date
    }

    /// The day number of the business day at `timestamp`, for any instant.
    static func vietnamDayNumber(at timestamp: Timestamp) -> Int {
        let local = timestamp.microseconds / 1_000_000 + Int64(Self.vietnamOffset(at: timestamp))
        return Int(local >= 0 ? local / 86400 : (local - 86399) / 86400)
    }

    /// The business day at `timestamp` as a person writes it (`01/01/2200`), for any instant, even
    /// one whose day is outside `validYears` (for messages that say so).
    public static func vietnameseText(at timestamp: Timestamp) -> String {
        let (y, m, d) = civil(fromDays: vietnamDayNumber(at: timestamp))
        return "\(d < 10 ? "0" : "")\(d)/\(m < 10 ? "0" : "")\(m)/\(y)"
    }
}
