/// The agencies a caller may act for, when its role is limited to some (`clerk of BDT, SVHTTDL`
/// in the configuration's `[roles]`). A caller without a scope acts for every agency.
///
/// A scoped caller's command on a plan, task, decision or payment another agency holds is refused
/// (`forbidden`, naming that agency); its queries see its agencies' figures only; the raw records
/// (`log`, `verify`, `backup`), which carry every agency's data, need a caller without a scope.
public struct AgencyScope: Sendable, Equatable, CustomStringConvertible {
    /// The agencies, in the order the configuration names them.
    public let agencies: [AgencyID]

    /// A scope of `agencies` (ids match as agency ids do: ignoring case and diacritics).
    public init(_ agencies: [AgencyID]) {
        var seen = Set<AgencyID>()
        self.agencies = agencies.filter { seen.insert($0).inserted }
    }

    /// Whether the scope holds `agency`.
    public func contains(_ agency: AgencyID) -> Bool { agencies.contains(agency) }

    /// The union of two scopes (a caller in two groups of the same role).
    public func union(_ other: AgencyScope) -> AgencyScope { AgencyScope(agencies + other.agencies) }

    /// `BDT, SVHTTDL`.
    public var description: String { agencies.map(\.description).joined(separator: ", ") }
}
