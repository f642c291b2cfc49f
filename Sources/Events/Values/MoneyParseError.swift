/// Why a text could not be read as an amount of money, with a message fit to
/// show a budget officer.
public struct MoneyParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem, for code that needs to react to it.
    public enum Reason: Sendable, Equatable {
        /// Nothing but whitespace was given.
        case empty
        /// The amount has a minus sign; amounts are never negative.
        case negative
        /// The amount is finer than one đồng ("1,5", "0,0000001 triệu").
        case fractionalDong
        /// The amount is larger than an `Int64` of đồng can hold.
        case overflow
        /// The separators could mean two different amounts: a `.` group not
        /// of exactly 3 digits, English-style "1,234.5" or "1,234,567", a
        /// leading or trailing separator, spaces inside the digits, or a
        /// sign such as "+5".
        case ambiguous
        /// The text is not an amount at all ("abc", "5 triệu triệu").
        case malformed
        /// The unit is not đồng, nghìn, triệu or tỷ ("5 đô", "5 usd").
        case unknownUnit
    }

    /// The text exactly as it was given to ``Money/parse(_:)``.
    public let input: String
    /// The kind of problem.
    public let reason: Reason
    /// Plain English naming the input in single quotes, saying what is wrong
    /// and suggesting the right form.
    public let message: String

    /// The same as ``message``.
    public var description: String { message }
}
