/// A carry-over decision (chuyển nguồn): unspent money of one budget year moved to the next, as new
/// allocation lines of its own, each linked to the line it came from.
///
/// Version 2 adds its legal ground (`ground`, the class of money; `law`, the law and article that
/// allowed it for the budget year) and `override` (who confirmed what the tracker cannot check).
/// Records of version 1 have none: their ground, if any, is in their note.
public struct FundsCarriedOver: EventBody {
    public static let type = "funds.carried_over"
    /// 3: its decisions in their long form, `569/QĐ-UBND@QNG/2023` (`DocumentKey`); an older record may name a
    /// number alone, resolved when read (`DecisionNumbers.canonical`).
    public static let version = 3

    /// The carry-over decision's number; the new lines are under it.
    public var decision: DecisionRef
    /// The signing date.
    public var signed: BusinessDate
    /// The decision the money comes from.
    public var from: DecisionRef
    /// The budget year the money moves to (the original's year + 1).
    public var fiscalYear: Int
    /// The recipient agency (the original decision's).
    public var agency: AgencyID
    /// One line per task: how much of its original line moves.
    public var lines: [AllocationLine]
    /// The class of money carried over (v2; nil when none was given, and in version 1).
    public var ground: CarryOverGround?
    /// The law and article whose list allowed the class for the money's budget year ("Law
    /// 89/2025/QH15, Điều 66.3"), from the configuration when it was recorded; nil without a ground.
    public var law: String?
    /// Who confirmed what the tracker cannot check, and on what, with the user who gave it.
    public var override: Override?

    /// An override of a carry-over: its text and the user who recorded it.
    public struct Override: Sendable, Equatable {
        /// Who decided and on what (a finance agency's letter, a contract's number).
        public var text: String
        /// The user who gave it (the record's actor).
        public var by: String
        public var uid: UInt32
        public init(text: String, by actor: Actor) {
            self.text = text
            by = actor.name
            uid = actor.uid
        }
    }
    /// Free remarks.
    public var note: String?

    public init(decision: DecisionRef, signed: BusinessDate, from: DecisionRef, fiscalYear: Int, agency: AgencyID,
                lines: [AllocationLine], ground: CarryOverGround? = nil, law: String? = nil, override: Override? = nil, note: String? = nil) {
        self.decision = decision
        self.signed = signed
        self.from = from
        self.fiscalYear = fiscalYear
        self.agency = agency
        self.lines = lines
        self.ground = ground
        self.law = law
        self.override = override
        self.note = note
    }

    /// The sum of the lines.
    public var total: Money { lines.reduce(Money.zero) { $0 + $1.amount } }

    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("decision"); w.string(decision.text)
        w.key("signed"); w.string(signed.description)
        w.key("from"); w.string(from.text)
        w.key("year"); w.int(fiscalYear)
        w.key("agency"); w.string(agency.text)
        w.key("lines")
        AllocationLine.encode(lines, to: &w)
        w.optional("ground", ground?.rawValue)
        w.optional("law", law)
        if let override {
            w.key("override")
            w.beginObject()
            w.key("text"); w.string(override.text)
            w.key("by"); w.string(override.by)
            w.key("uid"); w.int(Int64(override.uid))
            w.endObject()
        }
        w.optional("note", note)
        w.endObject()
    }

    public init(body: JSONObject, version: Int, ids: inout IdentifierReader) throws(TrackerError) {
        decision = try ids.decision(body.string("decision"))
        signed = try body.date("signed")
        from = try ids.decision(body.string("from"))
        fiscalYear = try body.fiscalYear("year")
        agency = try ids.agency(body.string("agency"))
        lines = try AllocationLine.list(from: body.array("lines"), ids: &ids)
        if version >= 2 {
            ground = try body.optionalString("ground").map { (name) throws(TrackerError) in
                guard let ground = CarryOverGround(rawValue: name) else { throw TrackerError(.corrupt, "unknown carry-over class '\(name)'") }
                return ground
            }
            law = try body.optionalText("law")
            if let object = try body.optionalObject("override") {
                try object.rejectUnknownKeys(["text", "by", "uid"], in: "'override'")
                let uid = try object.int("uid")
                guard let uid = UInt32(exactly: uid) else { throw TrackerError(.corrupt, "a carry-over override's uid \(uid) is not a uid") }
                override = Override(text: try object.text("text"), by: Actor(uid: uid, name: try object.text("by")))
            } else {
                override = nil
            }
            guard (ground == nil) == (law == nil) else { throw TrackerError(.corrupt, "a carry-over's class and law come together") }
        } else {
            ground = nil
            law = nil
            override = nil
        }
        note = try body.optionalText("note")
    }
}
