import Events

/// What a query sees: facts true on the business date `asOf`, among records with seq up to
/// `throughSeq` ("known at" a time: what the books said then).
public struct QueryScope: Sendable, Equatable {
    /// The business date the answer is true on.
    public var asOf: BusinessDate
    /// The last record taken into account.
    public var throughSeq: UInt64

    public init(asOf: BusinessDate, throughSeq: UInt64 = .max) {
        self.asOf = asOf
        self.throughSeq = throughSeq
    }

    /// Whether a fact dated `date` and recorded at `seq` is in scope.
    @inline(__always)
    public func includes(date: BusinessDate, seq: UInt64) -> Bool { date <= asOf && seq <= throughSeq }
}
