/// A pull reader over one JSON text: the caller walks objects member by member and reads each
/// value straight into its own types, with no `JSONValue` tree in between (a status answer of a
/// thousand rows is about 400 KB; building a tree of it costs more than the rest of `trackctl`).
///
/// Values are checked as strictly as `JSONParser` checks them (UTF-8, escapes, numbers), except
/// that values passed over with `skip()` are only checked for their structure, and a repeated key
/// is the caller's to notice. The bytes must outlive the reader.
public struct JSONReader {
    private var scanner: JSONScanner
    /// A container was just opened: its first member or element needs no comma.
    private var justOpened = false
    private var depth = 0

    public init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64) {
        scanner = JSONScanner(bytes: bytes, maxDepth: maxDepth)
    }

    /// Where the reader is, in bytes from the start.
    public var offset: Int { scanner.position }

    public func error(_ message: String) -> JSONParseError { scanner.error(message) }

    // MARK: Containers

    /// Enters an object; then `nextKey()` until it returns nil.
    public mutating func beginObject() throws(JSONParseError) {
        try open(UInt8(ascii: "{"), "an object")
    }

    /// The next member's key in the current object, or nil when the object ends (it is then left).
    public mutating func nextKey() throws(JSONParseError) -> JSONKey? {
        guard try next(closing: UInt8(ascii: "}"), "object") else { return nil }
        guard !scanner.atEnd, scanner.current == UInt8(ascii: "\"") else { throw scanner.error("expected a quoted key in object") }
        let key = try readKey()
        scanner.skipWhitespace()
        guard !scanner.atEnd, scanner.current == UInt8(ascii: ":") else { throw scanner.error("expected ':' after key \"\(key)\"") }
        scanner.position += 1
        return key
    }

    /// Enters an array; then `nextElement()` before each element until it returns false.
    public mutating func beginArray() throws(JSONParseError) {
        try open(UInt8(ascii: "["), "an array")
    }

    /// Whether another element follows in the current array (false: the array ended and is left).
    public mutating func nextElement() throws(JSONParseError) -> Bool {
        try next(closing: UInt8(ascii: "]"), "array")
    }

    private mutating func open(_ bracket: UInt8, _ what: String) throws(JSONParseError) {
        scanner.skipWhitespace()
        guard !scanner.atEnd, scanner.current == bracket else { throw scanner.error("expected \(what)") }
        depth += 1
        if depth > scanner.maxDepth { throw scanner.error("JSON nested deeper than \(scanner.maxDepth) levels") }
        scanner.position += 1
        justOpened = true
    }

    /// Moves past the comma before the next member or element; false (and the container left) at its end.
    private mutating func next(closing: UInt8, _ what: String) throws(JSONParseError) -> Bool {
        scanner.skipWhitespace()
        guard !scanner.atEnd else { throw scanner.error("unexpected end of JSON inside an \(what)") }
        if scanner.current == closing {
            scanner.position += 1
            depth -= 1
            justOpened = false
            return false
        }
        if !justOpened {
            guard scanner.current == UInt8(ascii: ",") else { throw scanner.error("expected ',' or '\(Character(Unicode.Scalar(closing)))' in \(what)") }
            scanner.position += 1
            scanner.skipWhitespace()
        }
        justOpened = false
        return true
    }

    private mutating func readKey() throws(JSONParseError) -> JSONKey {
        let start = scanner.position + 1
        var end = start
        let bytes = scanner.bytes
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 { end += 1 }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\""), UTF8Text.isValid(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) {
            scanner.position = end + 1
            return JSONKey(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), text: nil)
        }
        // Escapes (or an error, which parseString reports): the key as decoded text.
        return JSONKey(bytes: UnsafeRawBufferPointer(start: nil, count: 0), text: try scanner.parseString())
    }

    // MARK: Values

    /// Whether the next value is `null`; it is read if so.
    public mutating func readNull() throws(JSONParseError) -> Bool {
        scanner.skipWhitespace()
        guard !scanner.atEnd, scanner.current == UInt8(ascii: "n") else { return false }
        try scanner.expectWord("null")
        return true
    }

    public mutating func string() throws(JSONParseError) -> String {
        scanner.skipWhitespace()
        guard !scanner.atEnd, scanner.current == UInt8(ascii: "\"") else { throw scanner.error("expected a string") }
        return try scanner.parseString()
    }

    public mutating func optionalString() throws(JSONParseError) -> String? {
        try readNull() ? nil : try string()
    }

    public mutating func int() throws(JSONParseError) -> Int64 {
        scanner.skipWhitespace()
        let start = scanner.position
        guard !scanner.atEnd, case .int(let value) = try scanner.parseValue(depth: depth) else {
            throw JSONParseError(message: "expected a whole number", offset: start)
        }
        return value
    }

    public mutating func optionalInt() throws(JSONParseError) -> Int64? {
        try readNull() ? nil : try int()
    }

    public mutating func bool() throws(JSONParseError) -> Bool {
        scanner.skipWhitespace()
        guard !scanner.atEnd else { throw scanner.error("expected true or false") }
        if scanner.current == UInt8(ascii: "t") { try scanner.expectWord("true"); return true }
        if scanner.current == UInt8(ascii: "f") { try scanner.expectWord("false"); return false }
        throw scanner.error("expected true or false")
    }

    /// A decimal number with at most three decimals, in thousandths (`1.341` → 1341, `100` → 100000).
    public mutating func milliDecimal() throws(JSONParseError) -> Int64 {
        scanner.skipWhitespace()
        let start = scanner.position
        let value = try scanner.parseValue(depth: depth)
        switch value {
        case .int(let whole):
            let (milli, overflow) = whole.multipliedReportingOverflow(by: 1000)
            if !overflow { return milli }
        case .number(let text):
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 2, parts[1].count <= 3, let whole = Int64(parts[0]),
               let fraction = Int64(parts[1] + String(repeating: "0", count: 3 - parts[1].count)) {
                let negative = text.hasPrefix("-")
                return whole * 1000 + (negative ? -fraction : fraction)
            }
        default:
            break
        }
        throw JSONParseError(message: "expected a number with at most three decimals", offset: start)
    }

    /// Any value, as a tree.
    public mutating func value() throws(JSONParseError) -> JSONValue {
        scanner.skipWhitespace()
        return try scanner.parseValue(depth: depth)
    }

    /// Passes over the next value, checking only its structure; returns the bytes it took.
    @discardableResult
    public mutating func skip() throws(JSONParseError) -> UnsafeRawBufferPointer {
        scanner.skipWhitespace()
        let start = scanner.position
        var nesting = 0
        repeat {
            guard !scanner.atEnd else { throw scanner.error("unexpected end of JSON") }
            switch scanner.current {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                nesting += 1
                if depth + nesting > scanner.maxDepth { throw scanner.error("JSON nested deeper than \(scanner.maxDepth) levels") }
                scanner.position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                nesting -= 1
                scanner.position += 1
            case UInt8(ascii: "\""):
                scanner.position += 1
                while true {
                    guard !scanner.atEnd else { throw scanner.error("unterminated string") }
                    let byte = scanner.current
                    scanner.position += byte == UInt8(ascii: "\\") ? 2 : 1
                    if byte == UInt8(ascii: "\"") { break }
                }
            default:
                scanner.position += 1
            }
            if nesting > 0 { scanner.skipWhitespace() }
        } while nesting > 0 && !scanner.atEnd
        // A bare value (number, word) runs to the next delimiter.
        if nesting == 0, start < scanner.bytes.count, !Self.opensValue(scanner.bytes[start]) {
            while !scanner.atEnd, !Self.endsBareValue(scanner.current) { scanner.position += 1 }
        }
        guard nesting == 0 else { throw scanner.error("unexpected end of JSON") }
        return UnsafeRawBufferPointer(rebasing: scanner.bytes[start..<scanner.position])
    }

    @inline(__always) private static func opensValue(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\"")
    }

    @inline(__always) private static func endsBareValue(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: true
        default: false
        }
    }

    /// Checks that nothing but whitespace follows.
    public mutating func end() throws(JSONParseError) {
        scanner.skipWhitespace()
        if !scanner.atEnd { throw scanner.error("unexpected text after the JSON value") }
    }
}
