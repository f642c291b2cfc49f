/// Arguments parsed against a `CommandSpec`.
public struct ParsedArguments: Sendable {
    /// Positional arguments, in order.
    public var positionals: [String] = []
    /// Option values by name.
    public var values: [String: [String]] = [:]
    /// Flags given.
    public var flags: Set<String> = []

    /// The last value of an option, or nil.
    public func value(_ name: String) -> String? { values[name]?.last }
    /// Every value of a repeatable option.
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    /// Whether a flag was given.
    public func has(_ name: String) -> Bool { flags.contains(name) }
    /// The positional named `name` in the spec.
    public func positional(_ index: Int) -> String? { index < positionals.count ? positionals[index] : nil }
}
