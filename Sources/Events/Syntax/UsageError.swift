/// A usage error: the command line (or a line of an import file) is not well formed.
/// Programs exit with status 2 on it.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in plain words.
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
