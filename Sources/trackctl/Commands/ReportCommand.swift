import Events
import Glibc
import Projections

/// `trackctl report KIND`: a report computed by the daemon, written for an official as text,
/// CSV for Excel, Markdown or self-contained HTML; `--issue LETTER` records that it was sent and
/// the SHA-256 of its bytes; `--reissue LETTER` makes the same bytes again and proves them.
enum ReportCommand {
    static let spec = CommandSpec(["report"], summary: "Write a report for officials: plan, disbursement, ranking, overdue, audit (text, csv, md, html).",
        positionals: [PositionalSpec("KIND", ReportKind.allCases.map(\.rawValue).joined(separator: ", ") + " (not with --reissue)", optional: true),
                      PositionalSpec("PLAN", "For a plan report: the plan (or --plan)", optional: true)],
        options: [.value("plan", "PLAN", "The plan (plan report)."),
                  .value("agency", "AGENCY", "Only this agency (disbursement, overdue, audit)."),
                  .value("decision", "DECISION", "Only this decision (disbursement, audit): its number, or its long form NUMBER@ISSUER/YEAR when several decisions have that number."),
                  .value("year", "YEAR", "The budget year (disbursement, ranking, audit; default: the as-of date's year)."),
                  .value("month", "YYYY-MM", "disbursement: the monthly form (Thông tư 37/2025/TT-BTC) of that month; YYYY-13 is the thirteenth month (January against last year's money)."),
                  .value("format", "FORMAT", "text (default), csv (for Excel: UTF-8 with BOM), md, html (one self-contained file)."),
                  .value("output", "FILE", "Write the report to FILE (replaced whole, never written through a link) instead of standard output."),
                  .value("lang", "LANG", "vi (default) or en: the labels, and in csv the separator and decimal mark (vi: ; and ,)."),
                  .value("unit", "UNIT", "dong, trieu (default) or ty: the ĐVT of money columns."),
                  .value("width", "N", "Text width in columns (default: the terminal's, else 120)."),
                  .value("date", "DATE", "The date on the place-and-date line (default: the daemon's today)."),
                  .value("letter", "LETTER", "The letter the report goes with, shown as \"Kèm theo …\" (e.g. \"Công văn số 123/BDT-VP\")."),
                  .value("letter-date", "DATE", "The date of that letter."),
                  .value("issue", "LETTER", "Record that this report was sent with LETTER (kind, scope, dates, and the SHA-256 of the exact bytes)."),
                  .value("reissue", "LETTER", "Make again the report recorded as sent with LETTER, from the log, and prove its SHA-256."),
                  .value("seq", "SEQ", "With --reissue: the record of the report (when several were sent with the letter)."),
                  .flag("issued", "List the reports recorded as sent (with --reissue LETTER's letter only, if given)."),
                  .flag("json", "Print the daemon's answer as JSON (money in whole đồng, rates in thousandths of a percent).")]
                 + scopeOptions + connectionOptions,
        discussion: """
        Figures come from the daemon (as of --as-of, with what was recorded by --known-at); the letterhead from
        trackerd.conf ([report] and [report AGENCY]). Money is exact: amounts in triệu show every digit they need
        (3,402), except in csv, where --unit trieu writes three decimals and --unit dong whole đồng.
        Examples:
          trackctl report plan BDT-2023 --format csv --output bdt-2023.csv
          trackctl report disbursement --as-of 2023-11-30 --format html --output qd569.html
          trackctl report disbursement --as-of 2023-11-30 --format html --output qd569.html --issue "CV 123/BDT-VP"
          trackctl report --reissue "CV 123/BDT-VP" --output again.html
        """)

    static func run(_ args: ParsedArguments) throws(Failure) {
        if args.has("issued") { return try listIssued(args) }
        if let letter = args.value("reissue") {
            guard args.positionals.isEmpty, args.value("issue") == nil else {
                throw Failure.usage("report --reissue takes no KIND and no --issue: the record says what the report was")
            }
            return try reissue(letter, args)
        }
        guard let kindName = args.positionals.first else {
            throw Failure.usage("report: say which report: \(ReportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let kind = ReportKind(rawValue: kindName) else {
            throw Failure.usage("report: '\(kindName)' is not a report; reports are \(ReportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var request = ReportRequest(kind: kind)
        request.asOf = try parseOption(args, "as-of") { (text) throws(TrackerError) in try BusinessDate.parse(text) }
        request.knownAt = try parseOption(args, "known-at") { (text) throws(TrackerError) in try Timestamp.parse(text) }
        request.agency = try parseOption(args, "agency") { (text) throws(TrackerError) in try AgencyID(text) }
        request.decision = try parseOption(args, "decision") { (text) throws(TrackerError) in try DecisionRef(text) }
        request.year = try parseOption(args, "year") { (text) throws(TrackerError) in try parseFiscalYear(text) }
        request.month = try parseOption(args, "month") { (text) throws(TrackerError) in try ReportMonth(text) }
        if request.month != nil && kind != .disbursement { throw Failure.usage("report: --month goes with the disbursement report") }
        let planText = args.positionals.count > 1 ? args.positionals[1] : args.value("plan")
        if args.positionals.count > 1 && args.value("plan") != nil { throw Failure.usage("report: give the plan once (PLAN or --plan)") }
        if let planText {
            do throws(TrackerError) { request.plan = try PlanID(planText) } catch { throw Failure.usage("the plan: \(error.message)") }
        }
        if kind == .plan && request.plan == nil { throw Failure.usage("report plan: say which plan (trackctl report plan PLAN)") }
        if kind != .plan && args.positionals.count > 1 { throw Failure.usage("report \(kind.rawValue) takes no second argument") }
        var options = try reportOptions(args)
        if let letter = args.value("issue"), options.letter == nil { options.letter = letter }

        let client = try connect(args)
        let result = try trackctl.request(client, kind == .audit ? .auditReport : .report) { w in request.encode(to: &w) }
        if args.has("json") {
            if let report = result["report"] { print(String(decoding: report.encoded(), as: UTF8.self)) }
            return
        }
        let answer: ReportAnswer
        do throws(TrackerError) { answer = try ReportAnswer(in: result) } catch { throw Failure(error) }
        if options.date == nil { options.date = try? BusinessDate.parse(answer.today) }
        let bytes = try render(answer, options: options)
        try write(bytes, to: args.value("output"), format: options.format)
        guard let letter = args.value("issue") else { return }

        // Recorded only once the bytes are written: the record says what was sent.
        var pinned = request
        pinned.knownAt = nil
        pinned.throughSeq = answer.throughSeq
        pinned.asOf = answer.asOf
        let parameters = issueParameters(pinned, options: options, answer: answer)
        let digest = SHA256.hash(bytes).hex
        let issue = IssueReport.self
        let command: Command
        do throws(TrackerError) {
            command = try Command(request: JSONObject([
                ("op", .string(issue.operation.name)), ("kind", .string(kind.rawValue)), ("letter", .string(letter)),
                ("as_of", .string(answer.asOf.description)), ("through_seq", .int(Int64(clamping: answer.throughSeq))),
                ("sha256", .string(digest)), ("bytes", .int(Int64(bytes.count))), ("parameters", .object(parameters))]))
        } catch { throw Failure.usage("--issue: \(error.message)") }
        do throws(TrackerError) {
            let response = try client.call(command)
            if let error = response.error { throw error }
            let recorded = try CommandAnswer(result: response.result ?? JSONObject())
            Terminal.complain("issued: the \(kind.rawValue) report as of \(answer.asOf.vietnamese) (records through seq \(answer.throughSeq)) with \(letter): \(bytes.count) bytes, SHA-256 \(digest)"
                              + (recorded.recorded ? ", recorded at seq \(recorded.seq)" : ", already recorded at seq \(recorded.seq)"))
        } catch {
            throw Failure.failed("the report was written, but recording that it was issued failed: \(error.message)")
        }
    }

    /// Makes again the report recorded as sent with `letter`, and proves its SHA-256.
    static func reissue(_ letter: String, _ args: ParsedArguments) throws(Failure) {
        let client = try connect(args)
        let list = try request(client, .issuedReports) { w in w.key("letter"); w.string(letter) }
        let issued: IssuedReportsAnswer
        do throws(TrackerError) { issued = try IssuedReportsAnswer(result: list) } catch { throw Failure(error) }
        guard !issued.reports.isEmpty else { throw Failure.failed("no report is recorded as sent with \(letter)") }
        let entry: IssuedReportsAnswer.Entry
        if let seqText = args.value("seq") {
            guard let seq = UInt64(seqText), let chosen = issued.reports.first(where: { $0.seq == seq }) else {
                throw Failure.failed("no report sent with \(letter) is recorded at seq \(seqText); they are at seq \(issued.reports.map { String($0.seq) }.joined(separator: ", "))")
            }
            entry = chosen
        } else {
            guard issued.reports.count == 1 else {
                let choices = issued.reports.map { "seq \($0.seq): \($0.report.kind) as of \($0.report.asOf.vietnamese)" }.joined(separator: "; ")
                throw Failure.failed("\(issued.reports.count) reports were sent with \(letter) (\(choices)); say which with --seq SEQ")
            }
            entry = issued.reports[0]
        }
        let fact = entry.report
        let p = fact.parameters
        guard let kind = ReportKind(rawValue: fact.kind) else { throw Failure.failed("the record at seq \(entry.seq) names an unknown report '\(fact.kind)'") }
        var request = ReportRequest(kind: kind, asOf: fact.asOf, throughSeq: fact.throughSeq)
        do throws(TrackerError) {
            request.agency = try p.optionalString("agency").map { (text) throws(TrackerError) in try AgencyID(text) }
            request.plan = try p.optionalString("plan").map { (text) throws(TrackerError) in try PlanID(text) }
            request.decision = try p.optionalString("decision").map { (text) throws(TrackerError) in try DecisionRef(text) }
            if p["year"] != nil { request.year = Int(try p.int("year")) }
            request.month = try p.optionalString("month").map { (text) throws(TrackerError) in try ReportMonth(text) }
        } catch { throw Failure.failed("the record at seq \(entry.seq) has a scope this trackctl cannot read: \(error.message)") }
        var options = ReportOptions()
        var letterhead: Letterhead? = nil
        var today = ""
        var simulated = false
        do throws(TrackerError) {
            options.format = ReportOptions.Format(rawValue: try p.optionalString("format") ?? "text") ?? .text
            options.language = ReportLanguage(rawValue: try p.optionalString("lang") ?? "vi") ?? .vi
            options.unit = MoneyUnit(rawValue: try p.optionalString("unit") ?? "trieu") ?? .trieu
            options.width = Int(try p.optionalInt("width") ?? 120)
            options.date = try p.optionalDate("date")
            options.letter = try p.optionalString("letter")
            options.letterDate = try p.optionalDate("letter_date")
            today = try p.optionalString("today") ?? ""
            simulated = try p.optionalBool("simulated")
            if let head = try p.optionalObject("letterhead") {
                letterhead = Letterhead(superior: try head.string("superior"), office: try head.string("office"), place: try head.string("place"),
                                        preparer: try head.optionalString("preparer"), headTitle: try head.string("head_title"),
                                        head: try head.optionalString("head"), form: try head.optionalString("form"))
            }
        } catch { throw Failure.failed("the record at seq \(entry.seq) has a form this trackctl cannot read: \(error.message)") }
        let result = try trackctl.request(client, kind == .audit ? .auditReport : .report) { w in request.encode(to: &w) }
        var answer: ReportAnswer
        do throws(TrackerError) { answer = try ReportAnswer(in: result) } catch { throw Failure(error) }
        if let letterhead { answer.letterhead = letterhead }
        if !today.isEmpty { answer.today = today }
        answer.simulated = simulated
        if kind == .audit {
            Terminal.complain("note: an audit report verifies the chain as it is now; its figures are those of seq \(fact.throughSeq), its head and counts are today's")
        }
        let bytes = try render(answer, options: options)
        let digest = SHA256.hash(bytes).hex
        let version = (try? p.optionalString("trackctl")) ?? nil
        try write(bytes, to: args.value("output"), format: options.format)
        if digest == fact.sha256 && bytes.count == Int(fact.bytes) {
            Terminal.complain("reissued: the \(kind.rawValue) report sent with \(fact.letter) (record seq \(entry.seq)), made again from records through seq \(fact.throughSeq): \(bytes.count) bytes, SHA-256 \(digest): the same bytes")
        } else {
            throw Failure.failed("the report made again differs from the one sent with \(fact.letter): SHA-256 \(digest) (\(bytes.count) bytes) against \(fact.sha256) (\(fact.bytes) bytes) recorded at seq \(entry.seq)"
                + (version.map { $0 != TrackerVersion.string ? "; it was written by trackctl \($0), this is \(TrackerVersion.string)" : "" } ?? ""))
        }
    }

    /// `report --issued`: the reports recorded as sent.
    static func listIssued(_ args: ParsedArguments) throws(Failure) {
        let client = try connect(args)
        let list = try request(client, .issuedReports) { w in
            if let letter = args.value("reissue") { w.key("letter"); w.string(letter) }
        }
        if args.has("json") { printJSON(list); return }
        let issued: IssuedReportsAnswer
        do throws(TrackerError) { issued = try IssuedReportsAnswer(result: list) } catch { throw Failure(error) }
        guard !issued.reports.isEmpty else { Terminal.say("No report is recorded as sent."); return }
        var table = Table([.init("Seq", .right), .init("Recorded"), .init("Report"), .init("As of"), .init("Through seq", .right), .init("Letter"),
                           .init("Bytes", .right), .init("SHA-256")])
        for entry in issued.reports {
            let r = entry.report
            let scope = ["plan", "agency", "decision", "year", "month", "format"].compactMap { key -> String? in
                guard let value = r.parameters[key] else { return nil }
                switch value { case .string(let text): return text; case .int(let number): return String(number); default: return nil }
            }
            table.add([String(entry.seq), BusinessDate.vietnameseText(at: entry.time), ([r.kind] + scope).joined(separator: " "), r.asOf.vietnamese,
                       String(r.throughSeq), r.letter, String(r.bytes), r.sha256])
        }
        Terminal.say(table.render(), terminator: "")
    }

    /// Everything that makes the bytes, as recorded with an issued report.
    static func issueParameters(_ request: ReportRequest, options: ReportOptions, answer: ReportAnswer) -> JSONObject {
        var p = JSONObject()
        if let agency = request.agency { p["agency"] = .string(agency.text) }
        if let plan = request.plan { p["plan"] = .string(plan.text) }
        if let decision = request.decision { p["decision"] = .string(decision.text) }
        if let year = request.year { p["year"] = .int(Int64(year)) }
        if let month = request.month { p["month"] = .string(month.description) }
        p["format"] = .string(options.format.rawValue)
        p["lang"] = .string(options.language.rawValue)
        p["unit"] = .string(options.unit.rawValue)
        p["width"] = .int(Int64(options.width))
        if let date = options.date { p["date"] = .string(date.description) }
        if let letter = options.letter { p["letter"] = .string(letter) }
        if let date = options.letterDate { p["letter_date"] = .string(date.description) }
        p["today"] = .string(answer.today)
        p["simulated"] = .bool(answer.simulated)
        let head = answer.letterhead
        var letterhead = JSONObject()
        letterhead["superior"] = .string(head.superior)
        letterhead["office"] = .string(head.office)
        letterhead["place"] = .string(head.place)
        if let preparer = head.preparer { letterhead["preparer"] = .string(preparer) }
        letterhead["head_title"] = .string(head.headTitle)
        if let name = head.head { letterhead["head"] = .string(name) }
        if let form = head.form { letterhead["form"] = .string(form) }
        p["letterhead"] = .object(letterhead)
        p["trackctl"] = .string(TrackerVersion.string)
        return p
    }

    /// The options of the form, from the command line.
    static func reportOptions(_ args: ParsedArguments) throws(Failure) -> ReportOptions {
        var options = ReportOptions()
        if let format = args.value("format") {
            guard let value = ReportOptions.Format(rawValue: format) else { throw Failure.usage("--format must be text, csv, md or html") }
            options.format = value
        }
        if let lang = args.value("lang") {
            guard let value = ReportLanguage(rawValue: lang) else { throw Failure.usage("--lang must be vi or en") }
            options.language = value
        }
        if let unit = args.value("unit") {
            guard let value = MoneyUnit(name: unit), value != .nghin else { throw Failure.usage("--unit must be dong, trieu or ty") }
            options.unit = value
        }
        if let width = args.value("width") {
            guard let value = Int(width), (40...1000).contains(value) else { throw Failure.usage("--width must be a number of columns from 40 to 1000") }
            options.width = value
        } else {
            options.width = terminalWidth() ?? 120
        }
        options.date = try parseOption(args, "date") { (text) throws(TrackerError) in try BusinessDate.parse(text) }
        options.letter = args.value("letter").map(Text.normalized)
        options.letterDate = try parseOption(args, "letter-date") { (text) throws(TrackerError) in try BusinessDate.parse(text) }
        return options
    }

    /// The width of the terminal on standard output, if it is one.
    static func terminalWidth() -> Int? {
        var size = winsize()
        guard isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 40 else { return nil }
        return Int(size.ws_col)
    }

    /// The report's bytes in its format.
    static func render(_ answer: ReportAnswer, options: ReportOptions) throws(Failure) -> [UInt8] {
        let document: ReportDocument
        switch answer.kind {
        case .plan:
            guard let report = answer.plan else { throw Failure.failed("the daemon's answer has no plan table") }
            document = .plan(report, answer: answer, options: options)
        case .disbursement:
            if let monthly = answer.monthly {
                document = .monthly(monthly, answer: answer, options: options)
            } else {
                guard let report = answer.disbursement else { throw Failure.failed("the daemon's answer has no disbursement report") }
                document = .disbursement(report, answer: answer, options: options)
            }
        case .ranking:
            guard let report = answer.ranking else { throw Failure.failed("the daemon's answer has no ranking") }
            document = .ranking(report, answer: answer, options: options)
        case .overdue:
            guard let report = answer.overdue else { throw Failure.failed("the daemon's answer has no overdue report") }
            document = .overdue(report, answer: answer, options: options)
        case .audit:
            guard let report = answer.audit else { throw Failure.failed("the daemon's answer has no audit report") }
            document = .audit(report, answer: answer, options: options)
        }
        switch options.format {
        case .text: return Array(TextReportRenderer(options: options).render(document).utf8)
        case .csv: return CSVReportRenderer(options: options).render(document)
        case .md: return Array(MarkdownReportRenderer(options: options).render(document).utf8)
        case .html: return Array(HTMLReportRenderer(options: options).render(document).utf8)
        }
    }

    /// Writes the bytes to FILE (a new file put in place whole) or to standard output.
    static func write(_ bytes: [UInt8], to output: String?, format: ReportOptions.Format) throws(Failure) {
        guard let output else {
            var written = 0
            while written < bytes.count {
                let n = bytes[written...].withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
                if n < 0 { if errno == EINTR { continue }; throw Failure.failed("cannot write the report to standard output: \(String(cString: strerror(errno)))") }
                written += n
            }
            return
        }
        do throws(Errno) { try FileSystem.writeFileAtomically(output, bytes, mode: 0o644) } catch {
            throw Failure.failed("cannot write \(output): \(error)")
        }
    }
}

extension ReportAnswer {
    /// The last record the report counts.
    var throughSeq: UInt64 {
        plan?.throughSeq ?? disbursement?.throughSeq ?? monthly?.throughSeq ?? ranking?.throughSeq ?? overdue?.throughSeq ?? audit?.disbursement.throughSeq ?? 0
    }

    /// The date the figures are true on.
    var asOf: BusinessDate {
        let text = plan?.asOf ?? disbursement?.asOf ?? monthly?.asOf ?? ranking?.asOf ?? overdue?.asOf ?? audit?.disbursement.asOf ?? today
        return (try? BusinessDate.parse(text)) ?? .first
    }
}
