import Foundation
import Glibc

/// An instant in UTC with microsecond precision: the record time of a log record.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microseconds: Int64

    /// The instant `microseconds` after the epoch.
    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// The system's real time now (`CLOCK_REALTIME`, which tools such as faketime also steer).
    public static func systemNow() -> Timestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(microseconds: Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000)
    }

    /// Midnight starting `date` in Asia/Ho_Chi_Minh.
    public init(startOf date: BusinessDate) { self.init(startOfDay: Int64(date.dayNumber)) }

    /// The last microsecond of `date` in Asia/Ho_Chi_Minh.
    public init(endOf date: BusinessDate) {
        self.init(microseconds: Timestamp(startOfDay: Int64(date.dayNumber) + 1).microseconds - 1)
    }

    /// Midnight starting the day `dayNumber` days after 1970-01-01 in Asia/Ho_Chi_Minh.
    private init(startOfDay dayNumber: Int64) {
        let guess = dayNumber * 86_400_000_000
        let offset = BusinessDate.vietnamOffset(at: Timestamp(microseconds: guess))
        self.init(microseconds: guess - Int64(offset) * 1_000_000)
    }

    /// The instants a record time can be: the reader accepts years of `BusinessDate.validYears`
    /// in UTC (from 1950-01-01T00:00:00Z up to, not including, 2200-01-01T00:00:00Z).
    public static let recordable: Range<Timestamp> =
        Timestamp(microseconds: Int64(BusinessDate.first.dayNumber) * 86_400_000_000)
            ..< Timestamp(microseconds: (Int64(BusinessDate.last.dayNumber) + 1) * 86_400_000_000)

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.microseconds < b.microseconds }

    /// ISO 8601 in UTC with six fractional digits: `2023-11-25T03:00:00.000000Z`.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the ISO 8601 form to `bytes` without allocating a String.
    public func write(to bytes: inout [UInt8]) {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let micros = Int(microseconds - seconds * 1_000_000)
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        var secondOfDay = Int(seconds - days * 86400)
        let (y, m, d) = BusinessDate.civil(fromDays: Int(days))
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var value = value
            for _ in 0..<count {
                bytes.append(UInt8(value / divisor % 10) + 0x30)
                value %= divisor
                divisor /= 10
            }
        }
        digits(y, 4); bytes.append(0x2D); digits(m, 2); bytes.append(0x2D); digits(d, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2); bytes.append(0x3A)
        secondOfDay %= 3600
        digits(secondOfDay / 60, 2); bytes.append(0x3A); digits(secondOfDay % 60, 2)
        bytes.append(0x2E); digits(micros, 6); bytes.append(UInt8(ascii: "Z"))
    }

    /// Parses the log's own form `2023-11-25T03:00:00.000000Z` quickly; nil for anything else.
    public static func parseRecordTime(_ text: UnsafeRawBufferPointer) -> Timestamp? {
        guard text.count == 27, text[4] == 0x2D, text[7] == 0x2D, text[10] == UInt8(ascii: "T"),
              text[13] == 0x3A, text[16] == 0x3A, text[19] == 0x2E, text[26] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(text[index]) - 0x30
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10),
              let h = number(11..<13), let mi = number(14..<16), let s = number(17..<19),
              let us = number(20..<26), BusinessDate(year: y, month: mo, day: d) != nil,
              h < 24, mi < 60, s < 60 else { return nil }
        let days = Int64(BusinessDate.days(fromCivil: y, mo, d))
        return Timestamp(microseconds: ((days * 86400 + Int64(h * 3600 + mi * 60 + s)) * 1_000_000) + Int64(us))
    }

    /// Parses what a person types for a point in time.
    ///
    /// `2023-11-25` or `25/11/2023` means the end of that day in Asia/Ho_Chi_Minh (the books as
    /// they stood that evening); `2023-11-25T10:00` or `2023-11-25 10:00:30` is local Vietnam time;
    /// a trailing `Z` or `+07:00` gives the zone explicitly.
    public static func parse(_ text: String) throws(TrackerError) -> Timestamp {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let invalid = TrackerError(.invalidArgument,
            "'\(text)' is not a time: write 2023-11-25 (end of that day), 2023-11-25T10:00 (Vietnam time) or 2023-11-25T03:00:00Z")
        let bytes = Array(trimmed.utf8)
        if let exact = bytes.withUnsafeBytes({ parseRecordTime($0) }) { return exact }
        let splitIndex = trimmed.firstIndex(where: { $0 == "T" || $0 == " " })
        let datePart = splitIndex.map { String(trimmed[..<$0]) } ?? trimmed
        let date = try BusinessDate.parse(datePart)
        guard let splitIndex else {
            return Timestamp(endOf: date)
        }
        var clock = String(trimmed[trimmed.index(after: splitIndex)...])
        var offsetSeconds: Int? = nil
        if clock.hasSuffix("Z") {
            clock.removeLast()
            offsetSeconds = 0
        } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = clock[clock.index(after: sign)...].split(separator: ":")
            guard zone.count == 2, let h = Int(zone[0]), let m = Int(zone[1]), h < 15, m < 60 else { throw invalid }
            offsetSeconds = (h * 3600 + m * 60) * (clock[sign] == "-" ? -1 : 1)
            clock = String(clock[..<sign])
        }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), let h = Int(fields[0]), let m = Int(fields[1]), h < 24, m < 60 else { throw invalid }
        var secondsPart = 0.0
        if fields.count == 3 {
            guard let s = Double(fields[2]), s >= 0, s < 60 else { throw invalid }
            secondsPart = s
        }
        let localMicros = (Int64(date.dayNumber) * 86400 + Int64(h * 3600 + m * 60)) * 1_000_000 + Int64((secondsPart * 1e6).rounded())
        let offset = offsetSeconds ?? BusinessDate.vietnamOffset(at: Timestamp(microseconds: localMicros))
        return Timestamp(microseconds: localMicros - Int64(offset) * 1_000_000)
    }
}
