/// What a caller may do. Each role includes the ones before it.
///
/// Which role each operation needs is in `WireOperation`'s table; the daemon maps a caller's
/// uid and gid to a role from its configuration (`[roles]`, docs/configuration.md).
public enum Role: Int, Comparable, Sendable, CaseIterable {
    /// Queries only.
    case viewer
    /// Disbursements, reversals, task status changes.
    case clerk
    /// Plans, tasks, agencies, allocations, carry-over, lapse, imports, backups, the simulated clock.
    case admin

    /// The role's name in the configuration and in messages.
    public var name: String {
        switch self {
        case .viewer: "viewer"
        case .clerk: "clerk"
        case .admin: "admin"
        }
    }

    /// The role named `name` (any case), or nil.
    public init?(name: String) {
        guard let role = Role.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = role
    }

    public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
}
