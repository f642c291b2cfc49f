import Foundation
import Events

/// Reads the frames of the NATS client protocol from bytes as they arrive, in any pieces.
///
/// Feed it what the socket gives (`append`), then take frames (`next`) until it has no whole one.
/// A control line longer than `maxControlLine` or a payload larger than `maxPayload` is an error
/// (the server's own limits: 4 KiB control lines; the payload limit the server announced in INFO).
public struct NATSParser: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0
    /// The longest control line accepted.
    public var maxControlLine = 4096
    /// The largest payload accepted.
    public var maxPayload = 64 << 20

    public init() {}

    /// What the parser found wrong: the connection cannot go on.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 1 << 20 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// `append` for a byte array.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next whole frame, or nil when more bytes are needed.
    public mutating func next() throws(ParseError) -> NATSFrame? {
        guard let lineEnd = findCRLF(from: start) else {
            if buffer.count - start > maxControlLine { throw ParseError(message: "a control line longer than \(maxControlLine) bytes") }
            return nil
        }
        guard lineEnd - start <= maxControlLine else { throw ParseError(message: "a control line longer than \(maxControlLine) bytes") }
        // The words of the control line, as ranges of the buffer (no text made for most of them).
        var words: [Range<Int>] = []
        var index = start
        while index < lineEnd {
            while index < lineEnd && (buffer[index] == 0x20 || buffer[index] == 0x09) { index += 1 }
            let wordStart = index
            while index < lineEnd && buffer[index] != 0x20 && buffer[index] != 0x09 { index += 1 }
            if index > wordStart { words.append(wordStart..<index) }
        }
        guard let verbRange = words.first else {
            start = lineEnd + 2
            return try next()
        }
        let verb = String(decoding: buffer[verbRange].map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
        func text(_ range: Range<Int>) -> String { String(decoding: buffer[range], as: UTF8.self) }
        func number(_ range: Range<Int>) -> Int? {
            guard !range.isEmpty, range.count <= 18 else { return nil }
            var value = 0
            for byte in buffer[range] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        switch verb {
        case "PING": start = lineEnd + 2; return .ping
        case "PONG": start = lineEnd + 2; return .pong
        case "+OK": start = lineEnd + 2; return .ok
        case "-ERR":
            var message = text(verbRange.upperBound..<lineEnd).trimmingCharacters(in: .whitespaces)
            start = lineEnd + 2
            if message.hasPrefix("'") && message.hasSuffix("'") && message.count >= 2 { message = String(message.dropFirst().dropLast()) }
            return .error(message)
        case "INFO":
            guard case .object(let object)? = try? JSONParser(maxDepth: 16).parse(Array(buffer[verbRange.upperBound..<lineEnd])) else {
                throw ParseError(message: "an INFO line that is not a JSON object")
            }
            start = lineEnd + 2
            return .info(object)
        case "MSG", "HMSG":
            let headered = verb == "HMSG"
            // MSG subject sid [reply] size; HMSG subject sid [reply] hsize size
            let counts = headered ? 2 : 1
            guard words.count == 3 + counts || words.count == 4 + counts else {
                throw ParseError(message: "a malformed \(verb) line: \(text(start..<lineEnd))")
            }
            let replyTo = words.count == 4 + counts ? text(words[3]) : nil
            guard let total = number(words[words.count - 1]), total <= maxPayload else {
                throw ParseError(message: "a \(verb) with a size that is not a number up to \(maxPayload): \(text(start..<lineEnd))")
            }
            var headerBytes = 0
            if headered {
                guard let size = number(words[words.count - 2]), size <= total else {
                    throw ParseError(message: "an HMSG whose header size is not within its total size: \(text(start..<lineEnd))")
                }
                headerBytes = size
            }
            let payloadStart = lineEnd + 2
            guard buffer.count >= payloadStart + total + 2 else { return nil }
            guard buffer[payloadStart + total] == 0x0D, buffer[payloadStart + total + 1] == 0x0A else {
                throw ParseError(message: "a \(verb) whose payload does not end where its size says")
            }
            var headers: NATSHeaders? = nil
            if headered {
                guard let parsed = NATSHeaders(parsing: buffer[payloadStart..<(payloadStart + headerBytes)]) else {
                    throw ParseError(message: "an HMSG whose headers do not start with NATS/1.0")
                }
                headers = parsed
            }
            let payload = Array(buffer[(payloadStart + headerBytes)..<(payloadStart + total)])
            let subject = text(words[1])
            let sid = text(words[2])
            start = payloadStart + total + 2
            return .message(NATSMessage(subject: subject, sid: sid, replyTo: replyTo, headers: headers, payload: payload))
        default:
            throw ParseError(message: "an unknown protocol line: \(text(start..<min(lineEnd, start + 80)))")
        }
    }

    private func findCRLF(from index: Int) -> Int? {
        var i = index
        while i + 1 < buffer.count {
            if buffer[i] == 0x0D && buffer[i + 1] == 0x0A { return i }
            i += 1
        }
        return nil
    }
}

/// What a client sends: CONNECT, SUB, UNSUB, PUB, HPUB, PING, PONG.
public enum NATSCommand {
    /// `CONNECT {…}\r\n` with the options, credentials among them (`user`/`pass` or `auth_token`).
    public static func connect(name: String, user: String?, password: String?, token: String?) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("verbose"); w.bool(false)
        w.key("pedantic"); w.bool(false)
        w.key("tls_required"); w.bool(false)
        w.key("name"); w.string(name)
        w.key("lang"); w.string("swift")
        w.key("version"); w.string(TrackerVersion.string)
        w.key("protocol"); w.int(1)
        w.key("headers"); w.bool(true)
        w.key("no_responders"); w.bool(true)
        if let user { w.key("user"); w.string(user) }
        if let password { w.key("pass"); w.string(password) }
        if let token { w.key("auth_token"); w.string(token) }
        w.endObject()
        return Array("CONNECT ".utf8) + w.bytes + [0x0D, 0x0A]
    }

    /// `SUB subject sid`.
    public static func subscribe(_ subject: String, sid: String) -> [UInt8] {
        Array("SUB \(subject) \(sid)\r\n".utf8)
    }

    /// `PUB` (no headers) or `HPUB` (with headers) of `payload` to `subject`, replies to `replyTo`.
    public static func publish(_ subject: String, replyTo: String?, headers: NATSHeaders?, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8]
        let reply = replyTo.map { " " + $0 } ?? ""
        if let headers {
            let block = headers.encoded
            bytes = Array("HPUB \(subject)\(reply) \(block.count) \(block.count + payload.count)\r\n".utf8)
            bytes += block
        } else {
            bytes = Array("PUB \(subject)\(reply) \(payload.count)\r\n".utf8)
        }
        bytes += payload
        bytes += [0x0D, 0x0A]
        return bytes
    }

    public static let ping: [UInt8] = Array("PING\r\n".utf8)
    public static let pong: [UInt8] = Array("PONG\r\n".utf8)

    /// Whether `subject` is a valid subject to publish to: tokens of visible ASCII separated by
    /// dots, none empty, no wildcard.
    public static func isValidSubject(_ subject: String) -> Bool {
        guard !subject.isEmpty, subject.utf8.count <= 1024 else { return false }
        return subject.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { token in
            !token.isEmpty && token != "*" && token != ">" && token.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
        }
    }
}
