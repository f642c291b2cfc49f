import Events
import Projections

/// `report` (light lane) and `report.audit` (heavy lane: it verifies the chain): a report computed
/// from the live ledger, with the letterhead of its agency.
struct ReportAnswers: Sendable {
    let context: QueryContext
    let settings: ReportSettings

    func answer(_ request: Wire.Request, audit: Bool) throws(TrackerError) -> [UInt8] {
        let parameters = try ReportRequest(request: request.fields, op: request.op)
        if audit != (parameters.kind == .audit) {
            throw TrackerError(.invalidArgument, audit ? "report.audit answers the audit report only; send other kinds with op 'report'"
                                                      : "the audit report verifies the whole chain: send it with op 'report.audit'")
        }
        // The chain is verified before the ledger is read, up to the head the ledger is read at.
        var verification: AuditVerification? = nil
        if audit {
            let head = context.live.head
            let report = LogVerifier.verify(directory: context.layout.directory, through: head, against: nil)
            if let problem = report.problem { context.log.error("report.audit: \(problem.message)") }
            verification = AuditVerification(verified: report.ok, records: report.records, bytes: UInt64(max(0, report.bytes)),
                                              problemSeq: report.problem?.seq, problem: report.problem?.message)
        }
        let clock = context.clockReading
        let bytes = try context.live.read { (ledger, position) throws(TrackerError) -> [UInt8] in
            let answer = try make(parameters, ledger: ledger, position: position, clock: clock, verification: verification)
            return Wire.success(id: request.id) { w in
                w.key("report"); w.raw(answer.encoded())
                LogHead(position).encode(to: &w)
                clock.encode(to: &w)
            }
        }
        guard bytes.count <= context.maxAnswerBytes else {
            throw TrackerError(.tooLarge, "the \(parameters.kind.rawValue) report is \(bytes.count) bytes, more than max_answer_bytes (\(context.maxAnswerBytes)); narrow it with an agency, a plan, a decision or a year")
        }
        return bytes
    }

    /// `reports.issued`: the reports recorded as sent, optionally those of one letter.
    func issued(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        try request.fields.rejectUnknownKeys(["letter", "known_at"], envelope: true, in: "reports.issued request")
        let letter = try request.fields.optionalString("letter")
        let knownAt = try request.fields.optionalString("known_at").map { (text) throws(TrackerError) in try Timestamp.parse(text) }
        let clock = context.clockReading
        return context.live.read { (ledger, position) -> [UInt8] in
            let answer = IssuedReportsAnswer(ledger, letter: letter, throughSeq: knownAt.map { ledger.lastSeq(recordedBy: $0) } ?? ledger.lastSeq)
            return Wire.success(id: request.id) { w in
                answer.encode(to: &w)
                LogHead(position).encode(to: &w)
                clock.encode(to: &w)
            }
        }
    }

    private func make(_ parameters: ReportRequest, ledger: borrowing Ledger, position: LogPosition, clock: ClockReading,
                      verification: AuditVerification?) throws(TrackerError) -> ReportAnswer {
        var parameters = parameters
        let asOf = parameters.asOf ?? clock.today
        let throughSeq: UInt64
        if let seq = parameters.throughSeq {
            guard seq <= ledger.lastSeq else {
                throw TrackerError(.invalidArgument, "through_seq \(seq) is past the log's head (seq \(ledger.lastSeq))")
            }
            throughSeq = seq
        } else {
            throughSeq = parameters.knownAt.map { ledger.lastSeq(recordedBy: $0) } ?? ledger.lastSeq
        }
        let scope = QueryScope(asOf: asOf, throughSeq: throughSeq)
        // A decision by number alone names one of those known through the report's records (a report
        // issued before a second decision of its number is made again the same), or the report is
        // refused naming each (`DocumentKey`).
        if let decision = parameters.decision {
            var known = Set<DecisionRef>()
            for candidate in ledger.decisionNumbers.candidates(decision) where (ledger.decisions[candidate]?.seq ?? .max) <= throughSeq {
                known.insert(candidate)
            }
            parameters.decision = try ledger.decisionNumbers.resolve(decision) { known.contains($0) }
        }
        // A plan the same way, by its number or its long form (`PlanNumbers`).
        if let plan = parameters.plan { parameters.plan = try ledger.resolvePlan(plan, throughSeq: throughSeq) }
        var agency = parameters.agency
        if let plan = parameters.plan, agency == nil { agency = ledger.plans[plan]?.event.agency }
        if let decision = parameters.decision, agency == nil { agency = ledger.decisions[decision]?.agency }
        let name = agency.flatMap { ledger.agencies[$0]?.event.name }
        var answer = ReportAnswer(kind: parameters.kind, letterhead: settings.letterhead(for: agency, name: name), today: clock.today,
                                  simulated: clock.simulated)
        let year = parameters.year ?? parameters.decision.flatMap { ledger.decisions[$0]?.fiscalYear } ?? asOf.year
        switch parameters.kind {
        case .plan:
            guard let plan = parameters.plan else { throw TrackerError(.invalidArgument, "a plan report needs 'plan'") }
            answer.plan = try ledger.planTable(plan, scope: scope)
        case .disbursement:
            if let month = parameters.month {
                answer.monthly = try ledger.monthlyReport(month, agency: parameters.agency, scope: scope)
            } else {
                answer.disbursement = try ledger.disbursementReport(year: year, agency: parameters.agency, decision: parameters.decision, scope: scope)
            }
        case .ranking:
            answer.ranking = try ledger.ranking(year: year, scope: scope)
        case .overdue:
            answer.overdue = try ledger.overdueReport(agency: parameters.agency, scope: scope)
        case .audit:
            let disbursement = try ledger.disbursementReport(year: year, agency: parameters.agency, decision: parameters.decision, scope: scope)
            answer.audit = AuditReport(headSeq: position.seq, headHash: position.hash.hex,
                                       verification: verification ?? AuditVerification(verified: false, records: 0, bytes: 0),
                                       counts: ledger.recordCounts, disbursement: disbursement)
        }
        // A report that turns out to cover one agency carries that agency's letterhead.
        let covered = answer.disbursement?.agencies.map(\.agency) ?? answer.audit?.disbursement.agencies.map(\.agency)
            ?? answer.overdue?.agencies.map(\.agency)
        if agency == nil, let only = covered, only.count == 1, let id = try? AgencyID(only[0]) {
            answer.letterhead = settings.letterhead(for: id, name: ledger.agencies[id]?.event.name)
        }
        return answer
    }
}
