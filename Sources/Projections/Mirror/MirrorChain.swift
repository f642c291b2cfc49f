import Events

/// A national mirror's view of one store's chain, as its records come from the stream: the last
/// seq and hash it has, and whether it stopped (a gap, a fork, a changed record, a record of an
/// event version newer than this build knows).
public struct MirroredStore: Sendable, Equatable {
    public var store: String
    public var province: String
    /// The last record applied (0: none yet).
    public var seq: UInt64
    public var hash: SHA256Digest
    /// Why the store's mirror stopped, naming store and seq; nil while it goes on.
    public var stopped: String?

    public init(store: String, province: String, seq: UInt64 = 0, hash: SHA256Digest = .zero, stopped: String? = nil) {
        self.store = store
        self.province = province
        self.seq = seq
        self.hash = hash
        self.stopped = stopped
    }
}

/// The checks and the renaming a national mirror applies to each record it receives (pure: no
/// I/O). Each store's chain is checked on its own: seq continuity (the next record is the one
/// after the last), the previous hash, the record's own hash over its bytes, an event version
/// this build knows. A record that fails stops that store only, with a message naming store
/// and seq; the other stores go on. Records already applied (a redelivery) are passed over.
///
/// Ids are namespaced by province (`QNG:BDT`, `QNG:569/QĐ-UBND`, `QNG:860/KH-BDT#1`, payment
/// references likewise), since every province has its own `BDT` and its own `…/QĐ-UBND`. One
/// store per province: a second store on a province's subject is stopped.
public struct MirrorChain: Sendable {
    public private(set) var stores: [String: MirroredStore] = [:]
    /// Ids as read from the records (before namespacing), remembered across records: every store
    /// repeats the same few plans, tasks and decisions (the log's replay reads them the same way).
    private var ids = IdentifierReader.trusting
    /// The last subject seen and its province and store tokens (a batch is mostly one subject).
    private var lastSubject: (subject: String, province: String, store: String)?
    /// Each province's namespaced ids, remembered.
    private var namespaces: [String: Namespace] = [:]

    public init(stores: [MirroredStore] = []) {
        for store in stores { self.stores[store.store] = store }
    }

    /// What became of one message.
    public enum Outcome: Sendable, Equatable {
        /// The record follows its store's chain: here it is with its ids namespaced.
        case apply(Record)
        /// Already applied (a redelivery), or its store has stopped: nothing to do.
        case passOver
        /// The store stops here; the message says why (store and seq named).
        case stop(String)
    }

    /// Checks a message of subject `subject` (`PREFIX.PROVINCE.STORE`) holding `envelope`.
    public mutating func receive(subject: String, envelope: LogEnvelope) -> Outcome {
        guard let (province, storeToken) = tokens(of: subject) else { return .passOver }
        let key = storeToken
        let known = stores[key]
        var state = known ?? MirroredStore(store: storeToken, province: province)
        if state.stopped != nil { return .passOver }
        func stop(_ why: String) -> Outcome {
            state.stopped = why
            stores[key] = state
            return .stop(why)
        }
        if known == nil, let other = stores.values.first(where: { $0.province == province && $0.store != storeToken }) {
            return stop("store \(storeToken) publishes on province \(province), which is mirrored from store \(other.store): its records are not mirrored")
        }
        guard envelope.store == storeToken else {
            return stop("store \(storeToken), seq \(envelope.seq): the message on \(subject) names store \(envelope.store)")
        }
        if envelope.seq <= state.seq { return .passOver }
        guard envelope.seq == state.seq + 1 else {
            return stop("store \(storeToken) (\(province)), seq \(envelope.seq): records \(state.seq + 1)–\(envelope.seq - 1) are missing (a gap in the stream)")
        }
        let record: Record
        do throws(TrackerError) {
            record = try envelope.record.withBytes { (raw) throws(TrackerError) -> Record in try RecordCodec.decode(raw, ids: &self.ids, checkHash: true) }
        } catch {
            return stop("store \(storeToken) (\(province)), seq \(envelope.seq): \(error.message)")
        }
        guard record.seq == envelope.seq else {
            return stop("store \(storeToken) (\(province)), seq \(envelope.seq): the envelope holds record \(record.seq)")
        }
        guard record.prev == state.hash else {
            return stop("store \(storeToken) (\(province)), seq \(envelope.seq): its prev hash is not record \(state.seq)'s hash (a fork or a changed record)")
        }
        state.seq = record.seq
        state.hash = record.hash
        stores[key] = state
        let event = Self.namespaced(record.event, in: &namespaces[province, default: Namespace(province: province)])
        return .apply(Record(seq: record.seq, time: record.time, actor: record.actor, event: event, prev: record.prev, hash: record.hash))
    }

    /// The province and store tokens of `PREFIX.PROVINCE.STORE` (the last two of three or more).
    private mutating func tokens(of subject: String) -> (province: String, store: String)? {
        if let last = lastSubject, last.subject == subject { return (last.province, last.store) }
        let utf8 = subject.utf8
        guard let lastDot = utf8.lastIndex(of: UInt8(ascii: ".")), let dot = utf8[..<lastDot].lastIndex(of: UInt8(ascii: ".")),
              dot > utf8.startIndex else { return nil }
        let province = String(Substring(utf8[utf8.index(after: dot)..<lastDot]))
        let store = String(Substring(utf8[utf8.index(after: lastDot)...]))
        guard !province.isEmpty, !store.isEmpty else { return nil }
        lastSubject = (subject, province, store)
        return (province, store)
    }

    /// Stops the store of `subject` for a message that is not a record at all.
    public mutating func refuse(subject: String, why: String) -> Outcome {
        guard let (province, key) = tokens(of: subject) else { return .passOver }
        var state = stores[key] ?? MirroredStore(store: key, province: province)
        guard state.stopped == nil else { return .passOver }
        state.stopped = "store \(key): \(why)"
        stores[key] = state
        return .stop(state.stopped!)
    }

    /// `event` with every id prefixed `PROVINCE:`.
    public static func namespaced(_ event: Event, province: String) -> Event {
        var namespace = Namespace(province: province)
        return namespaced(event, in: &namespace)
    }

    /// One province's namespace: the prefix, and the namespaced ids already made (agencies, plans,
    /// decisions recur in every record; payment references are each new, never kept).
    struct Namespace: Sendable {
        let province: String
        let prefix: String
        private var agencies: [String: AgencyID] = [:]
        private var plans: [String: PlanID] = [:]
        private var decisions: [String: DecisionRef] = [:]
        /// Bounds the memory of each cache, as `IdentifierReader` does.
        private static let cacheLimit = 100_000

        init(province: String) {
            self.province = province
            prefix = province + ":"
        }

        private static func remembered<ID>(_ text: String, in cache: inout [String: ID], _ make: () -> ID) -> ID {
            if let id = cache[text] { return id }
            let id = make()
            if cache.count < cacheLimit { cache[text] = id }
            return id
        }

        mutating func agency(_ id: AgencyID) -> AgencyID { Self.remembered(id.text, in: &agencies) { AgencyID(prefix: prefix, id) } }
        mutating func plan(_ id: PlanID) -> PlanID { Self.remembered(id.text, in: &plans) { PlanID(prefix: prefix, id) } }
        mutating func decision(_ id: DecisionRef) -> DecisionRef { Self.remembered(id.text, in: &decisions) { DecisionRef(prefix: prefix, id) } }
        mutating func task(_ id: TaskID) -> TaskID { TaskID(plan: plan(id.plan), number: id.number) }
        func ref(_ id: PaymentRef) -> PaymentRef { PaymentRef(prefix: prefix, id) }
    }

    /// `event` with every id prefixed by `namespace`'s province.
    static func namespaced(_ event: Event, in namespace: inout Namespace) -> Event {
        let province = namespace.province
        func agency(_ id: AgencyID) -> AgencyID { namespace.agency(id) }
        func plan(_ id: PlanID) -> PlanID { namespace.plan(id) }
        func task(_ id: TaskID) -> TaskID { namespace.task(id) }
        func decision(_ id: DecisionRef) -> DecisionRef { namespace.decision(id) }
        func ref(_ id: PaymentRef) -> PaymentRef { namespace.ref(id) }
        func lines(_ lines: [AllocationLine]) -> [AllocationLine] { lines.map { var line = $0; line.task = task(line.task); return line } }
        switch event {
        case .agencyRegistered(var e):
            // An agency recorded without a province belongs to its store's.
            e.id = agency(e.id); e.province = e.province ?? province; return .agencyRegistered(e)
        case .planCreated(var e): e.id = plan(e.id); e.agency = agency(e.agency); return .planCreated(e)
        case .taskAdded(var e): e.id = task(e.id); return .taskAdded(e)
        case .fundsAllocated(var e): e.decision = decision(e.decision); e.agency = agency(e.agency); e.lines = lines(e.lines); return .fundsAllocated(e)
        case .disbursementRecorded(var e): e.task = task(e.task); e.decision = decision(e.decision); e.ref = ref(e.ref); return .disbursementRecorded(e)
        case .disbursementReversed(var e): e.task = task(e.task); e.decision = decision(e.decision); e.ref = ref(e.ref); return .disbursementReversed(e)
        case .taskStatusChanged(var e): e.task = task(e.task); return .taskStatusChanged(e)
        case .fundsCarriedOver(var e):
            e.decision = decision(e.decision); e.from = decision(e.from); e.agency = agency(e.agency); e.lines = lines(e.lines)
            return .fundsCarriedOver(e)
        case .fundsLapsed(var e): e.decision = decision(e.decision); e.lines = lines(e.lines); return .fundsLapsed(e)
        case .alertRaised(var e): e.agency = agency(e.agency); e.decision = decision(e.decision); e.task = task(e.task); return .alertRaised(e)
        case .contractSigned(var e): e.task = task(e.task); return .contractSigned(e)
        case .disbursementExpected(var e): e.task = task(e.task); e.decision = decision(e.decision); return .disbursementExpected(e)
        case .reportIssued, .yearClosed, .provinceSucceeded: return event
        case .disbursementRefunded(var e): e.task = task(e.task); e.decision = decision(e.decision); e.ref = ref(e.ref); return .disbursementRefunded(e)
        case .fundsAmended(var e):
            e.decision = decision(e.decision); e.amends = decision(e.amends); e.agency = agency(e.agency)
            e.lines = e.lines.map { var line = $0; line.task = task(line.task); return line }
            return .fundsAmended(e)
        case .agencySucceeded(var e):
            e.from = agency(e.from); e.to = e.to.map(agency)
            e.parts = e.parts.map { SuccessionPart(plan: plan($0.plan), task: $0.task.map(task), to: agency($0.to)) }
            return .agencySucceeded(e)
        case .taskRevised(var e): e.task.id = task(e.task.id); return .taskRevised(e)
        }
    }
}
