import Events
import Projections

/// The encoded bytes of line rows of earlier `status` answers, so a row whose line did not move
/// since is copied instead of written afresh.
///
/// A line row counted with every record known is fixed by its `LineRowKey` (the line, the number
/// of its movements and the ledger's `plansSeq`) and the query date: any movement changes the
/// count, and a revision or a succession the `plansSeq`, and the row is made afresh. Up to 200,000 lines (about 400 bytes each) are kept; past that the cache starts over.
final class StatusRowCache: Sendable {
    fileprivate struct Entry {
        var movements: Int
        var plansSeq: UInt64
        var asOf: BusinessDate
        var bytes: [UInt8]
    }

    private let rows = LockedBox<[Int: Entry]>([:])
    private static let limit = 200_000

    /// The rows of one answer: cached bytes where they still hold, the others encoded and
    /// remembered for `keep`. Used on one thread.
    final class Session {
        fileprivate let known: [Int: Entry]
        fileprivate var fresh: [Int: Entry] = [:]
        private let keys: [LineRowKey?]
        private let asOf: BusinessDate

        fileprivate init(known: [Int: Entry], keys: [LineRowKey?], asOf: BusinessDate) {
            self.known = known
            self.keys = keys
            self.asOf = asOf
        }

        /// The bytes of the row at `position` of the report (see `StatusReport.encode(to:from:maxBytes:cached:)`),
        /// or nil for a row that has no key (it is written as usual).
        func bytes(_ position: Int, _ row: StatusRow) -> [UInt8]? {
            guard position < keys.count, let key = keys[position] else { return nil }
            if let cached = known[key.line], cached.movements == key.movements, cached.plansSeq == key.plansSeq, cached.asOf == asOf {
                return cached.bytes
            }
            let bytes = row.encoded
            fresh[key.line] = Entry(movements: key.movements, plansSeq: key.plansSeq, asOf: asOf, bytes: bytes)
            return bytes
        }
    }

    /// A session for the rows of a report as of `asOf`, keyed by `keys`.
    func session(keys: [LineRowKey?], asOf: BusinessDate) -> Session {
        Session(known: rows.withLockedValue { $0 }, keys: keys, asOf: asOf)
    }

    /// Keeps the rows a session encoded afresh.
    func keep(_ session: Session) {
        guard !session.fresh.isEmpty else { return }
        rows.withLockedValue { rows in
            if rows.count > Self.limit { rows.removeAll() }
            rows.merge(session.fresh) { _, new in new }
        }
    }
}
