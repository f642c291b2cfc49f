import Events
import Projections

/// Answers `status`, a page at a time.
///
/// The report is taken under the ledger's read lock and encoded after it, so the writer is not
/// kept waiting while a large answer is written. A report that needs more than one page is kept
/// (the last one only) with its query, pinned to its records, so its later pages are slices of
/// it, not walks of the ledger. Line rows come from `StatusRowCache` where their line did not move,
/// and the planned figures from `PlannedPassCache` while no plan, task or agency changed.
final class StatusAnswer: Sendable {
    private let context: QueryContext
    private let rowCache = StatusRowCache()
    private let plannedCache = PlannedPassCache()
    /// The last status report that needed more than one page, with the query (pinned to its
    /// records) it answers: one report, replaced by the next paged one and dropped when its last
    /// page is served.
    private let pagedReport = LockedBox<Paged?>(nil)

    private struct Paged {
        var query: StatusQuery
        var report: StatusReport
        var lineKeys: [LineRowKey?]
    }

    init(context: QueryContext) {
        self.context = context
    }

    func answer(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        let parameters = try QueryParameters(request: request.fields, allowed: ["as_of", "known_at", "agency", "plan", "year", "by", "page"], op: "status")
        let page = try request.fields.optionalObject("page").map { (object) throws(TrackerError) in try StatusPage(object: object) }
        if let page, let asOf = parameters.asOf, asOf != page.asOf {
            throw TrackerError(.invalidArgument, "this page continues a status as of \(page.asOf), not \(asOf); send the first page's as_of or none")
        }
        let (paged, position) = try context.live.read { (ledger, position) throws(TrackerError) -> (Paged, LogPosition) in
            var scope = context.scope(parameters, ledger)
            if let page {
                scope.asOf = page.asOf
                scope.throughSeq = min(scope.throughSeq, page.throughSeq)
            }
            scope.throughSeq = min(scope.throughSeq, ledger.lastSeq)
            let plan = try parameters.plan.map { (plan) throws(TrackerError) in try ledger.resolvePlan(plan, throughSeq: scope.throughSeq) }
            let query = StatusQuery(scope: scope, agency: parameters.agency, plan: plan,
                                    year: parameters.year, grouping: parameters.grouping ?? .line)
            // A later page is a slice of the report its first page was cut from, when that is
            // the last one paged: the same query, pinned to the same records, gives the same rows.
            if page != nil, let kept = pagedReport.withLockedValue({ $0 }), kept.query == query { return (kept, position) }
            let (report, lineKeys) = try ledger.statusWithLineKeys(query, planned: plannedCache.pass(query, in: ledger))
            return (Paged(query: query, report: report, lineKeys: lineKeys), position)
        }
        let report = paged.report
        let rows = rowCache.session(keys: paged.lineKeys, asOf: report.asOf)
        defer { rowCache.keep(rows) }
        // A page stops before the row that would take it past the answer bound.
        let bound = context.answerBound
        let clock = context.clockReading
        return Wire.success(id: request.id, capacity: min(bound, 1024 + 480 * (report.rows.count + report.carriedRows.count)) + 1024) { w in
            let next = report.encode(to: &w, from: page?.row ?? 0, maxBytes: bound, cached: rows.bytes)
            LogHead(position).encode(to: &w)
            clock.encode(to: &w)
            if let next {
                w.key("next")
                StatusPage(row: next, throughSeq: report.throughSeq, asOf: report.asOf).encode(to: &w)
            }
            keep(next == nil ? nil : paged, query: paged.query)
        }
    }

    /// Keeps a report whose pages are not all served, or drops the kept one of `query` once its
    /// last page is.
    private func keep(_ paged: Paged?, query: StatusQuery) {
        pagedReport.withLockedValue { kept in
            if let paged { kept = paged } else if kept?.query == query { kept = nil }
        }
    }
}
