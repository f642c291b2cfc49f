/// The successions of agencies, and who holds a plan or task on a date: shared by the books
/// (whose clerks' scope asks it) and the ledger (whose reports group by it).
public struct Lineage: Sendable {
    /// Each succeeded agency's succession, with its seq (an agency is succeeded once).
    public private(set) var successions: [AgencyID: (event: AgencySucceeded, seq: UInt64)] = [:]
    /// For each successor, the agencies it received from, in log order.
    public private(set) var predecessors: [AgencyID: [AgencyID]] = [:]

    /// Each province merged into another, with its seq (a province is succeeded once).
    public private(set) var provinces: [String: (event: ProvinceSucceeded, seq: UInt64)] = [:]

    public init() {}

    public var isEmpty: Bool { successions.isEmpty }

    public mutating func add(_ e: ProvinceSucceeded, seq: UInt64) { provinces[e.from] = (e, seq) }

    public mutating func removeProvince(_ from: String) { provinces[from] = nil }

    /// The province that `code` is part of on `date` (mergers followed: KTM → QNG).
    public func province(_ code: String, on date: BusinessDate, throughSeq: UInt64 = .max) -> String {
        var current = code
        for _ in 0..<64 {
            guard let (e, seq) = provinces[current], e.effective <= date, seq <= throughSeq else { return current }
            current = e.to
        }
        return current
    }

    /// The provinces merged into `code` by `date`.
    public func provincePredecessors(of code: String, on date: BusinessDate, throughSeq: UInt64 = .max) -> [String] {
        provinces.values.filter { $0.event.to == code && $0.event.effective <= date && $0.seq <= throughSeq }.sorted { $0.seq < $1.seq }.map(\.event.from)
    }

    public mutating func add(_ e: AgencySucceeded, seq: UInt64) {
        successions[e.from] = (e, seq)
        for successor in Set(e.to + e.parts.map(\.to)) { predecessors[successor, default: []].append(e.from) }
    }

    public mutating func remove(_ from: AgencyID) {
        guard let e = successions.removeValue(forKey: from)?.event else { return }
        for successor in Set(e.to + e.parts.map(\.to)) { predecessors[successor]?.removeAll { $0 == from } }
    }

    /// The agency holding `task`, first recorded under `agency`, on `date`, counting successions
    /// known by `throughSeq` (chains followed: BDT → SDTTG → …).
    public func holder(of task: TaskID, recordedUnder agency: AgencyID, on date: BusinessDate, throughSeq: UInt64 = .max) -> AgencyID {
        var current = agency
        for _ in 0..<64 {
            guard let (e, seq) = successions[current], e.effective <= date, seq <= throughSeq else { return current }
            current = e.successor(of: task)
        }
        return current
    }

    /// The agency holding `plan` (as a whole), first recorded under `agency`, on `date`.
    public func holder(ofPlan plan: PlanID, recordedUnder agency: AgencyID, on date: BusinessDate, throughSeq: UInt64 = .max) -> AgencyID {
        var current = agency
        for _ in 0..<64 {
            guard let (e, seq) = successions[current], e.effective <= date, seq <= throughSeq else { return current }
            current = e.successor(ofPlan: plan)
        }
        return current
    }

    /// The agencies `agency` received from by `date` (directly), oldest first.
    public func predecessors(of agency: AgencyID, on date: BusinessDate, throughSeq: UInt64 = .max) -> [AgencyID] {
        (predecessors[agency] ?? []).filter { from in
            guard let (e, seq) = successions[from] else { return false }
            return e.effective <= date && seq <= throughSeq
        }
    }

    /// The succession of `agency` in force on `date`, if it has ceased by then.
    public func succession(of agency: AgencyID, on date: BusinessDate, throughSeq: UInt64 = .max) -> AgencySucceeded? {
        guard let (e, seq) = successions[agency], e.effective <= date, seq <= throughSeq else { return nil }
        return e
    }
}

extension Lineage {
    /// Appends the successions to a snapshot, in log order.
    public func encode(to w: inout BinaryWriter) {
        let ordered = successions.values.sorted { $0.seq < $1.seq }
        w.count(ordered.count)
        for entry in ordered {
            w.event(.agencySucceeded(entry.event))
            w.u64(entry.seq)
        }
        let mergers = provinces.values.sorted { $0.seq < $1.seq }
        w.count(mergers.count)
        for entry in mergers {
            w.event(.provinceSucceeded(entry.event))
            w.u64(entry.seq)
        }
    }

    /// Reads successions written by `encode`.
    public init(snapshot r: inout BinaryReader) throws(TrackerError) {
        self.init()
        for _ in 0..<(try r.count()) {
            guard case .agencySucceeded(let e) = try r.event() else { throw TrackerError(.corrupt, "the snapshot has a malformed succession") }
            add(e, seq: try r.u64())
        }
        for _ in 0..<(try r.count()) {
            guard case .provinceSucceeded(let e) = try r.event() else { throw TrackerError(.corrupt, "the snapshot has a malformed merger of provinces") }
            add(e, seq: try r.u64())
        }
    }
}
