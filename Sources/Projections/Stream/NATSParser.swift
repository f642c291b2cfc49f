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
    private var lastSubject: (bytes: [UInt8], text: String)?
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
        var words = Words()
        var index = start
        while index < lineEnd {
            while index < lineEnd && (buffer[index] == 0x20 || buffer[index] == 0x09) { index += 1 }
            let wordStart = index
            while index < lineEnd && buffer[index] != 0x20 && buffer[index] != 0x09 { index += 1 }
            if index > wordStart { words.append(wordStart..<index) }
        }
        guard words.count > 0 else {
            start = lineEnd + 2
            return try next()
        }
        let verbRange = words[0]
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
        switch Verb(buffer[verbRange]) {
        case .ping: start = lineEnd + 2; return .ping
        case .pong: start = lineEnd + 2; return .pong
        case .ok: start = lineEnd + 2; return .ok
        case .error:
            var message = text(verbRange.upperBound..<lineEnd).trimmingCharacters(in: .whitespaces)
            start = lineEnd + 2
            if message.hasPrefix("'") && message.hasSuffix("'") && message.count >= 2 { message = String(message.dropFirst().dropLast()) }
            return .error(message)
        case .info:
            guard case .object(let object)? = try? JSONParser(maxDepth: 16).parse(Array(buffer[verbRange.upperBound..<lineEnd])) else {
                throw ParseError(message: "an INFO line that is not a JSON object")
            }
            start = lineEnd + 2
            return .info(object)
        case .message, .headeredMessage:
            let headered = verbRange.count == 4
            let verb = headered ? "HMSG" : "MSG"
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
            var headerBlock: [UInt8]? = nil
            if headered {
                let block = buffer[payloadStart..<(payloadStart + headerBytes)]
                guard NATSHeaders.isWellFormed(block) else {
                    throw ParseError(message: "an HMSG whose headers do not start with NATS/1.0")
                }
                headerBlock = Array(block)
            }
            let payload = Array(buffer[(payloadStart + headerBytes)..<(payloadStart + total)])
            let subject = subjectText(words[1])
            let sid = text(words[2])
            start = payloadStart + total + 2
            return .message(NATSMessage(subject: subject, sid: sid, replyTo: replyTo, headerBlock: headerBlock, payload: payload))
        case nil:
            throw ParseError(message: "an unknown protocol line: \(text(start..<min(lineEnd, start + 80)))")
        }
    }

    /// The subject in `range` as text: the previous one again when the bytes are the same (a
    /// consumer's messages mostly share one subject), so no new string is made for it.
    private mutating func subjectText(_ range: Range<Int>) -> String {
        if let last = lastSubject, last.bytes.count == range.count,
           buffer.withUnsafeBytes({ raw in last.bytes.withUnsafeBytes { memcmp(raw.baseAddress! + range.lowerBound, $0.baseAddress!, range.count) == 0 } }) {
            return last.text
        }
        let text = String(decoding: buffer[range], as: UTF8.self)
        lastSubject = (Array(buffer[range]), text)
        return text
    }

    /// The verbs a server sends, read from the bytes whatever their case.
    private enum Verb: Equatable {
        case ping, pong, ok, error, info, message, headeredMessage

        init?(_ bytes: ArraySlice<UInt8>) {
            func upper(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }
            func matches(_ text: StaticString) -> Bool {
                guard bytes.count == text.utf8CodeUnitCount else { return false }
                var index = bytes.startIndex
                for i in 0..<text.utf8CodeUnitCount {
                    guard upper(bytes[index]) == text.utf8Start[i] else { return false }
                    index += 1
                }
                return true
            }
            if matches("MSG") { self = .message }
            else if matches("HMSG") { self = .headeredMessage }
            else if matches("PING") { self = .ping }
            else if matches("PONG") { self = .pong }
            else if matches("+OK") { self = .ok }
            else if matches("-ERR") { self = .error }
            else if matches("INFO") { self = .info }
            else { return nil }
        }
    }

    /// Up to six words of a control line (the most any frame has), without an array made.
    private struct Words {
        private var ranges: (Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0)
        /// How many words the line has (more than six are counted, not kept).
        private(set) var count = 0

        mutating func append(_ range: Range<Int>) {
            switch count {
            case 0: ranges.0 = range
            case 1: ranges.1 = range
            case 2: ranges.2 = range
            case 3: ranges.3 = range
            case 4: ranges.4 = range
            case 5: ranges.5 = range
            default: break
            }
            count += 1
        }

        subscript(index: Int) -> Range<Int> {
            switch index {
            case 0: ranges.0
            case 1: ranges.1
            case 2: ranges.2
            case 3: ranges.3
            case 4: ranges.4
            default: ranges.5
            }
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
