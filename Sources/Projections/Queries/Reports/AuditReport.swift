import Events

/// How many records of one type the log holds.
public struct RecordCount: Sendable, Equatable, Codable {
    public var type: String
    public var count: Int
}

/// What the chain's verification found.
public struct AuditVerification: Sendable, Equatable, Codable {
    public var verified: Bool
    public var records: UInt64
    public var bytes: UInt64
    /// The first problem, naming its seq, when not verified.
    public var problemSeq: UInt64?
    public var problem: String?

    public init(verified: Bool, records: UInt64, bytes: UInt64, problemSeq: UInt64? = nil, problem: String? = nil) {
        self.verified = verified
        self.records = records
        self.bytes = bytes
        self.problemSeq = problemSeq
        self.problem = problem
    }
}

/// For an auditor: the log's head, the verification of its chain, how many records of each type
/// it holds, and the disbursement report with the records behind each figure.
public struct AuditReport: Sendable, Equatable, Codable {
    public var headSeq: UInt64
    public var headHash: String
    public var verification: AuditVerification
    public var counts: [RecordCount]
    public var disbursement: DisbursementReport

    public init(headSeq: UInt64, headHash: String, verification: AuditVerification, counts: [RecordCount], disbursement: DisbursementReport) {
        self.headSeq = headSeq
        self.headHash = headHash
        self.verification = verification
        self.counts = counts
        self.disbursement = disbursement
    }
}

extension Ledger {
    /// The record counts by type of the whole log (every type, in the order types are known).
    public var recordCounts: [RecordCount] {
        zip(Event.knownTypes, reporting.typeCounts).map { RecordCount(type: $0.type, count: $1) }
    }
}
