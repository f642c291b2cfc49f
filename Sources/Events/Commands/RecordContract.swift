/// Record a contract for a task (`contract add TASK --date … [--contractor …] [--value …]`,
/// `contract.record`): the contractor, the date, the value, the number and how the contractor
/// was chosen, as the agency reports them.
public struct RecordContract: CommandDefinition {
    public var contract: ContractSigned
    public init(contract: ContractSigned) { self.contract = contract }

    public static let operation = WireOperation.recordContract
    public var command: Command { .recordContract(self) }

    public static let spec = CommandSpec(["contract", "add"], summary: "Record a contract for a task: contractor, date, value (hợp đồng).",
        positionals: [PositionalSpec("TASK", "The task the contract is for, e.g. 860/KH-BDT#1")],
        options: [.value("date", "DATE", "The day the contract was signed (or the procurement step was finished).", required: true),
                  .value("contractor", "NAME", "The contractor (nhà thầu, đơn vị thực hiện)."),
                  .value("value", "AMOUNT", "The contract's value: 95 triệu, 95000000."),
                  .value("number", "NUMBER", "The contract's number (số hợp đồng)."),
                  .value("procurement", "STEP", "How the contractor was chosen: chi-dinh-thau, dau-thau, or the document's words."),
                  CommandSyntax.noteOption],
        discussion: "Reports show the contract beside the task's allocation lines. The same contract sent again records nothing twice; another contract of the same task on the same day with the same contractor is refused as a conflict.")

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        self.init(contract: ContractSigned(task: try TaskID(args.positionals[0]), contractor: args.text("contractor"),
                                           date: try BusinessDate.parse(args.required("date")),
                                           value: try args.optional("value") { (text) throws(TrackerError) in try ParsedArguments.money(text) },
                                           number: args.text("number"), procurement: args.text("procurement"), note: args.text("note")))
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["task", "contractor", "date", "value", "number", "procurement", "note"], in: request)
        self.init(contract: ContractSigned(task: try TaskID(request.string("task")), contractor: try request.optionalText("contractor"),
                                           date: try request.date("date"), value: try request.optionalMoney("value"),
                                           number: try request.optionalText("number"), procurement: try request.optionalText("procurement"),
                                           note: try request.optionalText("note")))
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("task"); w.string(contract.task.description)
        w.optional("contractor", contract.contractor)
        w.key("date"); w.string(contract.date.description)
        if let value = contract.value { w.key("value"); w.int(value.dong) }
        w.optional("number", contract.number)
        w.optional("procurement", contract.procurement)
        w.optional("note", contract.note)
    }
}
