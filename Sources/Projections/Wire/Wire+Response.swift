import Events

extension Wire {
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

/// What reading a response came to: the result, or the daemon's refusal.
private enum ReadOutcome<T> {
    case value(T)
    case refused(JSONObject)
}
