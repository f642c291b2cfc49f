import Foundation
import Testing
@testable import Events

/// The command-line grammar shared by `trackctl` and import files, and the wire JSON form of
/// commands.
@Suite struct CommandSyntaxTests {

    // MARK: Helpers

    static func words(_ line: String) throws(UsageError) -> [String] { try Tokenizer.words(line) }

    /// Parses a command line as typed after `trackctl`.
    static func command(_ line: String) throws -> Command { try CommandSyntax.parse(try Tokenizer.words(line)) }

    static func usageError(_ line: String) -> UsageError? {
        do {
            _ = try CommandSyntax.parse(try Tokenizer.words(line))
            return nil
        } catch {
            return error
        }
    }

    static let spec = CommandSpec(["demo"], summary: "A spec for parser tests.",
                                  positionals: [PositionalSpec("FIRST", "first"), PositionalSpec("SECOND", "second", optional: true)],
                                  options: [.value("date", "DATE", "a date"),
                                            .value("line", "LINE", "repeatable", repeatable: true),
                                            .value("ref", "REF", "required", required: true),
                                            .flag("correction", "a flag")])

    static func arguments(_ tokens: [String]) throws(UsageError) -> ParsedArguments {
        try ArgumentParser.parse(tokens, spec: spec)
    }

    static func argumentError(_ tokens: [String]) -> UsageError? {
        do {
            _ = try arguments(tokens)
            return nil
        } catch {
            return error
        }
    }

    /// The request object a client sends for `command`: `{"id":…, "op":…, fields…}`.
    static func requestObject(_ command: Command, id: Int64 = 7) throws -> JSONObject {
        var w = JSONWriter()
        w.beginObject()
        w.key("id"); w.int(id)
        command.encodeFields(to: &w)
        w.endObject()
        guard case .object(let object) = try JSONParser().parse(w.bytes) else {
            throw UsageError("not an object")
        }
        return object
    }

    /// A request object parsed from JSON text.
    static func request(_ json: String) throws -> JSONObject {
        guard case .object(let object) = try JSONParser().parse(json) else { throw UsageError("not an object") }
        return object
    }

    static func requestError(_ json: String) throws -> TrackerError? {
        let object = try request(json)
        do {
            _ = try Command(request: object)
            return nil
        } catch {
            return error
        }
    }

    static func importError(_ text: String) -> ImportFile.LineError? {
        do {
            _ = try ImportFile.parse(text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Tokenizer

    @Test("Words split on spaces and tabs; quotes group words; backslash escapes")
    func tokenizer() throws {
        #expect(try Self.words("disburse 860/KH-BDT#1  3402000\t--date 2023-11-30") == ["disburse", "860/KH-BDT#1", "3402000", "--date", "2023-11-30"])
        #expect(try Self.words(#"agency add BDT --name "Ban Dân tộc tỉnh""#) == ["agency", "add", "BDT", "--name", "Ban Dân tộc tỉnh"])
        #expect(try Self.words("--note 'it''s here'") == ["--note", "its here"])
        #expect(try Self.words(#"--note 'a "b" c'"#) == ["--note", #"a "b" c"#])
        #expect(try Self.words(#"--note "a 'b' c""#) == ["--note", "a 'b' c"])
        #expect(try Self.words(#"--note "say \"hi\" \\ ok""#) == ["--note", #"say "hi" \ ok"#])
        #expect(try Self.words(#"--note 'no \escape'"#) == ["--note", #"no \escape"#], "a backslash is literal inside single quotes")
        #expect(try Self.words(#"a\ b c"#) == ["a b", "c"])
        #expect(try Self.words(#"x"y z"w"#) == ["xy zw"], "quotes join with the word around them")
        #expect(try Self.words(#"--note """#) == ["--note", ""], "empty quotes make an empty word")
        #expect(try Self.words("   ") == [])
        #expect(try Self.words("") == [])
    }

    @Test("An unterminated quote or a trailing backslash is an error")
    func tokenizerErrors() {
        #expect(throws: UsageError("a \" quote is not closed")) { try Self.words(#"--note "abc"#) }
        #expect(throws: UsageError("a ' quote is not closed")) { try Self.words("--note 'abc") }
        #expect(throws: UsageError("a backslash ends the line with nothing to escape")) { try Self.words(#"abc \"#) }
    }

    // MARK: ArgumentParser

    @Test("Options take their value from the next word or after '='")
    func optionValues() throws {
        let parsed = try Self.arguments(["one", "--date", "2023-11-30", "--ref=UNC=1", "--line", "a", "--line=b", "two", "--correction"])
        #expect(parsed.positionals == ["one", "two"])
        #expect(parsed.value("date") == "2023-11-30")
        #expect(parsed.value("ref") == "UNC=1", "only the first '=' separates the name")
        #expect(parsed.all("line") == ["a", "b"])
        #expect(parsed.has("correction"))
        #expect(parsed.positional(1) == "two")
        #expect(parsed.positional(2) == nil)
        #expect(try Self.arguments(["one", "--ref="]).value("ref") == "", "an empty inline value is a value")
    }

    @Test("An unknown option is refused with the nearest one, or listing the known ones when none is near")
    func unknownOption() {
        let error = Self.argumentError(["one", "--ref", "x", "--dat", "2023-11-30"])
        #expect(error?.message == "demo: unknown option --dat; did you mean --date?")
        let far = Self.argumentError(["one", "--ref", "x", "--amount", "1"])
        #expect(far?.message == "demo: unknown option --amount (options: --date, --line, --ref, --correction)")
        #expect(Self.argumentError(["one", "--ref", "x", "-d"])?.message == "demo: unknown option -d (options are written --name)")
        #expect(Self.argumentError(["one", "--ref", "x", "-date"]) != nil)
    }

    @Test("An option at the end without its value is refused")
    func missingValue() {
        #expect(Self.argumentError(["one", "--ref"])?.message == "demo: --ref needs a value (REF)")
    }

    @Test("A non-repeatable option given twice is refused; a repeatable one collects every value")
    func repeatedOptions() throws {
        #expect(Self.argumentError(["one", "--ref", "a", "--ref", "b"])?.message == "demo: --ref is given twice")
        #expect(Self.argumentError(["one", "--ref", "a", "--date=1", "--date=2"])?.message == "demo: --date is given twice")
        #expect(try Self.arguments(["one", "--ref", "a", "--line", "1", "--line", "2", "--line", "3"]).all("line") == ["1", "2", "3"])
    }

    @Test("A flag refuses a value")
    func flagWithValue() {
        #expect(Self.argumentError(["one", "--ref", "a", "--correction=yes"])?.message == "demo: --correction takes no value")
    }

    @Test("'--' ends the options: later words are positionals even when they look like options")
    func doubleDash() throws {
        let parsed = try Self.arguments(["--ref", "a", "--", "--date", "-x"])
        #expect(parsed.positionals == ["--date", "-x"])
        #expect(parsed.value("date") == nil)
        #expect(Self.argumentError(["--ref", "a", "--", "one", "two", "--"])?.message == "demo: unexpected argument '--'", "only the first '--' is special")
    }

    @Test("Negative-looking amounts are positionals, not options")
    func negativeLookingAmounts() throws {
        #expect(try Self.arguments(["-5", "--ref", "a"]).positionals == ["-5"])
        #expect(try Self.arguments(["-3,402", "-1.000", "--ref", "a"]).positionals == ["-3,402", "-1.000"])
        #expect(try Self.arguments(["-", "--ref", "a"]).positionals == ["-"], "a lone dash is a word")
    }

    @Test("Missing and extra positionals and missing required options are refused")
    func positionalCounts() throws {
        #expect(Self.argumentError(["--ref", "a"])?.message == "demo: missing FIRST (first)")
        #expect(Self.argumentError(["one", "two", "three", "--ref", "a"])?.message == "demo: unexpected argument 'three'")
        #expect(Self.argumentError(["one"])?.message == "demo: --ref REF is required (required)")
        #expect(try Self.arguments(["one", "--ref", "a"]).positionals == ["one"], "an optional positional may be left out")
    }

    @Test("--help is accepted without the required arguments")
    func helpFlag() throws {
        #expect(try Self.arguments(["--help"]).has("help"))
        let help = Self.spec.help(program: "trackctl")
        #expect(help.contains("Usage: trackctl demo FIRST [SECOND] --ref REF [options]"))
        #expect(help.contains("--line LINE"))
        #expect(help.contains("(repeatable)"))
    }

    // MARK: CommandSyntax.parse, every command

    @Test("Every spec has a distinct name and every command kind has a spec")
    func specsCoverCommands() {
        let names = CommandSyntax.specs.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Set(names) == ["agency add", "plan create", "task add", "allocate", "disburse", "reverse", "refund", "task status", "carry-over", "lapse",
                               "amend", "agency succeed", "task revise", "province succeed", "year close", "contract add", "expect", "report issued"])
    }

    @Test("agency add reads the id, the name and the note")
    func agencyAdd() throws {
        let command = try Self.command(#"agency add BDT --name "Ban Dân tộc tỉnh Quảng Ngãi" --note "seed 000""#)
        #expect(command == .registerAgency(RegisterAgency(id: Sample.bdt, name: "Ban Dân tộc tỉnh Quảng Ngãi", note: "seed 000")))
        guard case .registerAgency(let c) = command else { return }
        #expect(c.id.text == "BDT")
        #expect(c.note == "seed 000")
        #expect(Self.usageError("agency add BDT")?.message.contains("--name NAME is required") == true)
        #expect(Self.usageError("agency add BDT/1 --name X")?.message.hasPrefix("agency add: agency 'BDT/1' must not contain") == true)
    }

    @Test("agency add stores names NFC and refuses an empty name")
    func agencyAddNormalizes() throws {
        let nfd = "Ban Dân tộc".decomposedStringWithCanonicalMapping
        guard case .registerAgency(let c) = try CommandSyntax.parse(["agency", "add", "BDT", "--name", "  " + nfd + " "]) else {
            Issue.record("not an agency")
            return
        }
        #expect(Array(c.name.unicodeScalars) == Array("Ban Dân tộc".precomposedStringWithCanonicalMapping.unicodeScalars))
        #expect(Self.usageError(#"agency add BDT --name "  ""#)?.message == "agency add: --name is empty")
    }

    @Test("An empty --note is absent for agency add, as it is for every other command and on the wire")
    func agencyAddEmptyNote() throws {
        let command = try CommandSyntax.parse(["agency", "add", "BDT", "--name", "Ban Dân tộc", "--note", " "])
        #expect(command == .registerAgency(RegisterAgency(id: Sample.bdt, name: "Ban Dân tộc", note: nil)))
        // The wire form drops empty notes, so a retry sent over the socket must equal the import-file form.
        #expect(try Command(request: Self.requestObject(command)) == command)
    }

    @Test("plan create reads the id, agency, title, date, period and note")
    func planCreate() throws {
        let command = try Self.command(#"plan create 860/KH-BDT --agency BDT --title "Kế hoạch 2023" --date 27/08/2021 --period 2023-2025 --note "số trống""#)
        guard case .createPlan(let c) = command else {
            Issue.record("not a plan: \(command)")
            return
        }
        #expect(c.plan.id == Sample.plan)
        #expect(c.plan.agency == Sample.bdt)
        #expect(c.plan.title == "Kế hoạch 2023")
        #expect(c.plan.issued == Make.date("2021-08-27"))
        #expect(c.plan.period == Make.years(2023, 2025))
        #expect(c.plan.note == "số trống")
        #expect(Self.usageError("plan create X --agency BDT --title T --date 31/02/2023 --period 2023")?.message == "plan create: '31/02/2023' is not a real day")
        #expect(Self.usageError("plan create X --agency BDT --title T --date 2023-01-01 --period 2025-2023")?.message.hasPrefix("plan create: period 2025–2023 ends before it starts") == true)
        #expect(Self.usageError("plan create X#1 --agency BDT --title T --date 2023-01-01 --period 2023") != nil)
    }

    @Test("task add with an explicit number reads every option")
    func taskAddExplicit() throws {
        let line = #"task add 860/KH-BDT#1 --name "Hạ tầng CNTT" --objective "12 máy tính" --period 2023-2025 --total 174tr --yearly 2024=48tr --yearly 2023=78tr --source "NS tỉnh" --unit "Văn phòng Ban" --due 30/06/2025 --note ghi-chú"#
        guard case .addTask(let c) = try Self.command(line) else {
            Issue.record("not a task")
            return
        }
        #expect(!c.autoNumber)
        #expect(c.task.id == Sample.task1)
        #expect(c.task.name == "Hạ tầng CNTT")
        #expect(c.task.objective == "12 máy tính")
        #expect(c.task.period == Make.years(2023, 2025))
        #expect(c.task.total == Make.triệu(174))
        #expect(c.task.yearly == [YearAmount(year: 2023, amount: Make.triệu(78)), YearAmount(year: 2024, amount: Make.triệu(48))], "sorted by year")
        #expect(c.task.source == .provincial)
        #expect(c.task.unit == "Văn phòng Ban")
        #expect(c.task.due == Make.date("2025-06-30"))
        #expect(c.task.note == "ghi-chú")
    }

    @Test("task add with a plan alone takes the next number; the source defaults to unspecified")
    func taskAddAutoNumber() throws {
        guard case .addTask(let c) = try Self.command("task add BDT-2023 --name Website --period 2023") else {
            Issue.record("not a task")
            return
        }
        #expect(c.autoNumber)
        #expect(c.task.id.plan == Make.plan("BDT-2023"))
        #expect(c.task.source == .unspecified)
        #expect(c.task.total == nil && c.task.yearly.isEmpty && c.task.due == nil && c.task.unit == nil)
    }

    @Test("task add refuses a repeated year, a malformed --yearly and a bad amount")
    func taskAddRefusals() {
        #expect(Self.usageError("task add P#1 --name N --period 2023 --yearly 2023=1tr --yearly 2023=2tr")?.message == "task add: --yearly gives 2023 twice")
        #expect(Self.usageError("task add P#1 --name N --period 2023 --yearly 2023")?.message == "task add: --yearly '2023' must be written like 2023=78tr")
        #expect(Self.usageError("task add P#1 --name N --period 2023 --yearly =5tr") != nil)
        #expect(Self.usageError("task add P#1 --name N --period 2023 --total abc")?.message.hasPrefix("task add: ") == true)
        #expect(Self.usageError("task add P#1 --name N --period 2023 --source usd")?.message.contains("unknown funding source") == true)
    }

    @Test("An amount with a space must be quoted: unquoted, its unit is an extra word")
    func allocateUnquotedAmount() {
        #expect(Self.usageError("allocate 569/QĐ-UBND --agency BDT --year 2023 --date 26/6/2023 --line 860/KH-BDT#2=300 triệu")?.message
                == "allocate: unexpected argument 'triệu'")
    }

    @Test("allocate reads the decision, agency, year, date, repeated lines and note")
    func allocateFields() throws {
        let command = try Self.command(#"allocate 569/QĐ-UBND --agency BDT --year 2023 --date 26/6/2023 --line 860/KH-BDT#1=100tr --line "860/KH-BDT#2=300 triệu" --line "860/KH-BDT#3=200.000.000 đ" --note QĐ"#)
        guard case .allocate(let c) = command else {
            Issue.record("not an allocation")
            return
        }
        #expect(c.allocation.decision == Sample.decision)
        #expect(c.allocation.decision.text == "569/QĐ-UBND")
        #expect(c.allocation.agency == Sample.bdt)
        #expect(c.allocation.fiscalYear == 2023)
        #expect(c.allocation.signed == Make.date("2023-06-26"))
        #expect(c.allocation.lines == [AllocationLine(task: Sample.task1, amount: Make.triệu(100)),
                                       AllocationLine(task: Sample.task2, amount: Make.triệu(300)),
                                       AllocationLine(task: Sample.task3, amount: Make.triệu(200))])
        #expect(c.allocation.note == "QĐ")
        #expect(c.allocation.total == Make.triệu(600))
        #expect(Self.usageError("allocate 569/QĐ-UBND --agency BDT --year 2023 --date 26/6/2023")?.message.contains("--line TASK=AMOUNT is required") == true)
        #expect(Self.usageError("allocate 569/QĐ-UBND --agency BDT --year 23 --date 26/6/2023 --line P#1=1") != nil)
        #expect(Self.usageError("allocate QĐ-UBND --agency BDT --year 2023 --date 26/6/2023 --line P#1=1")?.message.contains("is not a decision number") == true)
    }

    @Test("disburse reads a Vietnamese amount, the date, reference, decision and note")
    func disburse() throws {
        let command = try Self.command(#"disburse 860/KH-BDT#1 "3,402 triệu" --date 30/11/2023 --ref UNC-2023-0412 --decision 569/QD-UBND --note "đợt 1""#)
        guard case .disburse(let c) = command else {
            Issue.record("not a disbursement")
            return
        }
        #expect(c.task == Sample.task1)
        #expect(c.amount == Money(dong: 3_402_000))
        #expect(c.date == Make.date("2023-11-30"))
        #expect(c.ref == Make.ref("UNC-2023-0412"))
        #expect(c.decision == Sample.decision, "QD matches QĐ")
        #expect(c.note == "đợt 1")
        guard case .disburse(let plain) = try Self.command("disburse 860/KH-BDT#1 3402000 --date 2023-11-30 --ref R1") else { return }
        #expect(plain.decision == nil && plain.note == nil)
    }

    @Test("disburse refuses a negative amount with the amount parser's reason")
    func disburseNegative() {
        let error = Self.usageError("disburse 860/KH-BDT#1 -5 --date 2023-11-30 --ref R1")
        #expect(error?.message.hasPrefix("disburse: ") == true)
        #expect(error?.message.contains("-5") == true)
        #expect(Self.usageError("disburse 860/KH-BDT#1 --date 2023-11-30 --ref R1")?.message == "disburse: missing AMOUNT (The amount: 3,402 triệu, 3402000, 3.402.000 đ)")
        #expect(Self.usageError("disburse 860/KH-BDT --date 2023-11-30 --ref R1 5") != nil, "a task needs its number")
    }

    @Test("reverse reads the reference and reason, with or without a date")
    func reverse() throws {
        #expect(try Self.command(#"reverse UNC-1 --reason "nhập nhầm" --date 2023-12-01"#)
                == .reverse(Reverse(ref: Make.ref("UNC-1"), reason: "nhập nhầm", date: Make.date("2023-12-01"))))
        #expect(try Self.command(#"reverse UNC-1 --reason "nhập nhầm""#) == .reverse(Reverse(ref: Make.ref("UNC-1"), reason: "nhập nhầm")))
        #expect(Self.usageError("reverse UNC-1")?.message.contains("--reason TEXT is required") == true)
    }

    @Test("task status reads the task, status, date, reason and --correction")
    func taskStatus() throws {
        #expect(try Self.command(#"task status 860/KH-BDT#1 in_progress --date 2023-10-15 --reason "ký hợp đồng""#)
                == .changeStatus(ChangeStatus(task: Sample.task1, to: .inProgress, date: Make.date("2023-10-15"), reason: "ký hợp đồng")))
        guard case .changeStatus(let c) = try Self.command("task status 860/KH-BDT#1 funded --date 2023-10-15 --reason oops --correction") else { return }
        #expect(c.correction)
        #expect(c.to == .funded)
        #expect(Self.usageError("task status 860/KH-BDT#1 done --date 2023-10-15 --reason x")?.message.contains("unknown status 'done'") == true)
    }

    @Test("An unknown command names the commands there are")
    func unknownCommand() {
        let error = Self.usageError("pay 860/KH-BDT#1 5")
        #expect(error?.message.hasPrefix("unknown command 'pay 860/KH-BDT#1'; commands are: agency add, agency succeed, province succeed, plan create") == true)
        #expect(Self.usageError("task") != nil)
        #expect((try? CommandSyntax.parse([])) == nil)
    }

    @Test("--help given to a command in an import file is refused as a usage error, not a crash")
    func helpInsideCommandSyntax() async {
        await #expect(processExitsWith: .success) {
            do {
                _ = try CommandSyntax.parse(["disburse", "--help"])
                exit(1)
            } catch {
                exit(0)
            }
        }
        await #expect(processExitsWith: .success) {
            do {
                _ = try ImportFile.parse("agency add BDT --name X\ntask status --help\n")
                exit(1)
            } catch let error as ImportFile.LineError {
                exit(error.line == 2 ? 0 : 2)
            } catch {
                exit(3)
            }
        }
    }

    // MARK: ImportFile

    @Test("An import file skips comments and blank lines and numbers commands by their first line")
    func importFile() throws {
        let text = """
        # seed 003: BDT
        
        trackctl agency add BDT --name "Ban Dân tộc tỉnh"
            # an indented comment
        \t
        plan create 860/KH-BDT --agency BDT \\
            --title "Kế hoạch 2023" \\
            --date 2023-03-15 --period 2023
        task add 860/KH-BDT --name "An toàn thông tin" --period 2023
        """
        let entries = try ImportFile.parse(text)
        #expect(entries.map(\.line) == [3, 6, 9])
        #expect(entries[0].command == .registerAgency(RegisterAgency(id: Sample.bdt, name: "Ban Dân tộc tỉnh")), "a leading trackctl is allowed")
        guard case .createPlan(let c) = entries[1].command else {
            Issue.record("not a plan: \(entries[1].command)")
            return
        }
        #expect(c.plan.title == "Kế hoạch 2023")
        #expect(c.plan.issued == Make.date("2023-03-15"))
        guard case .addTask(let t) = entries[2].command else { return }
        #expect(t.autoNumber)
    }

    @Test("A bad line is reported with its line number (the first line of a continued command)")
    func importFileErrorLine() {
        let text = """
        # header
        agency add BDT --name X

        plan create P1 --agency BDT \\
          --title T --date 2023-02-30 --period 2023
        """
        let error = Self.importError(text)
        #expect(error?.line == 4)
        #expect(error?.message == "plan create: '2023-02-30' is not a real day")
        #expect(error?.description == "line 4: plan create: '2023-02-30' is not a real day")
        let quote = Self.importError("agency add BDT --name X\n\nagency add VP --name \"unclosed\n")
        #expect(quote?.line == 3)
        #expect(quote?.message == "a \" quote is not closed")
        let unknown = Self.importError("agency add BDT --name X\nfrobnicate\n")
        #expect(unknown?.line == 2)
        #expect(unknown?.message.hasPrefix("unknown command 'frobnicate'") == true)
    }

    @Test("A file ending in a continuation backslash is refused")
    func importFileDanglingContinuation() {
        let error = Self.importError("agency add BDT --name X\nagency add VP \\")
        #expect(error?.line == 2)
        #expect(error?.message == "the last line ends with '\\' but nothing follows")
    }

    @Test("A line ending in an escaped backslash is not a continuation")
    func importFileEscapedBackslash() throws {
        let entries = try ImportFile.parse("agency add BDT --name X --note a\\\\\nagency add VP --name Y\n")
        #expect(entries.count == 2)
        guard case .registerAgency(let c) = entries[0].command else { return }
        #expect(c.note == "a\\")
    }

    @Test("An empty file and a file of comments hold no commands")
    func importFileEmpty() throws {
        #expect(try ImportFile.parse("").isEmpty)
        #expect(try ImportFile.parse("# nothing\n\n   \n# here").isEmpty)
    }

    @Test("An import file with Windows line endings (CRLF) reads like one with LF")
    func importFileCRLF() throws {
        let lf = "# comment\nagency add BDT --name \"Ban Dân tộc\"\n\nagency add VP-UBND --name \"Văn phòng\" \\\n  --note x\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let expected = try ImportFile.parse(lf)
        #expect(expected.count == 2)
        let entries = try ImportFile.parse(crlf)
        #expect(entries.map(\.line) == expected.map(\.line))
        #expect(entries.map(\.command) == expected.map(\.command))
    }

    // MARK: Wire JSON

    /// One command of every kind, in the forms that matter (optional fields given and not).
    static let wireCommands: [Command] = {
        var commands: [Command] = [
            .registerAgency(RegisterAgency(id: Sample.bdt, name: "Ban Dân tộc tỉnh Quảng Ngãi")),
            .registerAgency(RegisterAgency(id: Make.agency("SVHTTDL"), name: "Sở Văn hóa, \"Thể thao\" và Du lịch", note: "dòng 1\ndòng 2")),
            .createPlan(CreatePlan(PlanCreated(id: Sample.plan, agency: Sample.bdt, title: "Kế hoạch 2023", issued: Make.date("2021-08-27"),
                                               period: Make.years(2023, 2023)))),
            .createPlan(CreatePlan(PlanCreated(id: Make.plan("SVHTTDL-2021-2025"), agency: Make.agency("SVHTTDL"), title: "KH 2021–2025",
                                               issued: Make.date("2021-01-05"), period: Make.years(2021, 2025), note: "chi thường xuyên"))),
            .addTask(AddTask(TaskAdded(id: Sample.task1, name: "Hạ tầng", objective: "12 máy tính", period: Make.years(2023, 2025),
                                       total: Make.triệu(174), yearly: [YearAmount(year: 2023, amount: Make.triệu(78)), YearAmount(year: 2024, amount: .zero)],
                                       source: .nationalProgrammeInvestment, unit: "Văn phòng", due: Make.date("2025-06-30"), note: "mâu thuẫn"))),
            .addTask(AddTask(TaskAdded(id: TaskID(plan: Make.plan("BDT-2023"), number: 1), name: "Website", period: Make.years(2023, 2023),
                                       source: .unspecified), autoNumber: true)),
            .allocate(Allocate(FundsAllocated(decision: Sample.decision, signed: Make.date("2023-06-26"), fiscalYear: 2023, agency: Sample.bdt,
                                              lines: [AllocationLine(task: Sample.task1, amount: Make.triệu(100)),
                                                      AllocationLine(task: Sample.task2, amount: Money(dong: .max))], note: "phân bổ"))),
            .disburse(Disburse(task: Sample.task1, amount: Money(dong: 3_402_000), date: Make.date("2023-11-30"), ref: Make.ref("UNC-1"))),
            .disburse(Disburse(task: Sample.task1, decision: Sample.decision, amount: Money(dong: 1), date: Make.date("2023-11-30"),
                               ref: Make.ref("UNC-2"), note: "chưa giải ngân 0,162 triệu")),
            .reverse(Reverse(ref: Make.ref("UNC-1"), reason: "nhập nhầm")),
            .reverse(Reverse(ref: Make.ref("UNC-1"), reason: "nhập nhầm", date: Make.date("2023-12-01"))),
            .changeStatus(ChangeStatus(task: Sample.task1, to: .inProgress, date: Make.date("2023-10-01"), reason: "thi công")),
            .changeStatus(ChangeStatus(task: Sample.task1, to: .funded, date: Make.date("2023-10-02"), reason: "sửa", correction: true)),
        ]
        // And everything the command line produces for the sample.
        commands += Sample.commands()
        return commands
    }()

    @Test("Every command survives the wire: encodeFields, then Command(request:), gives it back", arguments: wireCommands)
    func wireRoundTrip(command: Command) throws {
        let object = try Self.requestObject(command)
        #expect(object["op"] == .string(command.operation))
        #expect(object["id"] == .int(7))
        #expect(Command.operations.contains(command.operation))
        #expect(try Command(request: object) == command)
    }

    @Test("Every command parsed from the command line survives the wire")
    func wireRoundTripFromCommandLine() throws {
        let lines = [
            #"agency add BDT --name "Ban Dân tộc" --note "ghi chú""#,
            #"plan create 860/KH-BDT --agency BDT --title "KH" --date 27/08/2021 --period 2023-2025"#,
            #"task add 860/KH-BDT#1 --name "Hạ tầng" --period 2023-2025 --total 174tr --yearly 2023=78tr --source mtqg --due 2025-06-30"#,
            #"task add BDT-2023 --name "Website" --period 2023"#,
            #"allocate 569/QĐ-UBND --agency BDT --year 2023 --date 26/6/2023 --line 860/KH-BDT#1=100tr --line 860/KH-BDT#2=300tr"#,
            #"disburse 860/KH-BDT#1 "3,402 triệu" --date 30/11/2023 --ref UNC-1 --decision 569/QĐ-UBND"#,
            #"reverse UNC-1 --reason "nhầm" --date 2023-12-01"#,
            #"task status 860/KH-BDT#1 contracted --date 2023-10-15 --reason "ký" --correction"#,
            #"carry-over 25/QĐ-UBND --from 569/QĐ-UBND --date 2024-01-15 --line 860/KH-BDT#2=250tr --note "HĐ ký trước 31/12""#,
            #"lapse 569/QĐ-UBND --date 2024-02-15 --reason "CV 123/STC" --task 860/KH-BDT#3"#,
            #"agency succeed STTTT --to SKHCN --to SVHTTDL --date 2025-03-01 --decision "QĐ 1/QĐ-UBND" --part KH-BCXB=SVHTTDL --part KH-1#2=SVHTTDL"#,
            #"task revise 860/KH-BDT#1 --ref "KH 9/KH-BDT" --date 2023-09-01 --reason "điều chỉnh" --total 150tr --yearly 2023=50tr --period 2023-2024 --cancel"#,
            #"year close 2024 --decision "QĐ 77/QĐ-UBND" --date 2025-06-30 --reopen --reason "sửa sai sót""#,
            #"province succeed KTM --to QNG --date 2025-07-01 --decision "Nghị quyết 202/2025/QH15""#,
            #"refund UNC-1 --date 2024-03-01 --reason "giấy nộp trả số 5" --amount 1tr"#,
            #"amend 901/QĐ-UBND --amends 569/QĐ-UBND --date 2023-10-01 --reason "điều chỉnh" --set 860/KH-BDT#1=120tr --withdraw 860/KH-BDT#2 --move 860/KH-BDT#3>860/KH-BDT#4=10tr --late-override "UBND tỉnh đồng ý""#,
            #"contract add 860/KH-BDT#1 --date 2023-10-31 --contractor "Trung tâm CNTT&TT" --value "95 triệu" --number 12/HĐ --procurement chi-dinh-thau --note "ghi chú""#,
            #"expect 860/KH-BDT#1 100% --by 2023-12-31 --date 2023-11-30 --decision 569/QĐ-UBND"#,
            #"expect 860/KH-BDT#2 "3,402 triệu" --by 2023-12-31 --date 2023-11-30"#,
            #"report issued disbursement --letter "CV 123/BDT-VP" --as-of 2023-11-30 --through-seq 65 --sha256 \#(String(repeating: "0a", count: 32)) --bytes 8274 --parameters '{"format":"html","lang":"vi"}'"#,
        ]
        var operations = Set<String>()
        for line in lines {
            let command = try Self.command(line)
            operations.insert(command.operation)
            #expect(try Command(request: Self.requestObject(command)) == command, "\(line)")
        }
        #expect(operations == Command.operations)
    }

    @Test("Money on the wire may be a Vietnamese amount in a string")
    func wireMoneyAsText() throws {
        let command = try Command(request: Self.request(#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":"3,402 triệu","date":"2023-11-30","ref":"UNC-1"}"#))
        #expect(command == .disburse(Disburse(task: Sample.task1, amount: Money(dong: 3_402_000), date: Make.date("2023-11-30"), ref: Make.ref("UNC-1"))))
    }

    @Test("Unknown fields are refused with bad_request, naming the field", arguments: [
        (#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","ammount":5,"amount":5,"date":"2023-11-30","ref":"R"}"#, "ammount"),
        (#"{"id":1,"op":"agency.register","agency":"BDT","name":"X","id2":1}"#, "id2"),
        (#"{"id":1,"op":"reverse","ref":"R","reason":"x","task":"860/KH-BDT#1"}"#, "task"),
        (#"{"id":1,"op":"task.status","task":"860/KH-BDT#1","to":"funded","date":"2023-11-30","reason":"x","corection":true}"#, "corection"),
        (#"{"id":1,"op":"plan.create","plan":"P","agency":"BDT","title":"T","issued":"2023-01-01","period":"2023","id2":1}"#, "id2"),
        (#"{"id":1,"op":"allocate","decision":"1/QĐ","signed":"2023-01-01","year":2023,"agency":"BDT","lines":[],"date":"x"}"#, "date"),
        (#"{"id":1,"op":"task.add","task":"P#1","name":"N","period":"2023","sources":"mtqg"}"#, "sources"),
    ] as [(String, String)])
    func unknownFields(json: String, field: String) throws {
        let error = try Self.requestError(json)
        #expect(error?.code == .badRequest)
        #expect(error?.message.hasPrefix("unknown field '\(field)' in ") == true, "\(error?.message ?? "no error")")
    }

    @Test("Fields of the wrong type are refused with bad_request, naming the field", arguments: [
        (#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":true,"date":"2023-11-30","ref":"R"}"#, "amount"),
        (#"{"id":1,"op":"disburse","task":5,"amount":5,"date":"2023-11-30","ref":"R"}"#, "task"),
        (#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":5,"date":20231130,"ref":"R"}"#, "date"),
        (#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":5,"date":"2023-11-30","ref":["R"]}"#, "ref"),
        (#"{"id":1,"op":"task.status","task":"860/KH-BDT#1","to":"funded","date":"2023-11-30","reason":"x","correction":"yes"}"#, "correction"),
        (#"{"id":1,"op":"allocate","decision":"1/QĐ","signed":"2023-01-01","year":"2023","agency":"BDT","lines":[]}"#, "year"),
        (#"{"id":1,"op":"allocate","decision":"1/QĐ","signed":"2023-01-01","year":2023,"agency":"BDT","lines":{}}"#, "lines"),
        (#"{"id":1,"op":"agency.register","agency":"BDT","name":null}"#, "name"),
        (#"{"id":1,"op":"task.add","task":"P#1","name":"N","period":"2023","yearly":[1]}"#, "yearly"),
        (#"{"id":1,"op":"reverse","ref":"R","reason":"x","date":1}"#, "date"),
    ] as [(String, String)])
    func wrongFieldTypes(json: String, field: String) throws {
        let error = try Self.requestError(json)
        #expect(error?.code == .badRequest, "\(error?.message ?? "no error")")
        #expect(error?.message.contains("'\(field)'") == true, "\(error?.message ?? "no error")")
    }

    @Test("Missing fields, a missing op and an unknown op are refused")
    func missingFieldsAndOps() throws {
        #expect(try Self.requestError(#"{"id":1,"op":"disburse","task":"860/KH-BDT#1","date":"2023-11-30","ref":"R"}"#)?.message == "field 'amount' is missing")
        #expect(try Self.requestError(#"{"id":1}"#)?.message == "field 'op' is missing")
        #expect(try Self.requestError(#"{"id":1,"op":"pay"}"#)?.code == .unknownOperation)
        #expect(try Self.requestError(#"{"id":1,"op":"allocate","decision":"1/QĐ","signed":"2023-01-01","year":2023,"agency":"BDT","lines":[5]}"#)?.code == .badRequest)
        #expect(try Self.requestError(#"{"id":1,"op":"task.add","task":"P#1","plan":"P","name":"N","period":"2023"}"#)?.code == .badRequest,
                "task and plan together")
        #expect(try Self.requestError(#"{"id":1,"op":"agency.register","agency":"BDT","name":"  "}"#)?.message == "field 'name' is empty")
    }

    @Test("Amounts past Int64 are refused with a message saying they do not fit", arguments: [
        #"{"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":9223372036854775808,"date":"2023-11-30","ref":"R"}"#,
        #"{"id":1,"op":"allocate","decision":"1/QĐ","signed":"2023-01-01","year":2023,"agency":"BDT","lines":[{"task":"P#1","amount":99999999999999999999}]}"#,
        #"{"id":1,"op":"task.add","task":"P#1","name":"N","period":"2023","total":18446744073709551616}"#,
        #"{"id":1,"op":"task.add","task":"P#1","name":"N","period":"2023","yearly":{"2023":9223372036854775808}}"#,
    ])
    func amountsPastInt64(json: String) throws {
        let error = try Self.requestError(json)
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("does not fit in 64 bits") == true, "\(error?.message ?? "no error")")
    }

    @Test("Negative, fractional and malformed amounts on the wire are refused with invalid_argument")
    func badWireAmounts() throws {
        let base = #"{"id":1,"op":"disburse","task":"860/KH-BDT#1","date":"2023-11-30","ref":"R","amount":"#
        #expect(try Self.requestError(base + "-5}")?.message == "field 'amount' must not be negative, got -5")
        #expect(try Self.requestError(base + "1.5}")?.message == "field 'amount' must be whole đồng, got 1.5")
        #expect(try Self.requestError(base + "1e3}")?.code == .invalidArgument)
        #expect(try Self.requestError(base + "\"1,5\"}")?.code == .invalidArgument)
        #expect(try Self.requestError(base + "\"-5 triệu\"}")?.code == .invalidArgument)
    }
}

extension Command: CustomTestStringConvertible {
    public var testDescription: String {
        var w = JSONWriter()
        w.beginObject()
        encodeFields(to: &w)
        w.endObject()
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
