import Foundation
import Testing
@testable import Events

/// `JSONParser` (strict RFC 8259 over UTF-8 bytes) and `JSONWriter` (compact output).
@Suite struct JSONTests {

    // MARK: Helpers

    static func parse(_ text: String, maxDepth: Int = 32) throws(JSONParseError) -> JSONValue {
        try JSONParser(maxDepth: maxDepth).parse(text)
    }

    static func parse(bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(bytes)
    }

    /// The parse error for `text`, or nil when it parses.
    static func error(_ text: String, maxDepth: Int = 32) -> JSONParseError? {
        do {
            _ = try parse(text, maxDepth: maxDepth)
            return nil
        } catch {
            return error
        }
    }

    static func error(bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try parse(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    static func written(_ body: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        body(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    // MARK: Value kinds

    @Test("Every kind of value parses to its case")
    func everyValueKind() throws {
        #expect(try Self.parse("null") == .null)
        #expect(try Self.parse("true") == .bool(true))
        #expect(try Self.parse("false") == .bool(false))
        #expect(try Self.parse("42") == .int(42))
        #expect(try Self.parse("-7") == .int(-7))
        #expect(try Self.parse("1.5") == .number("1.5"))
        #expect(try Self.parse("\"Ban Dân tộc\"") == .string("Ban Dân tộc"))
        #expect(try Self.parse("[]") == .array([]))
        #expect(try Self.parse("{}") == .object(JSONObject()))
        #expect(try Self.parse("[1,\"a\",null,[true]]") == .array([.int(1), .string("a"), .null, .array([.bool(true)])]))
        let object = try Self.parse(#"{"b":1,"a":{"x":[]}}"#)
        guard case .object(let members) = object else {
            Issue.record("expected an object, got \(object)")
            return
        }
        #expect(members.keys == ["b", "a"], "members keep their written order")
        #expect(members["b"] == .int(1))
        #expect(members["a"] == .object(JSONObject([("x", .array([]))])))
        #expect(members["missing"] == nil)
    }

    @Test("Whitespace around and between tokens is allowed")
    func whitespace() throws {
        #expect(try Self.parse(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n ") == .object(JSONObject([("a", .array([.int(1), .int(2)]))])))
    }

    @Test("Misspelt and truncated words are refused", arguments: ["tru", "nul", "fals", "trux", "nulL", "True", "NaN", "Infinity", "undefined"])
    func badWords(text: String) {
        #expect(Self.error(text) != nil)
    }

    @Test("Empty input and whitespace alone are refused")
    func emptyInput() {
        #expect(Self.error("")?.message == "unexpected end of JSON")
        #expect(Self.error("   \n")?.message == "unexpected end of JSON")
        #expect(Self.error(bytes: []) != nil)
    }

    // MARK: Numbers

    @Test("Int64's extremes parse as whole numbers")
    func int64Extremes() throws {
        #expect(try Self.parse("9223372036854775807") == .int(.max))
        #expect(try Self.parse("-9223372036854775808") == .int(.min))
        #expect(try Self.parse("0") == .int(0))
        #expect(try Self.parse("-0") == .int(0))
    }

    @Test("Whole numbers past Int64 are kept as written in .number")
    func overflowToNumber() throws {
        #expect(try Self.parse("9223372036854775808") == .number("9223372036854775808"))
        #expect(try Self.parse("-9223372036854775809") == .number("-9223372036854775809"))
        #expect(try Self.parse("123456789012345678901234567890") == .number("123456789012345678901234567890"))
        #expect(JSONValue.number("9223372036854775808").kindDescription == "a number too large")
    }

    @Test("Fractions and exponents are kept as written in .number", arguments: [
        "1.5", "-0.25", "0.0", "1e3", "1E3", "1e+3", "1e-3", "-2.5E-10", "0e0", "10.000",
    ])
    func fractionsAndExponents(text: String) throws {
        #expect(try Self.parse(text) == .number(text))
        #expect(JSONValue.number(text).kindDescription == "a fractional number")
    }

    @Test("Malformed numbers are refused", arguments: [
        "-", "01", "-01", "00", "1.", ".5", "-.5", "1e", "1e+", "1E-", "+1", "1.e3", "0x10", "1_000", "--1", "- 1",
    ])
    func malformedNumbers(text: String) {
        #expect(Self.error(text) != nil)
    }

    @Test("A leading zero and a lone minus are refused with a message saying so")
    func leadingZeroAndLoneMinus() {
        #expect(Self.error("01")?.message == "malformed number (leading zero)")
        #expect(Self.error("[-]")?.message == "malformed number")
        #expect(Self.error("-")?.message == "malformed number")
    }

    // MARK: Strings

    @Test("Every escape is resolved")
    func everyEscape() throws {
        #expect(try Self.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(try Self.parse(#""a\u0041\u00e2\u1EC7z""#) == .string("aAâệz"))
        #expect(try Self.parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try Self.parse(#""\uFFFF\uabcd""#) == .string("\u{FFFF}\u{ABCD}"))
        #expect(try Self.parse(#""before \n after ệ""#) == .string("before \n after ệ"), "raw UTF-8 around an escape is kept")
    }

    @Test("A \\u surrogate pair gives one scalar outside the BMP")
    func surrogatePairs() throws {
        #expect(try Self.parse(#""\uD83D\uDE00""#) == .string("😀"))
        #expect(try Self.parse(#""x\ud834\udd1ey""#) == .string("x𝄞y"))
        #expect(try Self.parse(#""\uDBFF\uDFFF""#) == .string("\u{10FFFF}"))
    }

    @Test("Lone or mismatched surrogates are refused", arguments: [
        #""\uD83D""#, #""\uD83Dx""#, #""\uD83D\n""#, #""\uDE00""#, #""\uDE00\uD83D""#, #""\uD83D\uD83D""#, #""\uD83D\u0041""#,
    ])
    func loneSurrogates(text: String) {
        #expect(Self.error(text)?.message == "lone surrogate in \\u escape")
    }

    @Test("Bad escapes are refused", arguments: [#""\x""#, #""\u12""#, #""\u12G4""#, #""\'""#, #""\U0041""#, #""\"#, #""abc\"#])
    func badEscapes(text: String) {
        #expect(Self.error(text) != nil)
    }

    @Test("Raw control characters in a string are refused, in the fast and the escaped path", arguments: [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F] as [UInt8])
    func rawControlCharacters(byte: UInt8) {
        #expect(Self.error(bytes: [0x22, 0x61, byte, 0x62, 0x22])?.message == "control character in a string (must be escaped)")
        #expect(Self.error(bytes: Array(#""\n"#.utf8) + [byte, 0x22])?.message == "control character in a string (must be escaped)")
    }

    @Test("DEL and other printable bytes need no escape")
    func delIsAllowed() throws {
        #expect(try Self.parse(bytes: [0x22, 0x7F, 0x22]) == .string("\u{7F}"))
    }

    @Test("Unterminated strings are refused")
    func unterminatedStrings() {
        #expect(Self.error("\"abc")?.message == "unterminated string")
        #expect(Self.error(#""a\nb"#)?.message == "unterminated string")
        #expect(Self.error("[\"abc]") != nil)
    }

    @Test("Invalid UTF-8 inside a string is refused", arguments: [
        [0xFF], [0xC3], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE1, 0xBB],
    ] as [[UInt8]])
    func invalidUTF8InString(bad: [UInt8]) {
        // Without escapes (fast path) and with one (slow path).
        #expect(Self.error(bytes: [0x22, 0x61] + bad + [0x22])?.message == "invalid UTF-8 in a string")
        #expect(Self.error(bytes: Array(#""\t"#.utf8) + bad + [0x22])?.message == "invalid UTF-8 in a string")
    }

    @Test("Invalid UTF-8 outside strings is refused")
    func invalidUTF8OutsideStrings() {
        #expect(Self.error(bytes: [0xFF]) != nil)
        #expect(Self.error(bytes: [0xC3, 0xA2]) != nil, "even valid UTF-8 is not a JSON token outside a string")
        #expect(Self.error(bytes: Array("[1,".utf8) + [0xFF] + Array("]".utf8)) != nil)
        #expect(Self.error(bytes: Array("{".utf8) + [0xFF] + Array(":1}".utf8)) != nil)
        #expect(Self.error(bytes: Array("1".utf8) + [0xFF]) != nil)
        #expect(Self.error(bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8)) != nil, "a byte-order mark is not JSON")
    }

    // MARK: Objects and structure

    @Test("Duplicate keys are refused, naming the key")
    func duplicateKeys() {
        #expect(Self.error(#"{"a":1,"a":2}"#)?.message == "duplicate key \"a\" in object")
        #expect(Self.error(#"{"a":1,"b":{"c":1,"c":1}}"#) != nil)
        #expect(Self.error(#"{"\u0061":1,"a":2}"#) != nil, "keys are compared after escapes are resolved")
    }

    @Test("The same key in different objects is fine")
    func sameKeyInDifferentObjects() throws {
        #expect(try Self.parse(#"[{"a":1},{"a":2}]"#) == .array([.object(JSONObject([("a", .int(1))])), .object(JSONObject([("a", .int(2))]))]))
    }

    @Test("Trailing garbage after the value is refused", arguments: ["1 2", "{}x", "[] ]", "{}}", "null,", "\"a\"\"b\"", "true false", "[1]\n[2]"])
    func trailingGarbage(text: String) {
        #expect(Self.error(text) != nil)
    }

    @Test("Trailing garbage is reported at its offset")
    func trailingGarbageOffset() {
        let error = Self.error("{}  x")
        #expect(error?.message == "unexpected text after the JSON value")
        #expect(error?.offset == 4)
    }

    @Test("Structural mistakes are refused", arguments: [
        "[1,]", "[,1]", "[1 2]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}", "{'a':1}", "{1:2}", "[", "{", "{\"a\":1", "]", "}", ":", ",",
    ])
    func structuralMistakes(text: String) {
        #expect(Self.error(text) != nil)
    }

    @Test("Nesting up to maxDepth is accepted and one level more is refused")
    func depthLimit() throws {
        func arrays(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        func objects(_ depth: Int) -> String {
            var text = "1"
            for _ in 0..<depth { text = "{\"k\":\(text)}" }
            return text
        }
        #expect((try? Self.parse(arrays(3), maxDepth: 3)) != nil)
        #expect(Self.error(arrays(4), maxDepth: 3)?.message == "JSON nested deeper than 3 levels")
        #expect((try? Self.parse(objects(3), maxDepth: 3)) != nil)
        #expect(Self.error(objects(4), maxDepth: 3)?.message == "JSON nested deeper than 3 levels")
        #expect((try? Self.parse("[{\"a\":[1]}]", maxDepth: 3)) != nil, "mixed arrays and objects count together")
        #expect(Self.error("[{\"a\":[{}]}]", maxDepth: 3) != nil)
        // The default limit is 32.
        #expect((try? JSONParser().parse(arrays(32))) != nil)
        #expect((try? JSONParser().parse(arrays(33))) == nil)
        // Scalars do not count as a level.
        #expect((try? Self.parse("5", maxDepth: 0)) != nil)
        #expect(Self.error("[]", maxDepth: 0) != nil)
    }

    @Test("A deeply nested document is refused without exhausting the stack")
    func veryDeepInput() {
        let text = String(repeating: "[", count: 100_000)
        #expect(Self.error(text)?.message == "JSON nested deeper than 32 levels")
    }

    // MARK: Writer

    @Test("The writer places commas between members and elements, and none after")
    func writerCommas() {
        let text = Self.written { w in
            w.beginObject()
            w.key("a"); w.int(1)
            w.key("b")
            w.beginArray()
            w.int(1); w.string("x"); w.null(); w.bool(true); w.bool(false)
            w.beginArray(); w.endArray()
            w.beginObject(); w.endObject()
            w.endArray()
            w.key("c"); w.beginObject(); w.key("d"); w.null(); w.endObject()
            w.key("e"); w.number("1.341")
            w.key("f"); w.raw(Array(#"{"r":[1]}"#.utf8))
            w.key("g"); w.optionalString(nil)
            w.key("h"); w.optionalString("y")
            w.endObject()
        }
        #expect(text == #"{"a":1,"b":[1,"x",null,true,false,[],{}],"c":{"d":null},"e":1.341,"f":{"r":[1]},"g":null,"h":"y"}"#)
    }

    @Test("Top-level values written one after another are comma-separated")
    func writerSequence() {
        #expect(Self.written { w in w.int(1); w.int(2); w.string("a") } == #"1,2,"a""#)
        #expect(Self.written { w in w.beginArray(); w.endArray(); w.beginArray(); w.endArray() } == "[],[]")
    }

    @Test("The writer escapes only what JSON requires")
    func writerEscapes() {
        let text = Self.written { w in w.string("q\"b\\n\nr\rt\tb\u{08}f\u{0C}z\u{0}o\u{1F}/\u{7F}") }
        #expect(text == #""q\"b\\n\nr\rt\tb\u0008f\u000cz\u0000o\u001f/"# + "\u{7F}\"")
    }

    @Test("Vietnamese and other non-ASCII text is written as raw UTF-8")
    func writerKeepsUTF8() {
        let text = "Ban Dân tộc tỉnh Quảng Ngãi — 569/QĐ-UBND 😀"
        var writer = JSONWriter()
        writer.string(text)
        #expect(writer.bytes == [0x22] + Array(text.utf8) + [0x22])
    }

    @Test("Keys given at run time are escaped like strings")
    func writerRuntimeKeys() {
        let text = Self.written { w in
            w.beginObject()
            w.key("năm \"2023\"" as String); w.int(5)
            w.endObject()
        }
        #expect(text == #"{"năm \"2023\"":5}"#)
    }

    @Test("Integers are written in full, including Int64's extremes")
    func writerIntegers() {
        #expect(Self.written { w in w.int(Int64.max) } == "9223372036854775807")
        #expect(Self.written { w in w.int(Int64.min) } == "-9223372036854775808")
        #expect(Self.written { w in w.int(0) } == "0")
        #expect(Self.written { w in w.int(-5) } == "-5")
        #expect(Self.written { w in w.int(UInt32.max) } == "4294967295")
        #expect(Self.written { w in w.int(600_000_000) } == "600000000")
    }

    @Test("JSONValue.encoded writes compact JSON in member order")
    func encodedValue() {
        let value = JSONValue.object(JSONObject([("z", .int(1)), ("a", .array([.number("1e3"), .null, .string("ệ")]))]))
        #expect(String(decoding: value.encoded(), as: UTF8.self) == #"{"z":1,"a":[1e3,null,"ệ"]}"#)
    }

    @Test("JSONObject's subscript reads, replaces, appends and removes members")
    func objectSubscript() {
        var object = JSONObject([("a", .int(1)), ("b", .int(2))])
        object["a"] = .string("x")
        object["c"] = .null
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object["a"] == .string("x"))
        #expect(object["c"] == .null)
        #expect(object != JSONObject([("c", .null), ("a", .string("x"))]), "member order is part of equality")
    }

    // MARK: Round trip

    /// A random string: ASCII, escapes, Vietnamese, controls and scalars outside the BMP.
    static func randomString(_ rng: inout SeededRandom) -> String {
        let pool: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}",
                                      "â", "ệ", "Đ", "đ", "ư", "ơ", "\u{0300}", "\u{0323}", "\u{2028}", "\u{FEFF}", "日", "😀", "\u{10FFFF}", "\u{FFFD}"]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            if Bool.random(using: &rng) {
                scalars.append(pool.randomElement(using: &rng)!)
            } else {
                // Any scalar value that is not a surrogate.
                var value = UInt32.random(in: 0...0x10FFFF, using: &rng)
                if (0xD800...0xDFFF).contains(value) { value -= 0x800 }
                scalars.append(Unicode.Scalar(value)!)
            }
        }
        return String(scalars)
    }

    static func randomValue(_ rng: inout SeededRandom, depth: Int) -> JSONValue {
        let kind = Int.random(in: 0..<(depth >= 5 ? 6 : 8), using: &rng)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2:
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return .int(.max)
            case 1: return .int(.min)
            default: return .int(Int64(bitPattern: rng.next()) >> Int64.random(in: 0...63, using: &rng))
            }
        case 3:
            let numbers = ["1.5", "-0.001", "6.02e23", "1E-7", "9223372036854775808", "-9223372036854775809", "0.0", "12345678901234567890123"]
            return .number(numbers.randomElement(using: &rng)!)
        case 4, 5: return .string(randomString(&rng))
        case 6:
            return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var members: [(key: String, value: JSONValue)] = []
            var seen = Set<String>()
            for index in 0..<Int.random(in: 0...4, using: &rng) {
                var key = randomString(&rng)
                if seen.contains(key) { key += "#\(index)" }
                if seen.contains(key) { continue }
                seen.insert(key)
                members.append((key, randomValue(&rng, depth: depth + 1)))
            }
            return .object(JSONObject(members))
        }
    }

    @Test("Whatever the writer writes, the parser reads back as the same value (500 random values, fixed seed)")
    func writerParserRoundTrip() throws {
        var rng = SeededRandom(seed: 0x5EED_2023_0569)
        for _ in 0..<500 {
            let value = Self.randomValue(&rng, depth: 0)
            let bytes = value.encoded()
            let parsed = try JSONParser().parse(bytes)
            #expect(parsed == value, "round trip of \(String(decoding: bytes, as: UTF8.self))")
            // Scalars are kept exactly (String equality alone would accept canonically equivalent text).
            if case .string(let a) = value, case .string(let b) = parsed {
                #expect(Array(a.unicodeScalars) == Array(b.unicodeScalars))
            }
            #expect(parsed.encoded() == bytes, "writing the parsed value gives the same bytes")
        }
    }
}
