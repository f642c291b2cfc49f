/// ASCII bytes the parser and formatter use.
enum ASCII {
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let dot = UInt8(ascii: ".")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let space = UInt8(ascii: " ")
    /// U+2212 MINUS SIGN in UTF-8.
    static let unicodeMinus: [UInt8] = [0xE2, 0x88, 0x92]

    static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }
}
