/// SipHash-2-4 with a 128-bit tag (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
/// 2012; the reference code and its test vectors are github.com/veorq/SipHash): a keyed MAC that
/// runs at memory speed, for the store's own files (snapshots, the head mark).
///
/// Without the 16-byte key nobody can compute a tag that checks, so a file whose tag checks was
/// written by a process that could read the store's key (`StoreKey`). It is not a signature: who
/// holds the key can forge.
public struct SipHashKey: Sendable, Equatable {
    let k0: UInt64
    let k1: UInt64

    /// A key from its 16 bytes (little-endian halves, as the reference code reads them).
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        let array = Array(bytes)
        var k0: UInt64 = 0, k1: UInt64 = 0
        for i in 0..<8 {
            k0 |= UInt64(array[i]) << (8 * UInt64(i))
            k1 |= UInt64(array[8 + i]) << (8 * UInt64(i))
        }
        self.k0 = k0
        self.k1 = k1
    }
}

/// A 128-bit SipHash-2-4 tag.
public struct SipHashTag: Sendable, Equatable {
    /// The tag's bytes, in the reference code's output order.
    public let bytes: [UInt8]

    init(_ low: UInt64, _ high: UInt64) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for word in [low, high] {
            for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: word >> (8 * UInt64(i)))) }
        }
        self.bytes = bytes
    }

    /// A tag read back from its 16 bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        self.bytes = Array(bytes)
    }

    /// The tag as 32 lowercase hex characters.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    /// Parses 32 hex characters.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 32 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: 32, by: 2) {
            guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.bytes = bytes
    }

    /// Compares in time independent of where the tags differ.
    public func matches(_ other: SipHashTag) -> Bool {
        guard bytes.count == other.bytes.count else { return false }
        var difference: UInt8 = 0
        for i in bytes.indices { difference |= bytes[i] ^ other.bytes[i] }
        return difference == 0
    }
}

public enum SipHash {
    @inline(__always)
    private static func rotl(_ x: UInt64, _ b: UInt64) -> UInt64 { (x << b) | (x >> (64 &- b)) }

    @inline(__always)
    private static func round(_ v0: inout UInt64, _ v1: inout UInt64, _ v2: inout UInt64, _ v3: inout UInt64) {
        v0 = v0 &+ v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
        v2 = v2 &+ v3; v3 = rotl(v3, 16); v3 ^= v2
        v0 = v0 &+ v3; v3 = rotl(v3, 21); v3 ^= v0
        v2 = v2 &+ v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
    }

    /// The SipHash-2-4-128 tag of `bytes` under `key`.
    public static func tag(_ bytes: UnsafeRawBufferPointer, key: SipHashKey) -> SipHashTag {
        var v0: UInt64 = 0x736f_6d65_7073_6575 ^ key.k0
        var v1: UInt64 = 0x646f_7261_6e64_6f6d ^ key.k1 ^ 0xee
        var v2: UInt64 = 0x6c79_6765_6e65_7261 ^ key.k0
        var v3: UInt64 = 0x7465_6462_7974_6573 ^ key.k1
        let count = bytes.count
        let whole = count & ~7
        var index = 0
        if let base = bytes.baseAddress {
            while index < whole {
                let m = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                v3 ^= m
                round(&v0, &v1, &v2, &v3)
                round(&v0, &v1, &v2, &v3)
                v0 ^= m
                index += 8
            }
        }
        var b = UInt64(truncatingIfNeeded: count) << 56
        var shift: UInt64 = 0
        while index < count {
            b |= UInt64(bytes[index]) << shift
            shift += 8
            index += 1
        }
        v3 ^= b
        round(&v0, &v1, &v2, &v3)
        round(&v0, &v1, &v2, &v3)
        v0 ^= b
        v2 ^= 0xee
        for _ in 0..<4 { round(&v0, &v1, &v2, &v3) }
        let low = v0 ^ v1 ^ v2 ^ v3
        v1 ^= 0xdd
        for _ in 0..<4 { round(&v0, &v1, &v2, &v3) }
        return SipHashTag(low, v0 ^ v1 ^ v2 ^ v3)
    }

    /// The tag of a byte array.
    public static func tag(_ bytes: [UInt8], key: SipHashKey) -> SipHashTag {
        bytes.withUnsafeBytes { tag($0, key: key) }
    }
}
