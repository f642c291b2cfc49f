import Events

/// The wire protocol shared by `trackerd` and `trackctl` (and any client: `socat`, a script).
///
/// Newline-delimited JSON over a Unix socket; one request line, one response line:
///
///     → {"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":"3,402 triệu","date":"2023-11-30","ref":"UNC-1"}
///     ← {"id":1,"ok":true,"result":{…}}
///     ← {"id":1,"ok":false,"error":{"code":"exceeds_allocation","message":"…","details":{…}}}
///
/// `alerts.follow` answers once, then streams `{"id":…,"stream":"alert","alert":{…}}` lines until
/// the client leaves. docs/architecture.md lists every operation, field and error code.
public enum Wire {
    /// Protocol version, sent by `hello`.
    public static let protocolVersion = 1

    /// Operations that only read.
    public static let queryOperations: Set<String> = ["hello", "status", "tasks", "overdue", "plans", "log", "verify", "head",
                                                      "alerts", "alerts.follow"]
    /// Operations that change the books: the commands plus `import` (a batch, all or nothing).
    public static let commandOperations: Set<String> = Command.operations.union(["import"])
    /// Operations for the operator: a consistent copy of the live store, the simulated clock.
    public static let adminOperations: Set<String> = ["backup", "clock.set"]

    /// Every operation the daemon knows.
    public static let operations: Set<String> = queryOperations.union(commandOperations).union(adminOperations)

    /// A parsed request line: its id (echoed back verbatim), operation and fields.
    public struct Request: Sendable {
        /// The client's id, any JSON value (number or string), echoed in the response; null if absent.
        public var id: JSONValue
        public var op: String
        public var fields: JSONObject

        /// Parses a request line. Throws `bad_request` for anything that is not a JSON object with an `op`.
        public static func parse(_ line: UnsafeRawBufferPointer, maxDepth: Int = 16) throws(TrackerError) -> Request {
            let value: JSONValue
            do { value = try JSONParser(maxDepth: maxDepth).parse(line) } catch {
                throw TrackerError(.badRequest, "the request is not valid JSON: \(error)")
            }
            guard case .object(let object) = value else {
                throw TrackerError(.badRequest, "a request must be a JSON object like {\"id\":1,\"op\":\"status\"}")
            }
            let id = object["id"] ?? .null
            switch id {
            case .null, .int, .string: break
            default: throw TrackerError(.badRequest, "field 'id' must be a number or a string")
            }
            guard let opValue = object["op"] else { throw TrackerError(.badRequest, "field 'op' is missing (the operation, e.g. \"status\")") }
            guard case .string(let op) = opValue else { throw TrackerError(.badRequest, "field 'op' must be a string") }
            return Request(id: id, op: op, fields: object)
        }

        public init(id: JSONValue, op: String, fields: JSONObject) {
            self.id = id
            self.op = op
            self.fields = fields
        }
    }

    /// Writes a success response line (with newline); `result` writes the result object's members
    /// (and may throw, for an answer read from the log as it is written).
    /// `capacity` is room reserved up front (large answers are then written without regrowing).
    public static func success<E: Error>(id: JSONValue, capacity: Int = 256, _ result: (inout JSONWriter) throws(E) -> Void) throws(E) -> [UInt8] {
        var w = JSONWriter(capacity: capacity)
        w.beginObject()
        w.key("id"); w.value(id)
        w.key("ok"); w.bool(true)
        w.key("result")
        w.beginObject()
        try result(&w)
        w.endObject()
        w.endObject()
        w.bytes.append(0x0A)
        return w.bytes
    }

    /// Writes an error response line (with newline).
    public static func failure(id: JSONValue, _ error: TrackerError) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("id"); w.value(id)
        w.key("ok"); w.bool(false)
        w.key("error")
        w.beginObject()
        w.key("code"); w.string(error.code.rawValue)
        w.key("message"); w.string(error.message)
        if let details = error.details { w.key("details"); w.value(.object(details)) }
        w.endObject()
        w.endObject()
        w.bytes.append(0x0A)
        return w.bytes
    }

    /// A parsed response line, on the client side.
    public struct Response: Sendable {
        public var id: JSONValue
        /// The result object on success.
        public var result: JSONObject?
        /// The error on failure.
        public var error: TrackerError?
        /// For streamed lines: the stream name ("alert") and its object.
        public var stream: (name: String, object: JSONObject)?

        /// Reads a response line whose result `read` takes straight from the bytes (no JSON tree:
        /// for large answers); a refusal is thrown as the daemon's error.
        public static func read<T>(_ line: [UInt8], result read: (inout JSONReader) throws(JSONParseError) -> T) throws(TrackerError) -> T {
            let outcome: ReadOutcome<T>
            do throws(JSONParseError) {
                outcome = try line.withBytes { (raw) throws(JSONParseError) -> ReadOutcome<T> in
                    var reader = JSONReader(raw)
                    var ok: Bool? = nil
                    var value: T? = nil
                    var later: UnsafeRawBufferPointer? = nil
                    var error: JSONValue? = nil
                    try reader.beginObject()
                    while let key = try reader.nextKey() {
                        if key.is("ok") { ok = try reader.bool() }
                        else if key.is("result") {
                            // trackerd writes `ok` first; a result before it is read once `ok` is known.
                            if ok == true { value = try read(&reader) } else { later = try reader.skip() }
                        }
                        else if key.is("error") { error = try reader.value() }
                        else { try reader.skip() }
                    }
                    try reader.end()
                    if ok == false, case .object(let object)? = error { return .refused(object) }
                    if ok == true, let later {
                        var resultReader = JSONReader(later)
                        value = try read(&resultReader)
                        try resultReader.end()
                    }
                    guard ok == true, let value else { throw reader.error("a response without ok and its result or error") }
                    return .value(value)
                }
            } catch {
                throw TrackerError(.badRequest, "the daemon's response is not valid JSON: \(error)")
            }
            switch outcome {
            case .value(let value): return value
            case .refused(let object): throw try refusal(object)
            }
        }

        /// The daemon's error object as an error.
        private static func refusal(_ error: JSONObject) throws(TrackerError) -> TrackerError {
            let code = TrackerError.Code(rawValue: try error.string("code")) ?? .internal
            return TrackerError(code, try error.string("message"), details: try error.optionalObject("details"))
        }

        /// Parses a response line.
        public static func parse(_ line: [UInt8]) throws(TrackerError) -> Response {
            let value: JSONValue
            do { value = try JSONParser(maxDepth: 64).parse(line) } catch {
                throw TrackerError(.badRequest, "the daemon's response is not valid JSON: \(error)")
            }
            guard case .object(let object) = value else { throw TrackerError(.badRequest, "the daemon's response is not an object") }
            let id = object["id"] ?? .null
            if let name = try object.optionalString("stream") {
                return Response(id: id, result: nil, error: nil, stream: (name, try object.object(name)))
            }
            if try object.bool("ok") {
                return Response(id: id, result: try object.object("result"), error: nil, stream: nil)
            }
            return Response(id: id, result: nil, error: try refusal(try object.object("error")), stream: nil)
        }
    }
}

/// Query parameters as they travel: `as_of`, `known_at`, `agency`, `plan`, `year`, `by`, `search`.
public struct QueryParameters: Sendable, Equatable {
    /// The business date (default: today by the daemon's clock).
    public var asOf: BusinessDate?
    /// Only records recorded by this time.
    public var knownAt: Timestamp?
    public var agency: AgencyID?
    public var plan: PlanID?
    public var year: Int?
    public var grouping: StatusGrouping?
    public var search: String?

    public init(asOf: BusinessDate? = nil, knownAt: Timestamp? = nil, agency: AgencyID? = nil, plan: PlanID? = nil, year: Int? = nil,
                grouping: StatusGrouping? = nil, search: String? = nil) {
        self.asOf = asOf
        self.knownAt = knownAt
        self.agency = agency
        self.plan = plan
        self.year = year
        self.grouping = grouping
        self.search = search
    }

    /// Reads the parameters from a request, refusing fields `op` does not take.
    public init(request: JSONObject, allowed: [String], op: String) throws(TrackerError) {
        try request.rejectUnknownKeys(allowed, envelope: true, in: "\(op) request")
        asOf = try request.optionalDate("as_of")
        if let text = try request.optionalString("known_at") { knownAt = try Timestamp.parse(text) }
        agency = try request.optionalString("agency").map { (text) throws(TrackerError) in try AgencyID(text) }
        plan = try request.optionalString("plan").map { (text) throws(TrackerError) in try PlanID(text) }
        if request["year"] != nil && request["year"] != .null { year = try request.fiscalYear("year") }
        if let by = try request.optionalString("by") {
            guard let grouping = StatusGrouping(rawValue: by) else {
                throw TrackerError(.invalidArgument, "'by' must be one of \(StatusGrouping.allCases.map(\.rawValue).joined(separator: ", ")), got '\(by)'")
            }
            self.grouping = grouping
        }
        search = try request.optionalString("search")
    }

    /// Writes the parameters that are set into an open request object.
    public func encode(to w: inout JSONWriter) {
        if let asOf { w.key("as_of"); w.string(asOf.description) }
        if let knownAt { w.key("known_at"); w.string(knownAt.description) }
        if let agency { w.key("agency"); w.string(agency.text) }
        if let plan { w.key("plan"); w.string(plan.text) }
        if let year { w.key("year"); w.int(year) }
        if let grouping { w.key("by"); w.string(grouping.rawValue) }
        if let search { w.key("search"); w.string(search) }
    }
}

/// Where a `status` page starts: what a status answer gives as `next` when rows are left, to be
/// sent back as the request's `page` (with the same parameters) for the next page.
///
/// The cursor pins the first page's business date and last record, so every page counts the
/// same facts, whatever was recorded in between; rows are in the report's order (the year's own
/// rows, then the carried-over rows), and `row` counts them from 0 across both.
public struct StatusPage: Sendable, Equatable {
    /// The first row of the page.
    public var row: Int
    /// Only records through this seq are counted (the first page's `through_seq`).
    public var throughSeq: UInt64
    /// The business date of the first page.
    public var asOf: BusinessDate

    public init(row: Int, throughSeq: UInt64, asOf: BusinessDate) {
        self.row = row
        self.throughSeq = throughSeq
        self.asOf = asOf
    }

    /// Reads a request's `page` object; `bad_request` for unknown or mistyped members,
    /// `invalid_argument` for values that cannot be.
    public init(object: JSONObject) throws(TrackerError) {
        try object.rejectUnknownKeys(["row", "through_seq", "as_of"], in: "status page")
        let row = try object.int("row")
        let throughSeq = try object.int("through_seq")
        guard row >= 0, row <= Int64(Int32.max) else { throw TrackerError(.invalidArgument, "'page.row' must be 0 or more, got \(row)") }
        guard throughSeq >= 0 else { throw TrackerError(.invalidArgument, "'page.through_seq' must not be negative, got \(throughSeq)") }
        self.init(row: Int(row), throughSeq: UInt64(throughSeq), asOf: try object.date("as_of"))
    }

    /// Writes the cursor as a JSON object.
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.key("row"); w.int(row)
        w.key("through_seq"); w.int(Int64(throughSeq))
        w.key("as_of"); w.date(asOf)
        w.endObject()
    }
}

/// What reading a response came to: the result, or the daemon's refusal.
private enum ReadOutcome<T> {
    case value(T)
    case refused(JSONObject)
}
