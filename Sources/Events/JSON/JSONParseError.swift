/// Why a JSON text was refused, with the byte offset where the problem was found.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, in plain words.
    public let message: String
    /// Byte offset into the input.
    public let offset: Int
    public var description: String { "\(message) (at byte \(offset))" }

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
}
