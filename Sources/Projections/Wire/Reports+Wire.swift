import Events

// JSON forms of the reports: written by trackerd, read back by trackctl. Money is whole đồng
// (integer), rates are percent numbers (1.341) or null, dates are ISO (2023-11-30).

extension JSONWriter {
    mutating func money(_ name: StaticString, _ value: Money?) {
        key(name)
        if let value { int(value.dong) } else { null() }
    }

    mutating func rate(_ name: StaticString, _ value: Rate?) {
        key(name)
        guard let value else { return null() }
        milliDecimal(value.milliPercent)
    }
}

extension JSONObject {
    func optionalMoneyValue(_ key: String) throws(TrackerError) -> Money? {
        guard let value = self[key], value != .null else { return nil }
        guard case .int(let dong) = value else { throw TrackerError(.badRequest, "field '\(key)' must be whole đồng") }
        return Money(dong: dong)
    }

    func optionalRate(_ key: String) throws(TrackerError) -> Rate? {
        guard let value = self[key], value != .null else { return nil }
        let text: String
        switch value {
        case .int(let whole): return Rate(milliPercent: whole * 1000)
        case .number(let number): text = number
        default: throw TrackerError(.badRequest, "field '\(key)' must be a percent number")
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let whole = Int64(parts[0]), parts[1].count <= 3, let fraction = Int64(parts[1].padding(toLength: 3, withPad: "0", startingAt: 0)) else {
            throw TrackerError(.badRequest, "field '\(key)' must be a percent with at most three decimals")
        }
        return Rate(milliPercent: whole * 1000 + (whole < 0 || text.hasPrefix("-") ? -fraction : fraction))
    }

    func moneyValue(_ key: String) throws(TrackerError) -> Money {
        guard let money = try optionalMoneyValue(key) else { throw TrackerError(.badRequest, "field '\(key)' is missing") }
        return money
    }
}

extension StatusRow {
    /// Writes the row as a JSON object.
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        encodeIdentity(to: &w)
        encodeFigures(to: &w)
        w.endObject()
    }

    /// Writes the row using `prefix` for its identity members (what `identityBytes` gave for it):
    /// a line's identity never changes, so a cache of it spares most of the encoding.
    public func encode(to w: inout JSONWriter, identity prefix: [UInt8]) {
        w.beginObject()
        w.raw(prefix)
        encodeFigures(to: &w)
        w.endObject()
    }

    /// The members that say what the row is (key, label, agency, decision, task, year, dates), as
    /// bytes for `encode(to:identity:)`.
    public var identityBytes: [UInt8] {
        var w = JSONWriter(capacity: 256)
        encodeIdentity(to: &w)
        return w.bytes
    }

    private func encodeIdentity(to w: inout JSONWriter) {
        w.key("key"); w.string(key)
        w.key("label"); w.string(label)
        if let agency { w.key("agency"); w.string(agency) }
        if let decision { w.key("decision"); w.string(decision) }
        if let task { w.key("task"); w.string(task) }
        if let fiscalYear { w.key("year"); w.int(fiscalYear) }
        if let signed { w.key("signed"); w.date(signed) }
        if let carriedFrom { w.key("carried_from"); w.string(carriedFrom) }
        if let after = allocatedAfterSeptember { w.key("allocated_after_30_09"); w.bool(after) }
    }

    private func encodeFigures(to w: inout JSONWriter) {
        w.money("planned", planned)
        w.money("allocated", allocated)
        w.money("disbursed", disbursed)
        w.money("carried_out", carriedOut)
        w.money("lapsed", lapsed)
        w.money("remaining", remaining)
        w.rate("rate_allocated", rateOfAllocation)
        w.rate("rate_planned", rateOfPlan)
        w.key("lines"); w.int(lineCount)
        if let daysLeft { w.key("days_left"); w.int(daysLeft) }
        if let expected {
            w.rate("expected_rate", expected)
            w.key("behind_straight_line"); w.bool(behindStraightLine ?? false)
        }
        if let belowAverage { w.key("below_average"); w.bool(belowAverage) }
    }

    /// Reads a row written by `encode`.
    public init(json: JSONObject) throws(TrackerError) {
        self.init(key: try json.string("key"), label: try json.string("label"), agency: try json.optionalString("agency"),
                  decision: try json.optionalString("decision"), task: try json.optionalString("task"),
                  fiscalYear: try json.optionalInt("year").map { Int($0) }, signed: try json.optionalDate("signed"),
                  carriedFrom: try json.optionalString("carried_from"),
                  planned: try json.optionalMoneyValue("planned"), allocated: try json.moneyValue("allocated"),
                  disbursed: try json.moneyValue("disbursed"), carriedOut: try json.moneyValue("carried_out"),
                  lapsed: try json.moneyValue("lapsed"), remaining: try json.moneyValue("remaining"),
                  lineCount: Int(try json.int("lines")), daysLeft: try json.optionalInt("days_left").map { Int($0) },
                  expected: try json.optionalRate("expected_rate"), belowAverage: json["below_average"].flatMap { value in
                      if case .bool(let flag) = value { return flag }
                      return nil
                  })
    }
}

extension StatusReport {
    /// Writes the report's members into an open result object; `identities` may supply cached
    /// identity bytes for line rows (see `StatusRow.encode(to:identity:)`).
    public func encode(to w: inout JSONWriter, identities: ((StatusRow) -> [UInt8]?)? = nil) {
        func write(_ row: StatusRow) {
            if let identity = identities?(row) { row.encode(to: &w, identity: identity) } else { row.encode(to: &w) }
        }
        w.key("as_of"); w.date(asOf)
        w.key("through_seq"); w.int(Int64(throughSeq))
        w.key("by"); w.string(grouping.rawValue)
        if let agency { w.key("agency"); w.string(agency) }
        if let plan { w.key("plan"); w.string(plan) }
        if let year { w.key("year"); w.int(year) }
        w.key("rows")
        w.beginArray()
        for row in rows { write(row) }
        w.endArray()
        w.key("total")
        total.encode(to: &w)
        w.key("carried_rows")
        w.beginArray()
        for row in carriedRows { write(row) }
        w.endArray()
        w.key("carried_total")
        carriedTotal.encode(to: &w)
    }

    /// Reads a report written by `encode`.
    public init(json: JSONObject) throws(TrackerError) {
        func rows(_ key: String) throws(TrackerError) -> [StatusRow] {
            var rows: [StatusRow] = []
            for value in try json.array(key) {
                guard case .object(let object) = value else { throw TrackerError(.badRequest, "a status row is not an object") }
                rows.append(try StatusRow(json: object))
            }
            return rows
        }
        guard let grouping = StatusGrouping(rawValue: try json.string("by")) else { throw TrackerError(.badRequest, "unknown grouping") }
        self.init(asOf: try json.date("as_of"), throughSeq: UInt64(try json.int("through_seq")), grouping: grouping,
                  agency: try json.optionalString("agency"), plan: try json.optionalString("plan"),
                  year: try json.optionalInt("year").map { Int($0) }, rows: try rows("rows"), total: try StatusRow(json: json.object("total")),
                  carriedRows: try rows("carried_rows"), carriedTotal: try StatusRow(json: json.object("carried_total")))
    }
}

extension TaskStanding {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("task"); w.string(task)
        w.key("name"); w.string(name)
        w.key("agency"); w.string(agency)
        w.key("plan"); w.string(plan)
        w.key("status"); w.string(status.rawValue)
        w.key("status_date"); w.date(statusDate)
        w.key("deadline"); w.date(deadline)
        w.key("outcome"); w.string(outcome.rawValue)
        if let daysLate { w.key("days_late"); w.int(daysLate) }
        w.money("allocated", allocated)
        w.money("disbursed", disbursed)
        if let unit { w.key("unit"); w.string(unit) }
        w.endObject()
    }

    public init(json: JSONObject) throws(TrackerError) {
        guard let outcome = TaskOutcome(rawValue: try json.string("outcome")) else { throw TrackerError(.badRequest, "unknown outcome") }
        self.init(task: try json.string("task"), name: try json.string("name"), agency: try json.string("agency"), plan: try json.string("plan"),
                  status: try TaskStatus.parse(json.string("status")), statusDate: try json.date("status_date"),
                  deadline: try json.date("deadline"), outcome: outcome, daysLate: try json.optionalInt("days_late").map { Int($0) },
                  allocated: try json.moneyValue("allocated"), disbursed: try json.moneyValue("disbursed"), unit: try json.optionalString("unit"))
    }
}

extension TaskReport {
    public func encode(to w: inout JSONWriter) {
        w.key("as_of"); w.date(asOf)
        w.key("through_seq"); w.int(Int64(throughSeq))
        w.key("tasks")
        w.beginArray()
        for task in tasks { task.encode(to: &w) }
        w.endArray()
        w.key("counts")
        w.beginObject()
        let counts = self.counts
        for outcome in TaskOutcome.allCases { w.key(outcome.rawValue); w.int(counts[outcome] ?? 0) }
        w.endObject()
    }

    public init(json: JSONObject) throws(TrackerError) {
        var tasks: [TaskStanding] = []
        for value in try json.array("tasks") {
            guard case .object(let object) = value else { throw TrackerError(.badRequest, "a task is not an object") }
            tasks.append(try TaskStanding(json: object))
        }
        self.init(asOf: try json.date("as_of"), throughSeq: UInt64(try json.int("through_seq")), tasks: tasks)
    }
}

extension PlanSummary {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.string(id)
        w.key("agency"); w.string(agency)
        w.key("title"); w.string(title)
        w.key("issued"); w.date(issued)
        w.key("period"); w.string(period)
        w.key("tasks"); w.int(taskCount)
        w.money("planned", planned)
        if let note { w.key("note"); w.string(note) }
        w.endObject()
    }

    public init(json: JSONObject) throws(TrackerError) {
        self.init(id: try json.string("id"), agency: try json.string("agency"), title: try json.string("title"),
                  issued: try json.date("issued"), period: try json.string("period"), taskCount: Int(try json.int("tasks")),
                  planned: try json.optionalMoneyValue("planned"), note: try json.optionalString("note"))
    }
}

extension Ledger.RaisedAlert {
    /// Writes the alert as a JSON object: its body with `seq`, `time` and a readable `message`.
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("seq"); w.int(Int64(seq))
        w.key("time"); w.string(time.description)
        w.key("message"); w.string(alert.sentence)
        w.key("alert")
        alert.encode(to: &w)
        w.endObject()
    }

    /// Reads an alert written by `encode`.
    public init(json: JSONObject) throws(TrackerError) {
        let timeText = try json.string("time")
        guard let time = Array(timeText.utf8).withUnsafeBytes({ Timestamp.parseRecordTime($0) }) else {
            throw TrackerError(.badRequest, "bad alert time '\(timeText)'")
        }
        self.init(alert: try AlertRaised(body: json.object("alert"), version: AlertRaised.version), seq: UInt64(try json.int("seq")), time: time)
    }
}
