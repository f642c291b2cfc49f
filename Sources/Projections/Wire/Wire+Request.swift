import Events

extension Wire {
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
}
