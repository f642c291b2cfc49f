/// Every kind of fact the log holds.
public enum Event: Sendable, Equatable {
    case agencyRegistered(AgencyRegistered)
    case planCreated(PlanCreated)
    case taskAdded(TaskAdded)
    case fundsAllocated(FundsAllocated)
    case disbursementRecorded(DisbursementRecorded)
    case disbursementReversed(DisbursementReversed)
    case taskStatusChanged(TaskStatusChanged)
    case fundsCarriedOver(FundsCarriedOver)
    case fundsLapsed(FundsLapsed)
    case alertRaised(AlertRaised)
    case disbursementRefunded(DisbursementRefunded)
    case fundsAmended(FundsAmended)
    case agencySucceeded(AgencySucceeded)
    case taskRevised(TaskRevised)
    case provinceSucceeded(ProvinceSucceeded)
    case yearClosed(YearClosed)
    case contractSigned(ContractSigned)
    case disbursementExpected(DisbursementExpected)
    case reportIssued(ReportIssued)

    /// The record `type`.
    public var type: String {
        switch self {
        case .agencyRegistered: AgencyRegistered.type
        case .planCreated: PlanCreated.type
        case .taskAdded: TaskAdded.type
        case .fundsAllocated: FundsAllocated.type
        case .disbursementRecorded: DisbursementRecorded.type
        case .disbursementReversed: DisbursementReversed.type
        case .taskStatusChanged: TaskStatusChanged.type
        case .fundsCarriedOver: FundsCarriedOver.type
        case .fundsLapsed: FundsLapsed.type
        case .alertRaised: AlertRaised.type
        case .fundsAmended: FundsAmended.type
        case .agencySucceeded: AgencySucceeded.type
        case .taskRevised: TaskRevised.type
        case .provinceSucceeded: ProvinceSucceeded.type
        case .yearClosed: YearClosed.type
        case .disbursementRefunded: DisbursementRefunded.type
        case .contractSigned: ContractSigned.type
        case .disbursementExpected: DisbursementExpected.type
        case .reportIssued: ReportIssued.type
        }
    }

    /// The schema version written with it.
    public var version: Int {
        switch self {
        case .agencyRegistered: AgencyRegistered.version
        case .planCreated: PlanCreated.version
        case .taskAdded: TaskAdded.version
        case .fundsAllocated: FundsAllocated.version
        case .disbursementRecorded: DisbursementRecorded.version
        case .disbursementReversed: DisbursementReversed.version
        case .taskStatusChanged: TaskStatusChanged.version
        case .fundsCarriedOver: FundsCarriedOver.version
        case .fundsLapsed: FundsLapsed.version
        case .alertRaised: AlertRaised.version
        case .fundsAmended: FundsAmended.version
        case .agencySucceeded: AgencySucceeded.version
        case .taskRevised: TaskRevised.version
        case .provinceSucceeded: ProvinceSucceeded.version
        case .yearClosed: YearClosed.version
        case .disbursementRefunded: DisbursementRefunded.version
        case .contractSigned: ContractSigned.version
        case .disbursementExpected: DisbursementExpected.version
        case .reportIssued: ReportIssued.version
        }
    }

    /// Every event type with its current schema version (for docs and `trackctl log --types`).
    public static let knownTypes: [(type: String, version: Int)] = [
        (AgencyRegistered.type, AgencyRegistered.version),
        (PlanCreated.type, PlanCreated.version),
        (TaskAdded.type, TaskAdded.version),
        (FundsAllocated.type, FundsAllocated.version),
        (DisbursementRecorded.type, DisbursementRecorded.version),
        (DisbursementReversed.type, DisbursementReversed.version),
        (TaskStatusChanged.type, TaskStatusChanged.version),
        (FundsCarriedOver.type, FundsCarriedOver.version),
        (FundsLapsed.type, FundsLapsed.version),
        (AlertRaised.type, AlertRaised.version),
        (FundsAmended.type, FundsAmended.version),
        (AgencySucceeded.type, AgencySucceeded.version),
        (TaskRevised.type, TaskRevised.version),
        (ProvinceSucceeded.type, ProvinceSucceeded.version),
        (YearClosed.type, YearClosed.version),
        (DisbursementRefunded.type, DisbursementRefunded.version),
        (ContractSigned.type, ContractSigned.version),
        (DisbursementExpected.type, DisbursementExpected.version),
        (ReportIssued.type, ReportIssued.version),
    ]

    /// Writes the body as a JSON object.
    public func encodeBody(to writer: inout JSONWriter) {
        switch self {
        case .agencyRegistered(let e): e.encode(to: &writer)
        case .planCreated(let e): e.encode(to: &writer)
        case .taskAdded(let e): e.encode(to: &writer)
        case .fundsAllocated(let e): e.encode(to: &writer)
        case .disbursementRecorded(let e): e.encode(to: &writer)
        case .disbursementReversed(let e): e.encode(to: &writer)
        case .taskStatusChanged(let e): e.encode(to: &writer)
        case .fundsCarriedOver(let e): e.encode(to: &writer)
        case .fundsLapsed(let e): e.encode(to: &writer)
        case .alertRaised(let e): e.encode(to: &writer)
        case .fundsAmended(let e): e.encode(to: &writer)
        case .agencySucceeded(let e): e.encode(to: &writer)
        case .taskRevised(let e): e.encode(to: &writer)
        case .provinceSucceeded(let e): e.encode(to: &writer)
        case .yearClosed(let e): e.encode(to: &writer)
        case .disbursementRefunded(let e): e.encode(to: &writer)
        case .contractSigned(let e): e.encode(to: &writer)
        case .disbursementExpected(let e): e.encode(to: &writer)
        case .reportIssued(let e): e.encode(to: &writer)
        }
    }

    /// Reads an event from its record type, version and body.
    ///
    /// A version newer than this build knows is refused (never guessed at); older versions are
    /// read by their body's decoder.
    public init(type: String, version: Int, body: JSONObject) throws(TrackerError) {
        var ids = IdentifierReader.validating
        try self.init(type: type, version: version, body: body, ids: &ids)
    }

    /// Reads an event, making its ids with `ids` (trusting and caching them for the log).
    public init(type: String, version: Int, body: JSONObject, ids: inout IdentifierReader) throws(TrackerError) {
        func read<B: EventBody>(_: B.Type) throws(TrackerError) -> B {
            guard version >= 1 && version <= B.version else {
                throw TrackerError(.corrupt, "\(type) version \(version) is newer than this build understands (\(B.version)); upgrade tracker")
            }
            return try B(body: body, version: version, ids: &ids)
        }
        switch type {
        case AgencyRegistered.type: self = .agencyRegistered(try read(AgencyRegistered.self))
        case PlanCreated.type: self = .planCreated(try read(PlanCreated.self))
        case TaskAdded.type: self = .taskAdded(try read(TaskAdded.self))
        case FundsAllocated.type: self = .fundsAllocated(try read(FundsAllocated.self))
        case DisbursementRecorded.type: self = .disbursementRecorded(try read(DisbursementRecorded.self))
        case DisbursementReversed.type: self = .disbursementReversed(try read(DisbursementReversed.self))
        case TaskStatusChanged.type: self = .taskStatusChanged(try read(TaskStatusChanged.self))
        case FundsCarriedOver.type: self = .fundsCarriedOver(try read(FundsCarriedOver.self))
        case FundsLapsed.type: self = .fundsLapsed(try read(FundsLapsed.self))
        case AlertRaised.type: self = .alertRaised(try read(AlertRaised.self))
        case FundsAmended.type: self = .fundsAmended(try read(FundsAmended.self))
        case AgencySucceeded.type: self = .agencySucceeded(try read(AgencySucceeded.self))
        case TaskRevised.type: self = .taskRevised(try read(TaskRevised.self))
        case ProvinceSucceeded.type: self = .provinceSucceeded(try read(ProvinceSucceeded.self))
        case YearClosed.type: self = .yearClosed(try read(YearClosed.self))
        case DisbursementRefunded.type: self = .disbursementRefunded(try read(DisbursementRefunded.self))
        case ContractSigned.type: self = .contractSigned(try read(ContractSigned.self))
        case DisbursementExpected.type: self = .disbursementExpected(try read(DisbursementExpected.self))
        case ReportIssued.type: self = .reportIssued(try read(ReportIssued.self))
        default: throw TrackerError(.corrupt, "unknown event type '\(type)'")
        }
    }
}
