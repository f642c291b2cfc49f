import Events
import Testing

/// The pull reader agrees with the tree parser on what it reads, and refuses what it refuses.
@Suite struct JSONReaderTests {
    /// Runs `body` on a reader over `text`.
    func reading<T>(_ text: String, _ body: (inout JSONReader) throws(JSONParseError) -> T) throws(JSONParseError) -> T {
        try Array(text.utf8).withBytes { (raw) throws(JSONParseError) -> T in
            var reader = JSONReader(raw)
            let value = try body(&reader)
            try reader.end()
            return value
        }
    }

    /// Every member as (key, value) through the reader, values read as trees.
    func members(_ text: String) throws(JSONParseError) -> [String] {
        try reading(text) { (r) throws(JSONParseError) -> [String] in
            var found: [String] = []
            try r.beginObject()
            while let key = try r.nextKey() { found.append("\(key)=\(String(decoding: try r.value().encoded(), as: UTF8.self))") }
            return found
        }
    }

    @Test("Members come in order with their values; escaped keys are decoded")
    func membersInOrder() throws {
        #expect(try members(#" { "a" : 1 , "b\u0063":[true,null], "đ": {"x":"y"} } "#)
                == ["a=1", "bc=[true,null]", "đ={\"x\":\"y\"}"])
        #expect(try members("{}") == [])
    }

    @Test("Typed values: strings, whole numbers, booleans, null, decimals in thousandths")
    func typedValues() throws {
        let values = try reading(#"{"s":"Quảng Ngãi\n","i":-42,"t":true,"n":null,"r":1.341,"w":100,"h":60.5}"#) { (r) throws(JSONParseError) in
            try r.beginObject()
            var out: [String] = []
            while let key = try r.nextKey() {
                if key.is("s") { out.append(try r.string()) }
                else if key.is("i") { out.append(String(try r.int())) }
                else if key.is("t") { out.append(String(try r.bool())) }
                else if key.is("n") { out.append(String(describing: try r.optionalInt())) }
                else { out.append(String(try r.milliDecimal())) }
            }
            return out
        }
        #expect(values == ["Quảng Ngãi\n", "-42", "true", "nil", "1341", "100000", "60500"])
    }

    @Test("A value of the wrong kind is refused with its offset", arguments: [
        #"{"a":"1"}"#, #"{"a":1.5}"#, #"{"a":true}"#, #"{"a":null}"#,
    ])
    func wrongKind(text: String) {
        #expect(throws: JSONParseError.self) {
            _ = try reading(text) { (r) throws(JSONParseError) in
                try r.beginObject()
                _ = try r.nextKey()
                return try r.int()
            }
        }
    }

    @Test("More than three decimals, exponents and strings are not thousandths", arguments: [#"1.2345"#, #"1e3"#, #""1""#])
    func notThousandths(text: String) {
        #expect(throws: JSONParseError.self) { _ = try reading(text) { (r) throws(JSONParseError) in try r.milliDecimal() } }
    }

    @Test("Broken structure is refused", arguments: [
        #"{"a":1 "b":2}"#, #"{"a":1,}"#, #"{,"a":1}"#, #"{"a" 1}"#, #"{"a":1"#, #"{a:1}"#, #"{"a":1}}"#, #"{"a":1} x"#,
        #"{"a":[1 2]}"#, #"{"a":[1,]}"#, #"{"a":"\x"}"#, #"{"a":"abc}"#,
    ])
    func brokenStructure(text: String) {
        #expect(throws: JSONParseError.self) { _ = try members(text) }
    }

    @Test("Invalid UTF-8 in a key or a string is refused")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D]] {
            #expect(throws: JSONParseError.self) {
                try bytes.withBytes { (raw) throws(JSONParseError) in
                    var r = JSONReader(raw)
                    try r.beginObject()
                    while try r.nextKey() != nil { _ = try r.string() }
                }
            }
        }
    }

    @Test("skip passes over any value and gives back exactly its bytes")
    func skipGivesBytes() throws {
        let text = #"{"a":{"b":[1,"x\"}",{"c":null}],"d":-1.5e3},"e":true,"f":12,"g":"h"}"#
        let skipped = try reading(text) { (r) throws(JSONParseError) -> [String] in
            var out: [String] = []
            try r.beginObject()
            while try r.nextKey() != nil { out.append(String(decoding: try r.skip(), as: UTF8.self)) }
            return out
        }
        #expect(skipped == [#"{"b":[1,"x\"}",{"c":null}],"d":-1.5e3}"#, "true", "12", #""h""#])
    }

    @Test("Nesting deeper than the limit is refused, read or skipped")
    func depthLimit() {
        let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        #expect(throws: JSONParseError.self) { _ = try reading(deep) { (r) throws(JSONParseError) in try r.skip() } }
        #expect(throws: JSONParseError.self) { _ = try reading(deep) { (r) throws(JSONParseError) in try r.value() } }
    }
}
