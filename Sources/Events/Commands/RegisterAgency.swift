/// Register an agency (`agency add BDT --name …`, `agency.register`).
public struct RegisterAgency: CommandDefinition {
    public var id: AgencyID
    public var name: String
    public var note: String?
    /// Its province; the store's (`[store] province`) when nil.
    public var province: String?
    public init(id: AgencyID, name: String, note: String? = nil, province: String? = nil) {
        self.id = id
        self.name = name
        self.note = note
        self.province = province
    }

    public static let operation = WireOperation.registerAgency
    public var command: Command { .registerAgency(self) }

    public static let spec = CommandSpec(["agency", "add"], summary: "Register an agency (cơ quan).",
        positionals: [PositionalSpec("AGENCY", "Short id, e.g. BDT")],
        options: [.value("name", "NAME", "Full name, e.g. \"Ban Dân tộc tỉnh Quảng Ngãi\".", required: true),
                  .value("province", "CODE", "Its province's code, e.g. KTM (default: the store's, [store] province in trackerd's configuration)."),
                  CommandSyntax.noteOption])

    public init(arguments args: ParsedArguments) throws(TrackerError) {
        self.init(id: try AgencyID(args.positionals[0]), name: try args.requiredText("name"), note: args.text("note"),
                  province: try args.optional("province") { (text) throws(TrackerError) in try ProvinceCode.check(text) })
    }

    public init(request: JSONObject) throws(TrackerError) {
        try Self.allowOnly(["agency", "name", "note", "province"], in: request)
        self.init(id: try AgencyID(request.string("agency")), name: try request.text("name"), note: try request.optionalText("note"),
                  province: try request.optionalString("province").map { (text) throws(TrackerError) in try ProvinceCode.check(text) })
    }

    public func encodeFields(to w: inout JSONWriter) {
        w.key("agency"); w.string(id.text)
        w.key("name"); w.string(name)
        w.optional("note", note)
        w.optional("province", province)
    }
}
