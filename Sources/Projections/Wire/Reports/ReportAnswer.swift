import Events
import Foundation

/// The answer to `report` and `report.audit`: the report of its kind, the letterhead of the agency
/// it is for, the log's head it was read at and the daemon's clock.
///
/// Carried as one JSON object under `report` (keys in snake_case, money in whole đồng, rates in
/// thousandths of a percent, dates ISO), made and read with `Codable`.
public struct ReportAnswer: Sendable, Equatable, Codable {
    public var kind: ReportKind
    public var letterhead: Letterhead
    public var plan: PlanTableReport?
    public var disbursement: DisbursementReport?
    /// The monthly form (a disbursement report asked for with a month).
    public var monthly: MonthlyReport?
    public var ranking: RankingReport?
    public var overdue: OverdueReport?
    public var audit: AuditReport?
    /// The daemon's today and whether its clock is simulated.
    public var today: String
    public var simulated: Bool

    public init(kind: ReportKind, letterhead: Letterhead, today: BusinessDate, simulated: Bool) {
        self.kind = kind
        self.letterhead = letterhead
        self.today = today.description
        self.simulated = simulated
    }

    /// The answer as JSON bytes (keys sorted, so the same answer is the same bytes).
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every member is a plain value: encoding cannot fail.
        return Array((try? encoder.encode(self)) ?? Data("{}".utf8))
    }

    /// Reads the `report` member of a result.
    public init(in result: JSONObject) throws(TrackerError) {
        guard let value = result["report"], case .object = value else { throw TrackerError(.badRequest, "the answer has no report") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            self = try decoder.decode(ReportAnswer.self, from: Data(value.encoded()))
        } catch {
            throw TrackerError(.badRequest, "the report in the answer cannot be read: \(error)")
        }
    }
}
