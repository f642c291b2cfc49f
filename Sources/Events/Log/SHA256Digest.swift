/// A SHA-256 digest: 32 bytes.
///
/// Stored inline as four `UInt64` words (no heap allocation), so it is cheap to copy,
/// compare and hash. Equality compares all 32 bytes. `zero` is the conventional
/// "previous hash" of the first (genesis) record. The textual form is always
/// 64 lowercase hex characters; parsing also accepts upper case.
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible {
    // The digest bytes as four big-endian numbers: `w0` holds bytes 0..<8, the most
    // significant byte first, so the numeric order of (w0, w1, w2, w3) is the byte order.
    var w0: UInt64
    var w1: UInt64
    var w2: UInt64
    var w3: UInt64

    init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// The all-zero digest (32 zero bytes), used as the "previous hash" of the genesis record.
    ///
    /// It is a placeholder, not the hash of any known input (in particular it is not the
    /// hash of the empty message); its hex form is 64 `0` characters.
    public static let zero = SHA256Digest(w0: 0, w1: 0, w2: 0, w3: 0)

    /// The digest as 64 lowercase hex characters (the form `sha256sum` prints).
    public var hex: String {
        String(unsafeUninitializedCapacity: 64) { buffer in
            writeHex(into: UnsafeMutableRawPointer(buffer.baseAddress!))
            return 64
        }
    }

    /// The digest as text: same as `hex`.
    public var description: String { hex }

    /// Parses exactly 64 hex characters (either case) into a digest.
    ///
    /// Returns `nil` for any other length, for any non-hex character, and for
    /// surrounding whitespace or a `0x` prefix (callers must trim first).
    public init?(hex: some StringProtocol) {
        let parsed: SHA256Digest?? = hex.utf8.withContiguousStorageIfAvailable { utf8 in
            SHA256Digest(hexUTF8: UnsafeRawBufferPointer(utf8))
        }
        if let parsed {
            guard let parsed else { return nil }
            self = parsed
            return
        }
        // Not contiguous UTF-8 (a bridged or foreign string): make a native copy.
        guard hex.utf8.count == 64 else { return nil }
        var copy = String(hex)
        guard let parsed = copy.withUTF8({ SHA256Digest(hexUTF8: UnsafeRawBufferPointer($0)) }) else {
            return nil
        }
        self = parsed
    }

    /// Parses exactly 64 ASCII hex bytes (either case) into a digest, without allocating.
    ///
    /// Returns `nil` if `hexUTF8.count != 64` or any byte is not `0-9`, `a-f` or `A-F`.
    /// Meant for parsing digests straight out of a record buffer.
    public init?(hexUTF8: UnsafeRawBufferPointer) {
        guard hexUTF8.count == 64, let base = hexUTF8.baseAddress else { return nil }
        let table = hexDigitValues
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var invalid: UInt8 = 0
        for word in 0..<4 {
            var value: UInt64 = 0
            let chunk = base + word &* 16
            for i in 0..<16 {
                // 0xFF marks a byte that is not a hex digit; any high bit rejects the whole digest.
                let nibble = table[Int(chunk.load(fromByteOffset: i, as: UInt8.self))]
                invalid |= nibble
                value = value &<< 4 | UInt64(nibble & 0x0F)
            }
            switch word {
            case 0: words.0 = value
            case 1: words.1 = value
            case 2: words.2 = value
            default: words.3 = value
            }
        }
        guard invalid & 0xF0 == 0 else { return nil }
        self.init(w0: words.0, w1: words.1, w2: words.2, w3: words.3)
    }

    /// Calls `body` with the 32 digest bytes in standard (big-endian) order.
    ///
    /// The buffer is only valid for the duration of the call; do not let it escape.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var bytes = (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)
        return try Swift.withUnsafeBytes(of: &bytes, body)
    }

    /// Appends the 64 lowercase hex ASCII bytes of the digest to `buffer`.
    ///
    /// Nothing else is written (no newline or separator); existing contents are kept.
    public func writeHex(to buffer: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { scratch in
            writeHex(into: scratch.baseAddress!)
            buffer.append(contentsOf: UnsafeRawBufferPointer(scratch))
        }
    }

    /// Writes the 64 lowercase hex ASCII bytes to `destination`, which must have room for them.
    func writeHex(into destination: UnsafeMutableRawPointer) {
        Self.writeHex(w0, into: destination)
        Self.writeHex(w1, into: destination + 16)
        Self.writeHex(w2, into: destination + 32)
        Self.writeHex(w3, into: destination + 48)
    }

    /// Writes the 16 hex digits of `word`, most significant first.
    @inline(__always)
    static func writeHex(_ word: UInt64, into destination: UnsafeMutableRawPointer) {
        for i in 0..<16 {
            let nibble = UInt8(truncatingIfNeeded: word &>> UInt64(60 - 4 * i)) & 0x0F
            // '0'...'9' then 'a'...'f': add 39 more when past 9.
            let ascii = nibble &+ 0x30 &+ (nibble > 9 ? 39 : 0)
            destination.storeBytes(of: ascii, toByteOffset: i, as: UInt8.self)
        }
    }
}

/// The value of each byte as a hex digit, 0xFF for bytes that are not one (built once).
nonisolated(unsafe) private let hexDigitValues: UnsafePointer<UInt8> = {
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    table.initialize(repeating: 0xFF, count: 256)
    for (offset, digit) in "0123456789".utf8.enumerated() { table[Int(digit)] = UInt8(offset) }
    for (offset, digit) in "abcdef".utf8.enumerated() { table[Int(digit)] = UInt8(10 + offset) }
    for (offset, digit) in "ABCDEF".utf8.enumerated() { table[Int(digit)] = UInt8(10 + offset) }
    return UnsafePointer(table)
}()
