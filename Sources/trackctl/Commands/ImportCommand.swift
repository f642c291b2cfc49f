import Events
import Projections

/// `trackctl import FILE`: loads a file of commands, all or nothing.
enum ImportCommand {
    static let spec = CommandSpec(["import"], summary: "Load a file of commands (one per line, as typed after trackctl), all or nothing.",
        positionals: [PositionalSpec("FILE", "The file of commands (not with --plan-table)", optional: true)],
        options: [.value("plan-table", "CSV", "Instead, load a plan's tasks from its Bảng tổng hợp saved as CSV from Excel (see below)."),
                  .value("plan", "PLAN", "The plan the table's tasks belong to (with --plan-table; create it first with plan create)."),
                  .value("unit", "UNIT", "The unit of the table's amounts when it has no ĐVT line: dong, trieu (default) or ty."),
                  jsonOption, quietOption] + connectionOptions,
        discussion: """
        Lines starting with # are comments; a line ending in \\ continues on the next. The first bad line is
        reported by number and nothing is recorded. Facts already recorded identically (a plan, a decision,
        a payment reference) are skipped, so importing the same file twice records nothing twice. A file saved with a
        byte order mark (Notepad, Excel) is read as it is. A large file is sent in pieces, each well under the daemon's
        max_line_bytes, and the daemon records all of them together when the last has come, or nothing.
        --plan-table reads the columns TT, Tên nhiệm vụ, Nội dung thực hiện, Thời gian, Kinh phí (năm YYYY or Tổng mức),
        Nguồn vốn, and optionally Đơn vị chủ trì and Mục tiêu, in any order, from a CSV in UTF-8 (with or without BOM) or
        Windows-1258, separated by ; or , : the plan's tasks #1, #2… in the table's order. The file's Tổng row is checked.
        trackctl report plan PLAN --format csv writes such a table back.
        """)

    /// The most bytes of commands sent in one request: well under the default `max_line_bytes`
    /// (1 MiB); a daemon that allows less answers `too_large`, and the piece is sent again halved.
    static let pieceBytes = 256 << 10

    /// Sends the commands in pieces (every piece but the last with `more`), and returns the
    /// answer of the last, or the first refusal.
    static func send(_ entries: [ImportFile.Entry], path: String, client: Client, progress: Progress) throws(Failure) -> Wire.Response {
        let sizes = entries.map { entry -> Int in
            var w = JSONWriter(capacity: 256)
            w.beginObject()
            entry.command.encodeFields(to: &w)
            w.endObject()
            return w.bytes.count + 1
        }
        var start = 0
        var limit = pieceBytes
        while true {
            var end = start
            var bytes = 0
            while end < entries.count && (end == start || bytes + sizes[end] <= limit) {
                bytes += sizes[end]
                end += 1
            }
            let more = end < entries.count
            let response: Wire.Response
            do throws(TrackerError) {
                let send = { () throws(TrackerError) -> Wire.Response in
                    try client.call(.importCommands) { w in
                        w.key("commands")
                        w.beginArray()
                        for entry in entries[start..<end] {
                            w.beginObject()
                            entry.command.encodeFields(to: &w)
                            w.endObject()
                        }
                        w.endArray()
                        if more { w.key("more"); w.bool(true) }
                    }
                }
                response = more ? try send() : try progress.whileWaiting("importing \(path): recording \(entries.count) commands", send)
            } catch { throw Failure(error) }
            if let error = response.error, error.code == .tooLarge, limit > 1024, end - start > 1 {
                limit /= 2
                continue
            }
            if let error = response.error, error.code == .tooLarge, end - start == 1 {
                throw Failure.failed("\(path): line \(entries[start].line) alone is longer than the daemon takes in one request: \(error.message)")
            }
            guard more, response.error == nil else { return response }
            start = end
            progress.update("importing \(path): \(start) of \(entries.count) commands sent")
        }
    }

    static func run(_ args: ParsedArguments) throws(Failure) {
        if let table = args.value("plan-table") { return try runPlanTable(table, args) }
        guard args.value("plan") == nil, args.value("unit") == nil else { throw Failure.usage("import: --plan and --unit go with --plan-table") }
        guard let path = args.positionals.first else { throw Failure.usage("import: give a FILE of commands, or --plan-table CSV --plan PLAN") }
        let bytes: [UInt8]
        do throws(Errno) { bytes = try FileSystem.readFile(path) } catch { throw Failure.failed("cannot read \(path): \(error)") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Failure.failed("\(path) is not UTF-8 text") }
        let entries: [ImportFile.Entry]
        do throws(ImportFile.LineError) { entries = try ImportFile.parse(text) } catch {
            throw Failure.failed("\(path): line \(error.line): \(error.message); nothing was imported")
        }
        guard !entries.isEmpty else { throw Failure.failed("\(path) has no commands") }
        try send(entries, from: path, what: "line", args)
    }

    /// Sends the commands as one import (all or nothing) and says what was recorded; a refusal
    /// names the `what` (line, row) of the command refused.
    static func send(_ entries: [ImportFile.Entry], from path: String, what: String, _ args: ParsedArguments) throws(Failure) {
        let client = try connect(args)
        let progress = Progress(args)
        defer { progress.finish() }
        let response = try send(entries, path: path, client: client, progress: progress)
        progress.finish()
        if let error = response.error {
            if case .int(let index)? = error.details?["index"], index >= 0, Int(index) < entries.count {
                let entry = entries[Int(index)]
                let message = error.message.replacingPrefix("command \(index + 1) (\(entry.command.operation)): ", with: "")
                    .replacingPrefix("command \(index + 1): ", with: "")
                throw Failure.failed("\(path): \(what) \(entry.line): refused (\(error.code.rawValue)): \(message)")
            }
            throw Failure(error)
        }
        guard let result = response.result else { throw Failure.failed("the daemon sent no result") }
        if args.has("json") { printJSON(result); return }
        let answer: ImportAnswer
        do throws(TrackerError) { answer = try ImportAnswer(result: result) } catch { throw Failure(error) }
        var summary: TerminalText = "imported \(path): \(answer.recorded) command\(answer.recorded == 1 ? "" : "s") recorded"
        if answer.unchanged > 0 { summary += ", \(answer.unchanged) already recorded (not recorded twice)" }
        if let records = answer.records { summary += "; records \(records.lowerBound)–\(records.upperBound)" }
        Terminal.say(summary)
        // Payments already recorded whose note in the file differs: the file's note was not recorded.
        for payment in answer.notesNotRecorded where payment.index < entries.count {
            func quoted(_ note: String?) -> String { note.map { "\"\($0)\"" } ?? "none" }
            Terminal.say("  \(what) \(entries[payment.index].line): payment \(payment.ref) is already recorded (seq \(payment.seq)); its note was not recorded: recorded \(quoted(payment.note.recordedNote)), in the file \(quoted(payment.note.givenNote))")
        }
    }
}

extension ImportCommand {
    /// `import --plan-table CSV --plan PLAN`: the tasks of a plan's summary table.
    static func runPlanTable(_ path: String, _ args: ParsedArguments) throws(Failure) {
        guard args.positionals.isEmpty else { throw Failure.usage("import --plan-table takes no FILE of commands") }
        guard let planText = args.value("plan") else { throw Failure.usage("import --plan-table needs --plan PLAN (create the plan first with plan create)") }
        let plan: PlanID
        do throws(TrackerError) { plan = try PlanID(planText) } catch { throw Failure.usage("--plan: \(error.message)") }
        var unit: MoneyUnit? = nil
        if let name = args.value("unit") {
            guard let value = MoneyUnit(name: name) else { throw Failure.usage("--unit must be dong, trieu or ty") }
            unit = value
        }
        let bytes: [UInt8]
        do throws(Errno) { bytes = try FileSystem.readFile(path) } catch { throw Failure.failed("cannot read \(path): \(error)") }
        let table: PlanTableFile
        do throws(TrackerError) { table = try PlanTableFile(bytes: bytes, name: path, unit: unit) } catch { throw Failure.failed(error.message) }
        let entries = zip(table.rows, table.commands(plan: plan)).map { ImportFile.Entry(line: $0.line, command: $1.command) }
        Terminal.complain("\(path): \(table.rows.count) tasks (\(table.encoding.rawValue), '\(table.separator)' between fields, amounts in \(table.unit.symbol)"
            + (table.year.map { " for \($0)" } ?? ", totals") + ", \(table.sum.formatted(table.unit)) in all"
            + (table.total.map { _ in ", as its Tổng row says" } ?? "") + ")")
        try send(entries, from: path, what: "row", args)
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
