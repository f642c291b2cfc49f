import Events
import Foundation

/// JetStream's JSON answers, as the daemon and the mirror read them (docs.nats.io, "JetStream
/// wire API"): publish acknowledgements, API errors, and stored messages.
public enum JetStreamReply {
    /// An API error: `{"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 4"}}`.
    public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The HTTP-like code (400, 404, 503).
        public var code: Int
        /// JetStream's own error code (10071 wrong last sequence, 10059 stream not found, 10037
        /// no message found, 10058 stream name in use).
        public var errorCode: Int
        public var description: String

        public init(code: Int, errorCode: Int, description: String) {
            self.code = code
            self.errorCode = errorCode
            self.description = description
        }

        /// A publish refused because the subject's last sequence is not the one expected.
        public var isWrongLastSequence: Bool { errorCode == 10071 }
        /// The stream does not exist.
        public var isStreamNotFound: Bool { errorCode == 10059 }
        /// No message matched (`STREAM.MSG.GET`).
        public var isNoMessage: Bool { errorCode == 10037 }
    }

    /// A publish acknowledgement: `{"stream":"TRACKER","seq":12,"duplicate":true}`.
    public struct Ack: Sendable, Equatable {
        public var stream: String
        /// The stream's sequence number of the message (of the original one, for a duplicate).
        public var seq: UInt64
        /// Whether the stream already held a message of this id (within its duplicate window).
        public var duplicate: Bool

        public init(stream: String, seq: UInt64, duplicate: Bool) {
            self.stream = stream
            self.seq = seq
            self.duplicate = duplicate
        }
    }

    /// A message read back from a stream (`STREAM.MSG.GET`).
    public struct StoredMessage: Sendable, Equatable {
        public var subject: String
        /// The stream's sequence number.
        public var seq: UInt64
        public var headers: NATSHeaders?
        public var data: [UInt8]
    }

    /// The JSON object of a reply; an `error` member is thrown as `APIError`.
    public static func object(_ payload: [UInt8]) throws -> JSONObject {
        guard case .object(let object) = try JSONParser(maxDepth: 32).parse(payload) else {
            throw APIError(code: 0, errorCode: 0, description: "the reply is not a JSON object")
        }
        if case .object(let error)? = object["error"] {
            let code = (try? error.int("code")).map(Int.init) ?? 0
            let errorCode = (try? error.int("err_code")).map(Int.init) ?? 0
            throw APIError(code: code, errorCode: errorCode, description: (try? error.string("description")) ?? "an error without description")
        }
        return object
    }

    /// Reads a publish acknowledgement (or throws its error).
    public static func ack(_ payload: [UInt8]) throws -> Ack {
        let object = try object(payload)
        let seq = try object.int("seq")
        guard seq >= 1 else { throw APIError(code: 0, errorCode: 0, description: "an acknowledgement with seq \(seq)") }
        return Ack(stream: try object.string("stream"), seq: UInt64(seq), duplicate: try object.optionalBool("duplicate"))
    }

    /// Reads the answer of `STREAM.MSG.GET` (or throws its error): headers and data are base64.
    public static func storedMessage(_ payload: [UInt8]) throws -> StoredMessage {
        let message = try object(payload).object("message")
        let seq = try message.int("seq")
        var headers: NATSHeaders? = nil
        if let text = try message.optionalString("hdrs") {
            guard let bytes = Data(base64Encoded: text) else { throw APIError(code: 0, errorCode: 0, description: "headers that are not base64") }
            headers = NATSHeaders(parsing: ArraySlice(bytes))
        }
        let data = try message.optionalString("data").map { text -> [UInt8] in
            guard let bytes = Data(base64Encoded: text) else { throw APIError(code: 0, errorCode: 0, description: "data that is not base64") }
            return [UInt8](bytes)
        } ?? []
        guard seq >= 1 else { throw APIError(code: 0, errorCode: 0, description: "a stored message with seq \(seq)") }
        return StoredMessage(subject: try message.string("subject"), seq: UInt64(seq), headers: headers, data: data)
    }

    /// The configuration of a stream made for the stores' records: every subject under
    /// `prefix`, kept (limits retention, file storage), `replicas` copies, a duplicate window of
    /// two minutes.
    public static func streamConfiguration(name: String, prefix: String, replicas: Int) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("name"); w.string(name)
        w.key("subjects"); w.beginArray(); w.string(prefix + ".>"); w.endArray()
        w.key("retention"); w.string("limits")
        w.key("storage"); w.string("file")
        w.key("num_replicas"); w.int(replicas)
        w.key("discard"); w.string("old")
        w.key("duplicate_window"); w.int(Int64(120) * 1_000_000_000)
        w.key("max_msgs"); w.int(-1)
        w.key("max_bytes"); w.int(-1)
        w.key("max_age"); w.int(0)
        w.endObject()
        return w.bytes
    }
}
