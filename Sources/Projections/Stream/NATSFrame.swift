import Events

/// One message of the NATS client protocol as the server sends it (text over TCP, lines ending
/// in CRLF; see docs.nats.io, "Client Protocol").
///
///     INFO {…}                                       the server's description, first on every connection
///     MSG <subject> <sid> [reply-to] <#bytes>        a message, its payload on the next line
///     HMSG <subject> <sid> [reply-to] <#header bytes> <#total bytes>   the same with headers
///     PING, PONG, +OK, -ERR '<text>'
public enum NATSFrame: Sendable, Equatable {
    case info(JSONObject)
    case message(NATSMessage)
    case ping
    case pong
    case ok
    case error(String)
}

/// A message delivered by the server: subject, subscription id, reply subject, headers, payload.
public struct NATSMessage: Sendable, Equatable {
    public var subject: String
    public var sid: String
    public var replyTo: String?
    /// The header block as it came (`NATS/1.0…`, checked to be one); nil for a `MSG` without
    /// headers. Kept as bytes: most messages (a JetStream consumer's) are never asked for theirs.
    public var headerBlock: [UInt8]?
    public var payload: [UInt8]

    public init(subject: String, sid: String, replyTo: String? = nil, headers: NATSHeaders? = nil, payload: [UInt8]) {
        self.init(subject: subject, sid: sid, replyTo: replyTo, headerBlock: headers?.encoded, payload: payload)
    }

    public init(subject: String, sid: String, replyTo: String?, headerBlock: [UInt8]?, payload: [UInt8]) {
        self.subject = subject
        self.sid = sid
        self.replyTo = replyTo
        self.headerBlock = headerBlock
        self.payload = payload
    }

    /// The header block parsed (`NATS/1.0[ status[ description]]`, then `Key: Value` lines).
    public var headers: NATSHeaders? { headerBlock.flatMap { NATSHeaders(parsing: $0[...]) } }

    public static func == (a: NATSMessage, b: NATSMessage) -> Bool {
        a.subject == b.subject && a.sid == b.sid && a.replyTo == b.replyTo && a.headers == b.headers && a.payload == b.payload
    }
}

/// A NATS header block: the status of the version line (`NATS/1.0 503` for no responders,
/// `404`/`408` on a pull request) and the `Key: Value` pairs, keys compared exactly as NATS does.
public struct NATSHeaders: Sendable, Equatable {
    /// The status code on the version line, if any.
    public var status: Int?
    /// The text after the status, if any (`No Messages`).
    public var statusDescription: String?
    /// The pairs in order.
    public var fields: [(key: String, value: String)]

    public init(status: Int? = nil, statusDescription: String? = nil, fields: [(key: String, value: String)] = []) {
        self.status = status
        self.statusDescription = statusDescription
        self.fields = fields
    }

    /// The first value of `key`.
    public subscript(key: String) -> String? { fields.first { $0.key == key }?.value }

    /// The header block as it travels: `NATS/1.0\r\n`, each pair and `\r\n`, then an empty line.
    public var encoded: [UInt8] {
        var text = "NATS/1.0"
        if let status { text += " \(status)" + (statusDescription.map { " " + $0 } ?? "") }
        text += "\r\n"
        for (key, value) in fields { text += "\(key): \(value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// Whether `bytes` is a header block `init(parsing:)` reads: the version line first, then
    /// only lines with a colon (checked on the bytes, without making the pairs).
    public static func isWellFormed(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.starts(with: "NATS/1.0".utf8) else { return false }
        var index = bytes.startIndex
        var lineStart = index
        var colon = true
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x0D, index + 1 < bytes.endIndex, bytes[index + 1] == 0x0A {
                if lineStart != bytes.startIndex, index > lineStart, !colon { return false }
                index += 2
                lineStart = index
                colon = false
                continue
            }
            if byte == 0x3A { colon = true }
            index += 1
        }
        return lineStart == bytes.startIndex || lineStart == bytes.endIndex || colon
    }

    /// Parses a header block; nil when it does not start with the NATS/1.0 version line.
    public init?(parsing bytes: ArraySlice<UInt8>) {
        var lines: [ArraySlice<UInt8>] = []
        var index = bytes.startIndex
        var lineStart = index
        while index < bytes.endIndex {
            if bytes[index] == 0x0D, index + 1 < bytes.endIndex, bytes[index + 1] == 0x0A {
                lines.append(bytes[lineStart..<index])
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        if lineStart < bytes.endIndex { lines.append(bytes[lineStart..<bytes.endIndex]) }
        let version = Array("NATS/1.0".utf8)
        guard let first = lines.first, first.starts(with: version) else { return nil }
        let rest = first.dropFirst(version.count).drop { $0 == 0x20 }
        if !rest.isEmpty {
            let digits = rest.prefix { $0 != 0x20 }
            status = Int(String(decoding: digits, as: UTF8.self))
            let description = rest.dropFirst(digits.count).drop { $0 == 0x20 }
            statusDescription = description.isEmpty ? nil : String(decoding: description, as: UTF8.self)
        }
        fields = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: 0x3A) else { return nil }
            let value = line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 }
            var end = value.endIndex
            while end > value.startIndex, value[end - 1] == 0x20 || value[end - 1] == 0x09 { end -= 1 }
            fields.append((String(decoding: line[..<colon], as: UTF8.self), String(decoding: value[value.startIndex..<end], as: UTF8.self)))
        }
    }

    public static func == (a: NATSHeaders, b: NATSHeaders) -> Bool {
        a.status == b.status && a.statusDescription == b.statusDescription
            && a.fields.map(\.key) == b.fields.map(\.key) && a.fields.map(\.value) == b.fields.map(\.value)
    }
}
