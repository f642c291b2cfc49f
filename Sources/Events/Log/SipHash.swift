/// SipHash-2-4 with a 128-bit tag (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
/// 2012; the reference code and its test vectors are github.com/veorq/SipHash): a keyed MAC that
/// runs at memory speed, for the store's own files (snapshots, the head mark).
///
/// Without the 16-byte key nobody can compute a tag that checks, so a file whose tag checks was
/// written by a process that could read the store's key (`StoreKey`). It is not a signature: who
/// holds the key can forge.
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
