/// An amount of money in whole đồng (VND).
///
/// Amounts are exact integers held in an `Int64`, never floating point, so
/// sums and differences are exact up to ±9.223.372.036.854.775.807 đ.
/// Read user input with ``parse(_:)``, which accepts Vietnamese writing
/// ("600 triệu", "1,7 tỷ", "600.000.000 đ") and plain digits, and print with
/// ``description`` or ``formatted(_:)``, which use the same Vietnamese style:
/// `.` groups thousands and `,` is the decimal mark.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in whole đồng.
    ///
    /// May be negative in a computed difference (for example a reversal);
    /// ``parse(_:)`` never returns a negative amount.
    public let dong: Int64

    /// Creates an amount of `dong` whole đồng.
    ///
    /// Any sign is allowed; validation of user text belongs to ``parse(_:)``.
    public init(dong: Int64) {
        self.dong = dong
    }

    /// No money: 0 đ.
    ///
    /// ``parse(_:)`` accepts "0"; callers that need a positive amount must
    /// reject zero themselves.
    public static let zero = Money(dong: 0)

    /// Orders amounts by their value in đồng.
    public static func < (a: Money, b: Money) -> Bool {
        a.dong < b.dong
    }
}

// MARK: - Arithmetic

extension Money {
    /// Checked addition: the sum, or nil if it does not fit in an `Int64`.
    ///
    /// Use this where amounts come from users or files and an overflow must be
    /// reported rather than crash the program.
    public func adding(_ other: Money) -> Money? {
        let (sum, overflow) = dong.addingReportingOverflow(other.dong)
        return overflow ? nil : Money(dong: sum)
    }

    /// Checked subtraction: the difference (possibly negative), or nil if it
    /// does not fit in an `Int64`.
    public func subtracting(_ other: Money) -> Money? {
        let (difference, overflow) = dong.subtractingReportingOverflow(other.dong)
        return overflow ? nil : Money(dong: difference)
    }

    /// Adds two amounts.
    ///
    /// Traps (stops the program) on overflow, like `Int64` addition; use
    /// ``adding(_:)`` when an overflow is possible and must be handled.
    public static func + (a: Money, b: Money) -> Money {
        guard let sum = a.adding(b) else {
            preconditionFailure("Money overflow: \(a) + \(b)")
        }
        return sum
    }

    /// Subtracts one amount from another; the result may be negative.
    ///
    /// Traps (stops the program) on overflow, like `Int64` subtraction; use
    /// ``subtracting(_:)`` when an overflow is possible and must be handled.
    public static func - (a: Money, b: Money) -> Money {
        guard let difference = a.subtracting(b) else {
            preconditionFailure("Money overflow: \(a) - \(b)")
        }
        return difference
    }
}
