import Events
import Projections

/// `trackctl status`: progress of disbursement against allocations and plans.
enum StatusCommand {
    static let spec = CommandSpec(["status"], summary: "Show progress: planned, allocated, disbursed (giải ngân), remaining and rates.",
        options: [.value("agency", "AGENCY", "Only this agency."),
                  .value("plan", "PLAN", "Only this plan."),
                  .value("year", "YEAR", "Only this budget year."),
                  .value("by", "GROUP", "One row per: " + StatusGrouping.allCases.map(\.rawValue).joined(separator: ", ") + " (default: line)."),
                  .value("unit", "UNIT", "Print money in đ (default), nghin, trieu or ty — always exact.")]
                 + scopeOptions + [jsonOption] + connectionOptions,
        discussion: """
        The rate of allocation is disbursed / allocated (the allocation in force on the as-of date, after any amendment signed by \
        then); the rate of plan is disbursed / planned (shown where plans give amounts).
        With --year, planned amounts are the plans' amounts for that year; a multi-year amount the plan does not split by year \
        is counted whole and marked "not split by year", and the rate against the plan leaves it out. Views by year show such \
        amounts in a row of their own. Every --by gives the same planned, allocated and disbursed totals for the same scope.
        --json prints the figures (money in whole đồng) and the log's head: seq and hash, to keep outside the store.
        """)

    static func run(_ args: ParsedArguments) throws(Failure) {
        var parameters = try queryParameters(args)
        if let by = args.value("by") {
            guard let grouping = StatusGrouping(rawValue: by) else {
                throw Failure.usage("status: --by must be one of \(StatusGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            parameters.grouping = grouping
        }
        let unit = try moneyUnit(args)
        let client = try connect(args)
        // A large report comes in pages (each with the totals of the whole scope); they are put
        // back together here, so the output is one report whatever the daemon's answer bound.
        if args.has("json") {
            var result = try request(client, .status) { w in parameters.encode(to: &w) }
            var rows: [JSONValue] = [], carriedRows: [JSONValue] = []
            var pageResult = result
            while true {
                guard case .array(let part)? = pageResult["rows"], case .array(let carriedPart)? = pageResult["carried_rows"] else {
                    throw Failure.failed("the daemon's status answer has no rows")
                }
                rows += part
                carriedRows += carriedPart
                guard let page = try nextPage(pageResult["next"], after: rows.count + carriedRows.count) else { break }
                pageResult = try request(client, .status) { w in
                    parameters.encode(to: &w)
                    w.key("page"); w.value(page)
                }
            }
            result["rows"] = .array(rows)
            result["carried_rows"] = .array(carriedRows)
            result["next"] = nil
            printJSON(result)
            return
        }
        // Read straight from the answer's bytes: a status by line can run to thousands of rows.
        var report: StatusReport? = nil
        var others = JSONObject()
        var page: JSONValue? = nil
        repeat {
            let (part, members): (StatusReport, JSONObject)
            do throws(TrackerError) {
                (part, members) = try client.call(.status, { w in
                    parameters.encode(to: &w)
                    if let page { w.key("page"); w.value(page) }
                }) { (r) throws(JSONParseError) in
                    var others = JSONObject()
                    let report = try StatusReport(reading: &r, others: &others)
                    return (report, others)
                }
            } catch {
                throw Failure(error)
            }
            if report == nil {
                report = part
                others = members
            } else {
                report!.rows += part.rows
                report!.carriedRows += part.carriedRows
            }
            page = try nextPage(members["next"], after: report!.rows.count + report!.carriedRows.count)
        } while page != nil
        others["next"] = nil
        Terminal.say(render(report!, result: others, unit: unit), terminator: "")
    }

    /// The cursor of the next page, if the daemon gave one; it must start at the row after the
    /// `received` rows so far (pages never overlap or skip).
    private static func nextPage(_ next: JSONValue?, after received: Int) throws(Failure) -> JSONValue? {
        guard let next, next != .null else { return nil }
        guard case .object(let cursor) = next, cursor["row"] == .int(Int64(received)) else {
            throw Failure.failed("the daemon's status pages do not follow each other (after \(received) rows it gave \(String(decoding: next.encoded(), as: UTF8.self)))")
        }
        return next
    }

    static func moneyUnit(_ args: ParsedArguments) throws(Failure) -> MoneyUnit {
        guard let name = args.value("unit") else { return .dong }
        guard let unit = MoneyUnit(name: name) else { throw Failure.usage("--unit must be đ, nghin, trieu or ty") }
        return unit
    }

    static func render(_ report: StatusReport, result: JSONObject, unit: MoneyUnit) -> TerminalText {
        func money(_ value: Money?) -> String { value.map { $0.formatted(unit) } ?? "—" }
        var scope: [TerminalText] = []
        if let agency = report.agency { scope.append("agency \(agency)") }
        if let plan = report.plan { scope.append("plan \(plan)") }
        if let year = report.year { scope.append("budget year \(year)") }
        var text: TerminalText = "Disbursement (giải ngân) by \(report.grouping.rawValue)" + (scope.isEmpty ? "" : " — " + TerminalText.joined(scope, separator: ", ")) + "\n"
        text += scopeLine(result, asOf: report.asOf, throughSeq: report.throughSeq) + "\n\n"
        if report.rows.isEmpty && report.carriedRows.isEmpty {
            guard let planned = report.total.planned else { return text + "Nothing allocated or planned in this scope.\n" }
            return text + "Nothing allocated in this scope (no decision funds it as of this date).\n"
                + "Planned in this scope (the plans' amounts): \(money(planned))\(notSplitRemark(report.total, money: money)).\n"
        }
        if !report.rows.isEmpty { text += table(report.rows, total: report.total, grouping: report.grouping, carried: false, money: money).render() }
        if report.grouping == .line || report.grouping == .decision, let planned = report.total.planned {
            text += "\nPlanned in this scope (the plans' amounts): \(money(planned))\(notSplitRemark(report.total, money: money))"
                + (report.total.rateOfPlan.map { "; disbursed against it: \($0)" } ?? "") + ".\n"
        } else if let notSplit = report.total.plannedNotSplit, notSplit.dong > 0 {
            text += "\nOf the planned money, \(money(notSplit)) is given for several years without a split by year"
                + (report.year == nil ? " (its own row)" : " (its whole total is shown)")
                + "; the rate against the plan leaves it out.\n"
        }
        if !report.carriedRows.isEmpty {
            text += "\nCarried over from earlier budget years (chuyển nguồn), apart from the year's own money:\n"
            text += table(report.carriedRows, total: report.carriedTotal, grouping: report.grouping, carried: true, money: money).render()
        }
        if report.grouping == .agency, let average = report.total.rateOfAllocation {
            text += "\nProvince average (disbursed / allocated): \(average); ▼ marks agencies below it.\n"
        }
        if report.grouping == .province, report.rows.count > 1, let average = report.total.rateOfAllocation {
            text += "\nNational average (disbursed / allocated, weighted): \(average); ▼ marks provinces below it.\n"
        }
        return text
    }

    /// ", of which X not split by year" when some of the planned money is.
    private static func notSplitRemark(_ row: StatusRow, money: (Money?) -> String) -> String {
        guard let notSplit = row.plannedNotSplit, notSplit.dong > 0 else { return "" }
        return ", of which \(money(notSplit)) is given for several years without a split by year"
    }

    /// Remarks on a line: behind the straight line, allocated after 30/9, money moved or lapsed.
    private static func remarks(_ row: StatusRow, money: (Money?) -> String) -> String {
        var notes: [String] = []
        if row.behindStraightLine == true { notes.append("behind") }
        if row.allocatedAfterSeptember == true { notes.append("allocated after 30/09") }
        if row.carriedOut.dong > 0 { notes.append("carried out \(money(row.carriedOut))") }
        if row.lapsed.dong > 0 { notes.append("lapsed \(money(row.lapsed))") }
        if row.returned.dong > 0 { notes.append("returned to the budget \(money(row.returned))") }
        return notes.joined(separator: "; ")
    }

    private static func table(_ rows: [StatusRow], total: StatusRow, grouping: StatusGrouping, carried: Bool,
                              money: (Money?) -> String) -> Table {
        var table: Table
        switch grouping {
        case .line:
            table = Table([.init("Agency"), .init(carried ? "Carry-over" : "Decision"), .init("Year", .right), .init("Task"), .init("Name", maxWidth: 30),
                           .init("Allocated", .right), .init("Disbursed", .right), .init("Remaining", .right), .init("Rate", .right),
                           .init("Straight line", .right), .init("Days left", .right), .init(carried ? "From / remarks" : "Remarks")])
            for row in rows {
                let remarks = [row.carriedFrom.map { "from \($0)" }, Optional(Self.remarks(row, money: money))]
                    .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
                table.add([row.agency ?? "", row.decision ?? "", row.fiscalYear.map(String.init) ?? "", row.task ?? "", row.label,
                           money(row.allocated), money(row.disbursed), money(row.remaining), row.rateOfAllocation.cell,
                           row.expected.map(\.description) ?? "", row.daysLeft.map(String.init) ?? "", remarks])
            }
            table.footer.append(["Total", "", "", "", "\(total.lineCount) line\(total.lineCount == 1 ? "" : "s")", money(total.allocated),
                                 money(total.disbursed), money(total.remaining), total.rateOfAllocation.cell, "", "",
                                 Self.remarks(total, money: money)])
        case .decision:
            table = Table([.init("Decision"), .init("Agency"), .init("Year", .right), .init("Signed"), .init("Lines", .right),
                           .init("Allocated", .right), .init("Disbursed", .right), .init("Remaining", .right), .init("Rate", .right), .init("Remarks")])
            for row in rows {
                let remarks = [row.carriedFrom.map { "from \($0)" }, Optional(Self.remarks(row, money: money))]
                    .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
                table.add([row.key, row.agency ?? "", row.fiscalYear.map(String.init) ?? "", row.signed?.vietnamese ?? "", String(row.lineCount),
                           money(row.allocated), money(row.disbursed), money(row.remaining), row.rateOfAllocation.cell, remarks])
            }
            table.footer.append(["Total", "", "", "", String(total.lineCount), money(total.allocated),
                                 money(total.disbursed), money(total.remaining), total.rateOfAllocation.cell, Self.remarks(total, money: money)])
        default:
            let keyTitle = ["task": "Task", "plan": "Plan", "agency": "Agency", "source": "Source", "year": "Year", "province": "Province"][grouping.rawValue] ?? "Key"
            let marks = (grouping == .agency || grouping == .province) && !carried
            // An agency's successions: "(formerly BDT)" at the end of its label, shown in a column of its own.
            func split(_ label: String) -> (name: String, formerly: String) {
                guard grouping == .agency || grouping == .province, let range = label.range(of: " (formerly ", options: .backwards), label.hasSuffix(")") else { return (label, "") }
                return (String(label[..<range.lowerBound]), "formerly " + label[range.upperBound...].dropLast())
            }
            let lineage = (grouping == .agency || grouping == .province) && rows.contains { !split($0.label).formerly.isEmpty }
            table = Table([.init(keyTitle), .init("Name", maxWidth: 40)] + (lineage ? [.init("Lineage", maxWidth: 40)] : [])
                          + [.init("Planned", .right), .init("Allocated", .right),
                             .init("Disbursed", .right), .init("Remaining", .right), .init("Rate (alloc.)", .right), .init("Rate (plan)", .right)]
                          + (marks ? [.init("")] : []))
            for row in rows {
                let (name, formerly) = split(row.label)
                table.add([row.key, name] + (lineage ? [formerly] : []) + [money(row.planned), money(row.allocated), money(row.disbursed), money(row.remaining),
                           row.rateOfAllocation.cell, row.rateOfPlan.cell] + (marks ? [row.belowAverage == true ? "▼ below average" : ""] : []))
            }
            table.footer.append(["Total", ""] + (lineage ? [""] : []) + [money(total.planned), money(total.allocated), money(total.disbursed),
                                 money(total.remaining), total.rateOfAllocation.cell, total.rateOfPlan.cell] + (marks ? [""] : []))
        }
        return table
    }
}
