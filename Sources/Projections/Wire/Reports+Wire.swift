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

    /// The row as JSON bytes, for a cache of encoded rows (see `StatusReport.encode(to:from:maxBytes:cached:)`).
    public var encoded: [UInt8] {
        var w = JSONWriter(capacity: 512)
        encode(to: &w)
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
        if let plannedNotSplit { w.money("planned_not_split", plannedNotSplit) }
        w.money("allocated", allocated)
        w.money("disbursed", disbursed)
        w.money("carried_out", carriedOut)
        w.money("lapsed", lapsed)
        w.money("returned", returned)
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
}

extension StatusReport {
    /// Writes the report's members into an open result object; `cached` may supply the bytes of
    /// the row at a position (what `StatusRow.encoded` gave for the same row before).
    public func encode(to w: inout JSONWriter, cached: ((_ position: Int, StatusRow) -> [UInt8]?)? = nil) {
        _ = encode(to: &w, from: 0, maxBytes: .max, cached: cached)
    }

    /// Writes one page of the report: every member, the totals over the whole scope, and the rows
    /// from `first` on (the year's own rows, then the carried-over rows, counted as one sequence)
    /// while `w` stays within `maxBytes` (at least one row, however large). Returns the first row
    /// left for the next page, or nil when the page reaches the last row. `cached` is given each
    /// row with its position in that sequence.
    public func encode(to w: inout JSONWriter, from first: Int, maxBytes: Int, cached: ((_ position: Int, StatusRow) -> [UInt8]?)? = nil) -> Int? {
        var written = 0
        var full = false
        var next = max(0, first)
        /// Writes `row` (at position `next`) unless the page is full.
        func write(_ row: StatusRow) -> Bool {
            let bytes = cached?(next, row) ?? row.encoded
            if written > 0 && w.bytes.count + bytes.count > maxBytes {
                full = true
                return false
            }
            w.raw(bytes)
            written += 1
            return true
        }
        w.key("as_of"); w.date(asOf)
        w.key("through_seq"); w.int(Int64(throughSeq))
        w.key("by"); w.string(grouping.rawValue)
        if let agency { w.key("agency"); w.string(agency) }
        if let plan { w.key("plan"); w.string(plan) }
        if let year { w.key("year"); w.int(year) }
        w.key("rows")
        w.beginArray()
        // Rows read in place, not copied out of the array.
        rows.withUnsafeBufferPointer { rows in
            while next < rows.count && write(rows[next]) { next += 1 }
        }
        w.endArray()
        w.key("total")
        total.encode(to: &w)
        w.key("carried_rows")
        w.beginArray()
        carriedRows.withUnsafeBufferPointer { carriedRows in
            while !full && next - rows.count < carriedRows.count && write(carriedRows[next - rows.count]) { next += 1 }
        }
        w.endArray()
        w.key("carried_total")
        carriedTotal.encode(to: &w)
        return next < rows.count + carriedRows.count ? next : nil
    }
}

extension StatusRow {
    /// Reads a row written by `encode`, member by member (see `JSONReader`). Members derived from
    /// others (`behind_straight_line`, `allocated_after_30_09`, the rates) and unknown ones are
    /// passed over.
    public init(reading r: inout JSONReader) throws(JSONParseError) {
        let start = r.offset
        var key: String?, label: String?, agency: String?, decision: String?, task: String?, carriedFrom: String?
        var fiscalYear: Int?, signed: BusinessDate?, planned: Money?, daysLeft: Int?, expected: Rate?, belowAverage: Bool?
        var allocated: Money?, disbursed: Money?, carriedOut: Money?, lapsed: Money?, returned: Money?, remaining: Money?, lines: Int?
        var plannedNotSplit: Money?
        func money(_ r: inout JSONReader) throws(JSONParseError) -> Money? { try r.optionalInt().map { Money(dong: $0) } }
        try r.beginObject()
        while let name = try r.nextKey() {
            if name.is("key") { key = try r.string() }
            else if name.is("label") { label = try r.string() }
            else if name.is("agency") { agency = try r.optionalString() }
            else if name.is("decision") { decision = try r.optionalString() }
            else if name.is("task") { task = try r.optionalString() }
            else if name.is("year") { fiscalYear = try r.optionalInt().map { Int($0) } }
            else if name.is("signed") {
                let at = r.offset
                if let text = try r.optionalString() {
                    guard let date = try? BusinessDate.parse(text) else { throw JSONParseError(message: "'signed' is not a date", offset: at) }
                    signed = date
                }
            }
            else if name.is("carried_from") { carriedFrom = try r.optionalString() }
            else if name.is("planned") { planned = try money(&r) }
            else if name.is("planned_not_split") { plannedNotSplit = try money(&r) }
            else if name.is("returned") { returned = try money(&r) }
            else if name.is("allocated") { allocated = try money(&r) }
            else if name.is("disbursed") { disbursed = try money(&r) }
            else if name.is("carried_out") { carriedOut = try money(&r) }
            else if name.is("lapsed") { lapsed = try money(&r) }
            else if name.is("remaining") { remaining = try money(&r) }
            else if name.is("lines") { lines = Int(try r.int()) }
            else if name.is("days_left") { daysLeft = try r.optionalInt().map { Int($0) } }
            else if name.is("expected_rate") { expected = try r.readNull() ? nil : Rate(milliPercent: try r.milliDecimal()) }
            else if name.is("below_average") { belowAverage = try r.readNull() ? nil : try r.bool() }
            else { try r.skip() }
        }
        guard let key, let label, let allocated, let disbursed, let remaining, let lines else {
            throw JSONParseError(message: "a status row without its key, label, allocated, disbursed, remaining or lines", offset: start)
        }
        self.init(key: key, label: label, agency: agency, decision: decision, task: task, fiscalYear: fiscalYear, signed: signed,
                  carriedFrom: carriedFrom, planned: planned, plannedNotSplit: plannedNotSplit, allocated: allocated, disbursed: disbursed,
                  carriedOut: carriedOut ?? .zero, lapsed: lapsed ?? .zero, returned: returned ?? .zero, remaining: remaining, lineCount: lines, daysLeft: daysLeft, expected: expected,
                  belowAverage: belowAverage)
    }
}

extension StatusReport {
    /// Reads a status result object (what `encode` wrote, with the head and clock members the
    /// daemon adds), member by member; members it does not know go to `others`.
    public init(reading r: inout JSONReader, others: inout JSONObject) throws(JSONParseError) {
        let start = r.offset
        var asOf: BusinessDate?, throughSeq: UInt64?, grouping: StatusGrouping?, agency: String?, plan: String?, year: Int?
        var rows: [StatusRow] = [], carriedRows: [StatusRow] = [], total: StatusRow?, carriedTotal: StatusRow?
        func rowArray(_ r: inout JSONReader) throws(JSONParseError) -> [StatusRow] {
            var rows: [StatusRow] = []
            try r.beginArray()
            while try r.nextElement() { rows.append(try StatusRow(reading: &r)) }
            return rows
        }
        try r.beginObject()
        while let name = try r.nextKey() {
            if name.is("as_of") {
                let at = r.offset
                guard let date = try? BusinessDate.parse(try r.string()) else { throw JSONParseError(message: "'as_of' is not a date", offset: at) }
                asOf = date
            }
            else if name.is("through_seq") { throughSeq = UInt64(clamping: try r.int()) }
            else if name.is("by") {
                let at = r.offset
                guard let value = StatusGrouping(rawValue: try r.string()) else { throw JSONParseError(message: "unknown grouping", offset: at) }
                grouping = value
            }
            else if name.is("agency") { agency = try r.optionalString() }
            else if name.is("plan") { plan = try r.optionalString() }
            else if name.is("year") { year = try r.optionalInt().map { Int($0) } }
            else if name.is("rows") { rows = try rowArray(&r) }
            else if name.is("carried_rows") { carriedRows = try rowArray(&r) }
            else if name.is("total") { total = try StatusRow(reading: &r) }
            else if name.is("carried_total") { carriedTotal = try StatusRow(reading: &r) }
            else { others[name.description] = try r.value() }
        }
        guard let asOf, let throughSeq, let grouping, let total else {
            throw JSONParseError(message: "a status answer without as_of, through_seq, by or total", offset: start)
        }
        self.init(asOf: asOf, throughSeq: throughSeq, grouping: grouping, agency: agency, plan: plan, year: year,
                  rows: rows, total: total, carriedRows: carriedRows, carriedTotal: carriedTotal)
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
