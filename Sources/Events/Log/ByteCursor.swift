import Glibc

/// Reads JSON text of a fixed layout in place (a record's envelope, a disbursement's body as this
/// build writes them); every read answers nil rather than guess, and the caller then reads the
/// bytes the slow, thorough way.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { position == bytes.count }

    /// Steps over `text` when it comes next.
    mutating func expect(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count, memcmp(bytes.baseAddress! + position, text.utf8Start, count) == 0 else { return false }
        position += count
        return true
    }

    /// The rest of a string whose opening quote was read, up to its closing quote: nil when it
    /// has an escape or a control character, or is not valid UTF-8 (JSON's reading then decides).
    mutating func plainString() -> String? {
        let start = position
        var ascii = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                position += 1
                if ascii { return String(decoding: text, as: UTF8.self) }
                return UTF8Text.string(text)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        return nil
    }

    /// A JSON whole number that is not negative, with no leading zero, up to 18 digits.
    mutating func wholeNumber() -> Int64? {
        let start = position
        var value: Int64 = 0
        while position < bytes.count, position - start < 18 {
            let byte = bytes[position]
            guard byte >= 0x30 && byte <= 0x39 else { break }
            value = value &* 10 &+ Int64(byte &- 0x30)
            position += 1
        }
        guard position > start, position - start == 1 || bytes[start] != 0x30 else { return nil }
        // A nineteenth digit, a fraction or an exponent: not this layout.
        if position < bytes.count, (0x30...0x39).contains(bytes[position]) || bytes[position] == UInt8(ascii: ".")
            || bytes[position] | 0x20 == UInt8(ascii: "e") { return nil }
        return value
    }

    /// `YYYY-MM-DD"` (the rest of a date string whose opening quote was read).
    mutating func isoDate() -> BusinessDate? {
        guard position + 11 <= bytes.count, bytes[position + 10] == UInt8(ascii: "\""),
              let date = BusinessDate.parseISO(UnsafeRawBufferPointer(rebasing: bytes[position..<(position + 10)])) else { return nil }
        position += 11
        return date
    }

    /// Digits of a number that is not negative, up to 19.
    mutating func unsigned() -> UInt64? {
        var value: UInt64 = 0
        let start = position
        while position < bytes.count, bytes[position] >= 0x30 && bytes[position] <= 0x39, position - start < 19 {
            value = value * 10 + UInt64(bytes[position] - 0x30)
            position += 1
        }
        return position > start ? value : nil
    }

    /// A record time, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    mutating func recordTime() -> Timestamp? {
        guard position + 27 <= bytes.count, let time = Timestamp.parseRecordTime(UnsafeRawBufferPointer(rebasing: bytes[position..<(position + 27)])) else {
            return nil
        }
        position += 27
        return time
    }
}
