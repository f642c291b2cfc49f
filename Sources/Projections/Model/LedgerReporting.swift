import Events

/// What the ledger keeps for reports besides the money: each task's contracts, each line's
/// expected disbursements, the reports issued, and how many records of each type the log holds.
public struct LedgerReporting: Sendable {
    /// A fact with its place in the log.
    public struct Dated<Fact: Sendable>: Sendable {
        public var fact: Fact
        public var seq: UInt64
        public var time: Timestamp
    }

    /// Contracts by task, in log order.
    public internal(set) var contracts: [TaskID: [Dated<ContractSigned>]] = [:]
    /// Expected disbursements by line (the line's decision and task), in log order.
    public internal(set) var expectations: [Books.LineKey: [Dated<DisbursementExpected>]] = [:]
    /// Reports issued, in log order.
    public internal(set) var issued: [Dated<ReportIssued>] = []
    /// Records of each type (`Event.knownTypes` order), counted as they are applied.
    public internal(set) var typeCounts: [Int] = Array(repeating: 0, count: Event.knownTypes.count)

    public init() {}

    /// Counts one record and keeps it when it is a fact reports show.
    mutating func apply(_ event: Event, seq: UInt64, time: Timestamp) {
        if let index = Self.typeIndex[event.type] { typeCounts[index] += 1 }
        switch event {
        case .contractSigned(let e): contracts[e.task, default: []].append(Dated(fact: e, seq: seq, time: time))
        case .disbursementExpected(let e):
            expectations[Books.LineKey(decision: e.decision, task: e.task), default: []].append(Dated(fact: e, seq: seq, time: time))
        case .reportIssued(let e): issued.append(Dated(fact: e, seq: seq, time: time))
        default: break
        }
    }

    private static let typeIndex: [String: Int] = Dictionary(uniqueKeysWithValues: Event.knownTypes.enumerated().map { ($1.type, $0) })

    /// The contracts of a task known in `scope` (signed on or before its date).
    public func contracts(of task: TaskID, in scope: QueryScope) -> [Dated<ContractSigned>] {
        (contracts[task] ?? []).filter { scope.includes(date: $0.fact.date, seq: $0.seq) }
    }

    /// The latest statement, in `scope`, of what is expected on a line by the end of its budget
    /// year or the nearest date after the query's: the last stated, then the last recorded.
    public func expectation(decision: DecisionRef, task: TaskID, in scope: QueryScope) -> Dated<DisbursementExpected>? {
        let known = (expectations[Books.LineKey(decision: decision, task: task)] ?? []).filter {
            scope.includes(date: $0.fact.stated, seq: $0.seq)
        }
        return known.max { ($0.fact.stated, $0.seq) < ($1.fact.stated, $1.seq) }
    }

    /// The expectation in `scope` for a line by a date on or before `date`, latest `by` first.
    public func expectation(decision: DecisionRef, task: TaskID, by date: BusinessDate, in scope: QueryScope) -> Dated<DisbursementExpected>? {
        let known = (expectations[Books.LineKey(decision: decision, task: task)] ?? []).filter {
            scope.includes(date: $0.fact.stated, seq: $0.seq) && $0.fact.by <= date
        }
        return known.max { ($0.fact.by, $0.fact.stated, $0.seq) < ($1.fact.by, $1.fact.stated, $1.seq) }
    }
}

extension LedgerReporting {
    /// Appends these facts to a snapshot: the counts, then every fact as its event.
    func encode(to w: inout BinaryWriter) {
        w.count(typeCounts.count)
        for count in typeCounts { w.int(count) }
        var all: [(Event, UInt64, Timestamp)] = []
        for list in contracts.values { all += list.map { (.contractSigned($0.fact), $0.seq, $0.time) } }
        for list in expectations.values { all += list.map { (.disbursementExpected($0.fact), $0.seq, $0.time) } }
        all += issued.map { (.reportIssued($0.fact), $0.seq, $0.time) }
        all.sort { $0.1 < $1.1 }
        w.count(all.count)
        for (event, seq, time) in all {
            w.event(event)
            w.u64(seq)
            w.i64(time.microseconds)
        }
    }

    /// Reads what `encode` wrote.
    init(snapshot r: inout BinaryReader) throws(TrackerError) {
        self.init()
        let count = try r.count()
        guard count == typeCounts.count else { throw TrackerError(.corrupt, "the snapshot counts \(count) record types, this build knows \(typeCounts.count)") }
        for index in 0..<count { typeCounts[index] = try r.int() }
        let saved = typeCounts
        for _ in 0..<(try r.count()) {
            let event = try r.event()
            switch event {
            case .contractSigned, .disbursementExpected, .reportIssued: break
            default: throw TrackerError(.corrupt, "the snapshot has a malformed contract, expectation or report issued")
            }
            apply(event, seq: try r.u64(), time: Timestamp(microseconds: try r.i64()))
        }
        typeCounts = saved
    }
}
