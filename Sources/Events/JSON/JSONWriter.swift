/// Writes compact JSON into a byte buffer, inserting commas itself.
///
/// Call `key` before each member value inside an object. Strings are written as UTF-8 with only
/// the escapes JSON requires, so Vietnamese text stays readable in the log and on the wire.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]
    @usableFromInline var needsComma = false

    /// Ends a line of NDJSON: a newline, after which the next value needs no comma.
    public mutating func endLine() {
        bytes.append(0x0A)
        needsComma = false
    }

    /// An empty writer; `capacity` reserves room up front.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inlinable @inline(__always) mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Opens an object (`{`).
    @inlinable public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    /// Closes an object (`}`).
    @inlinable public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    /// Opens an array (`[`).
    @inlinable public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    /// Closes an array (`]`).
    @inlinable public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    /// Writes a member key and the colon; the next call writes its value.
    @inlinable public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a member key given at run time.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value.
    public mutating func string(_ text: String) { separate(); appendQuoted(text); needsComma = true }

    /// Writes an integer value.
    @inlinable public mutating func int<T: BinaryInteger>(_ value: T) {
        separate()
        appendDecimal(Int64(value))
        needsComma = true
    }

    /// Writes a boolean value.
    public mutating func bool(_ value: Bool) {
        separate()
        if value {
            bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65] as [UInt8])
        } else {
            bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65] as [UInt8])
        }
        needsComma = true
    }

    /// Writes `null`.
    public mutating func null() { separate(); bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]); needsComma = true }

    /// Writes an already-encoded JSON value verbatim (the caller vouches it is valid JSON).
    public mutating func raw(_ json: [UInt8]) { separate(); bytes.append(contentsOf: json); needsComma = true }

    /// Writes already-encoded JSON verbatim from a buffer (the caller vouches it is valid JSON).
    public mutating func raw(_ json: UnsafeRawBufferPointer) { separate(); bytes.append(contentsOf: json); needsComma = true }

    /// Writes a percent with up to three decimals, given in thousandths (1341 → `1.341`, 60500 → `60.5`).
    public mutating func milliDecimal(_ milli: Int64) {
        separate()
        if milli < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = milli.magnitude
        appendDecimal(Int64(magnitude / 1000))
        var fraction = magnitude % 1000
        if fraction > 0 {
            bytes.append(UInt8(ascii: "."))
            var divisor: UInt64 = 100
            while fraction > 0 {
                bytes.append(UInt8(fraction / divisor) + 0x30)
                fraction %= divisor
                divisor /= 10
            }
        }
        needsComma = true
    }

    /// Writes a decimal number given as text (e.g. a rate "1.341"); the caller vouches it is a valid JSON number.
    public mutating func number(_ text: String) { separate(); bytes.append(contentsOf: text.utf8); needsComma = true }

    /// Writes a business date as an ISO string value, `"2023-11-30"`.
    public mutating func date(_ date: BusinessDate) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        date.write(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes a string value or `null`.
    public mutating func optionalString(_ text: String?) {
        if let text { string(text) } else { null() }
    }

    /// Writes any JSONValue.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .int(let i): int(i)
        case .number(let text): number(text)
        case .string(let s): string(s)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members { key(member.key); self.value(member.value) }
            endObject()
        }
    }

    @usableFromInline mutating func appendDecimal(_ value: Int64) {
        if value == 0 { bytes.append(UInt8(ascii: "0")); return }
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[19 - count] = UInt8(magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
