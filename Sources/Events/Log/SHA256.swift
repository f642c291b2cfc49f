// SHA-256 (FIPS 180-4) in pure Swift: the hash that chains the records of the log.

/// Incremental SHA-256 hasher (FIPS 180-4), a value type.
///
/// Feed bytes with any number of `update` calls, in any chunk sizes, then call
/// `finalize()` once; the result only depends on the concatenated bytes. Copying a
/// hasher forks it (both copies continue independently), which is how to take the
/// digest of a prefix and keep going. For one-shot hashing use `SHA256.hash`, which
/// skips the internal block buffer. No heap allocation in either path.
public struct SHA256: Sendable {
    /// The chaining state H0...H7 (initial values: FIPS 180-4 §5.3.3).
    struct State: Sendable {
        var a: UInt32 = 0x6A09_E667
        var b: UInt32 = 0xBB67_AE85
        var c: UInt32 = 0x3C6E_F372
        var d: UInt32 = 0xA54F_F53A
        var e: UInt32 = 0x510E_527F
        var f: UInt32 = 0x9B05_688C
        var g: UInt32 = 0x1F83_D9AB
        var h: UInt32 = 0x5BE0_CD19
    }

    var state = State()
    /// An incomplete block carried between `update` calls; only the first `pendingCount`
    /// bytes are meaningful. A tuple, so it lives inline (no heap allocation).
    var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0)
    var pendingCount = 0
    /// Total number of message bytes fed so far.
    var byteCount: UInt64 = 0

    /// Creates a hasher for an empty message.
    public init() {}

    /// Feeds `bytes` into the hash.
    ///
    /// Whole 64-byte blocks are compressed straight from `bytes`; only a tail shorter
    /// than a block is copied and kept for the next call. The buffer is not retained.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var input = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        byteCount &+= UInt64(truncatingIfNeeded: remaining)

        if pendingCount > 0 {
            let take = min(64 &- pendingCount, remaining)
            let offset = pendingCount
            Swift.withUnsafeMutableBytes(of: &pending) { buffer in
                (buffer.baseAddress! + offset).copyMemory(from: input, byteCount: take)
            }
            pendingCount &+= take
            input += take
            remaining &-= take
            guard pendingCount == 64 else { return }
            let block = pending
            Swift.withUnsafeBytes(of: block) { buffer in
                Self.compress(&state, buffer.baseAddress!, blocks: 1)
            }
            pendingCount = 0
        }

        let blocks = remaining &>> 6
        if blocks > 0 {
            Self.compress(&state, input, blocks: blocks)
            input += blocks &<< 6
            remaining &= 63
        }

        if remaining > 0 {
            Swift.withUnsafeMutableBytes(of: &pending) { buffer in
                buffer.baseAddress!.copyMemory(from: input, byteCount: remaining)
            }
            pendingCount = remaining
        }
    }

    /// Feeds a collection of bytes into the hash.
    ///
    /// Contiguous collections (`[UInt8]`, `ArraySlice<UInt8>`, `Data`'s bytes,
    /// `UnsafeBufferPointer`, ...) are hashed in place; others are copied through a
    /// small stack buffer.
    @inlinable
    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            updateByCopying(bytes)
        }
    }

    /// Feeds the UTF-8 encoding of `string` (no terminator, no normalisation).
    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Feeds a non-contiguous collection through a 256-byte stack buffer.
    @usableFromInline
    mutating func updateByCopying<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { scratch in
            var count = 0
            for byte in bytes {
                scratch[count] = byte
                count &+= 1
                if count == 256 {
                    update(UnsafeRawBufferPointer(scratch))
                    count = 0
                }
            }
            if count > 0 {
                update(UnsafeRawBufferPointer(start: scratch.baseAddress, count: count))
            }
        }
    }

    /// Pads the message and returns its digest, consuming the hasher.
    ///
    /// The hasher is a copyable value, so calling this on a `var` that is used again
    /// later finalizes an implicit copy: you can take the digest of a prefix and keep
    /// feeding the original.
    public consuming func finalize() -> SHA256Digest {
        let count = pendingCount
        let total = byteCount
        var state = self.state
        return Swift.withUnsafeBytes(of: pending) { buffer in
            Self.finish(&state, tail: buffer.baseAddress!, count: count, totalBytes: total)
        }
    }

    /// The digest of `bytes` in one call.
    ///
    /// Faster than `update` + `finalize` for short inputs: the tail is padded straight
    /// from `bytes` with no intermediate buffering.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> SHA256Digest {
        var state = State()
        guard let base = bytes.baseAddress else { return SHA256().finalize() }
        let blocks = bytes.count &>> 6
        if blocks > 0 {
            compress(&state, base, blocks: blocks)
        }
        return finish(
            &state, tail: base + blocks &<< 6, count: bytes.count & 63,
            totalBytes: UInt64(truncatingIfNeeded: bytes.count))
    }

    /// Hashes the final `count` (< 64) message bytes at `tail` with the padding and
    /// returns the digest. `totalBytes` is the whole message length.
    ///
    /// Padding (FIPS 180-4 §5.1.1): 0x80, zeros, then the length in bits as a big-endian
    /// UInt64 ending the last block: one block, or two if fewer than 9 bytes are free.
    static func finish(
        _ state: inout State, tail: UnsafeRawPointer, count: Int, totalBytes: UInt64
    ) -> SHA256Digest {
        var padded: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                     UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let blocks = count < 56 ? 1 : 2
        Swift.withUnsafeMutableBytes(of: &padded) { buffer in
            let base = buffer.baseAddress!
            base.copyMemory(from: tail, byteCount: count)
            base.storeBytes(of: 0x80, toByteOffset: count, as: UInt8.self)
            base.storeBytes(
                of: (totalBytes &<< 3).bigEndian, toByteOffset: blocks &* 64 &- 8, as: UInt64.self)
            compress(&state, UnsafeRawPointer(base), blocks: blocks)
        }
        return SHA256Digest(
            w0: UInt64(state.a) &<< 32 | UInt64(state.b),
            w1: UInt64(state.c) &<< 32 | UInt64(state.d),
            w2: UInt64(state.e) &<< 32 | UInt64(state.f),
            w3: UInt64(state.g) &<< 32 | UInt64(state.h))
    }

    /// The digest of a collection of bytes in one call (contiguous storage is hashed in place).
    @inlinable
    public static func hash<C: Collection>(_ bytes: C) -> SHA256Digest where C.Element == UInt8 {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        var hasher = SHA256()
        hasher.updateByCopying(bytes)
        return hasher.finalize()
    }

    // MARK: - Compression function

    /// Runs the compression function over `blocks` consecutive 64-byte blocks at `input`
    /// (any alignment), updating `state`.
    static func compress(_ state: inout State, _ input: UnsafeRawPointer, blocks: Int) {
        var h0 = state.a, h1 = state.b, h2 = state.c, h3 = state.d
        var h4 = state.e, h5 = state.f, h6 = state.g, h7 = state.h
        var block = input
        for _ in 0..<blocks {
            var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
            var w0 = word(block, 0), w1 = word(block, 1), w2 = word(block, 2), w3 = word(block, 3)
            var w4 = word(block, 4), w5 = word(block, 5), w6 = word(block, 6), w7 = word(block, 7)
            var w8 = word(block, 8), w9 = word(block, 9), w10 = word(block, 10), w11 = word(block, 11)
            var w12 = word(block, 12), w13 = word(block, 13), w14 = word(block, 14), w15 = word(block, 15)

            // 64 rounds, fully unrolled; the roles of a...h rotate instead of the values
            // moving, and w0...w15 is the rolling 16-word message schedule.
            round(a, b, c, &d, e, f, g, &h, 0x428A2F98 &+ w0)
            round(h, a, b, &c, d, e, f, &g, 0x71374491 &+ w1)
            round(g, h, a, &b, c, d, e, &f, 0xB5C0FBCF &+ w2)
            round(f, g, h, &a, b, c, d, &e, 0xE9B5DBA5 &+ w3)
            round(e, f, g, &h, a, b, c, &d, 0x3956C25B &+ w4)
            round(d, e, f, &g, h, a, b, &c, 0x59F111F1 &+ w5)
            round(c, d, e, &f, g, h, a, &b, 0x923F82A4 &+ w6)
            round(b, c, d, &e, f, g, h, &a, 0xAB1C5ED5 &+ w7)
            round(a, b, c, &d, e, f, g, &h, 0xD807AA98 &+ w8)
            round(h, a, b, &c, d, e, f, &g, 0x12835B01 &+ w9)
            round(g, h, a, &b, c, d, e, &f, 0x243185BE &+ w10)
            round(f, g, h, &a, b, c, d, &e, 0x550C7DC3 &+ w11)
            round(e, f, g, &h, a, b, c, &d, 0x72BE5D74 &+ w12)
            round(d, e, f, &g, h, a, b, &c, 0x80DEB1FE &+ w13)
            round(c, d, e, &f, g, h, a, &b, 0x9BDC06A7 &+ w14)
            round(b, c, d, &e, f, g, h, &a, 0xC19BF174 &+ w15)
            w0 = schedule(w0, w1, w9, w14)
            round(a, b, c, &d, e, f, g, &h, 0xE49B69C1 &+ w0)
            w1 = schedule(w1, w2, w10, w15)
            round(h, a, b, &c, d, e, f, &g, 0xEFBE4786 &+ w1)
            w2 = schedule(w2, w3, w11, w0)
            round(g, h, a, &b, c, d, e, &f, 0x0FC19DC6 &+ w2)
            w3 = schedule(w3, w4, w12, w1)
            round(f, g, h, &a, b, c, d, &e, 0x240CA1CC &+ w3)
            w4 = schedule(w4, w5, w13, w2)
            round(e, f, g, &h, a, b, c, &d, 0x2DE92C6F &+ w4)
            w5 = schedule(w5, w6, w14, w3)
            round(d, e, f, &g, h, a, b, &c, 0x4A7484AA &+ w5)
            w6 = schedule(w6, w7, w15, w4)
            round(c, d, e, &f, g, h, a, &b, 0x5CB0A9DC &+ w6)
            w7 = schedule(w7, w8, w0, w5)
            round(b, c, d, &e, f, g, h, &a, 0x76F988DA &+ w7)
            w8 = schedule(w8, w9, w1, w6)
            round(a, b, c, &d, e, f, g, &h, 0x983E5152 &+ w8)
            w9 = schedule(w9, w10, w2, w7)
            round(h, a, b, &c, d, e, f, &g, 0xA831C66D &+ w9)
            w10 = schedule(w10, w11, w3, w8)
            round(g, h, a, &b, c, d, e, &f, 0xB00327C8 &+ w10)
            w11 = schedule(w11, w12, w4, w9)
            round(f, g, h, &a, b, c, d, &e, 0xBF597FC7 &+ w11)
            w12 = schedule(w12, w13, w5, w10)
            round(e, f, g, &h, a, b, c, &d, 0xC6E00BF3 &+ w12)
            w13 = schedule(w13, w14, w6, w11)
            round(d, e, f, &g, h, a, b, &c, 0xD5A79147 &+ w13)
            w14 = schedule(w14, w15, w7, w12)
            round(c, d, e, &f, g, h, a, &b, 0x06CA6351 &+ w14)
            w15 = schedule(w15, w0, w8, w13)
            round(b, c, d, &e, f, g, h, &a, 0x14292967 &+ w15)
            w0 = schedule(w0, w1, w9, w14)
            round(a, b, c, &d, e, f, g, &h, 0x27B70A85 &+ w0)
            w1 = schedule(w1, w2, w10, w15)
            round(h, a, b, &c, d, e, f, &g, 0x2E1B2138 &+ w1)
            w2 = schedule(w2, w3, w11, w0)
            round(g, h, a, &b, c, d, e, &f, 0x4D2C6DFC &+ w2)
            w3 = schedule(w3, w4, w12, w1)
            round(f, g, h, &a, b, c, d, &e, 0x53380D13 &+ w3)
            w4 = schedule(w4, w5, w13, w2)
            round(e, f, g, &h, a, b, c, &d, 0x650A7354 &+ w4)
            w5 = schedule(w5, w6, w14, w3)
            round(d, e, f, &g, h, a, b, &c, 0x766A0ABB &+ w5)
            w6 = schedule(w6, w7, w15, w4)
            round(c, d, e, &f, g, h, a, &b, 0x81C2C92E &+ w6)
            w7 = schedule(w7, w8, w0, w5)
            round(b, c, d, &e, f, g, h, &a, 0x92722C85 &+ w7)
            w8 = schedule(w8, w9, w1, w6)
            round(a, b, c, &d, e, f, g, &h, 0xA2BFE8A1 &+ w8)
            w9 = schedule(w9, w10, w2, w7)
            round(h, a, b, &c, d, e, f, &g, 0xA81A664B &+ w9)
            w10 = schedule(w10, w11, w3, w8)
            round(g, h, a, &b, c, d, e, &f, 0xC24B8B70 &+ w10)
            w11 = schedule(w11, w12, w4, w9)
            round(f, g, h, &a, b, c, d, &e, 0xC76C51A3 &+ w11)
            w12 = schedule(w12, w13, w5, w10)
            round(e, f, g, &h, a, b, c, &d, 0xD192E819 &+ w12)
            w13 = schedule(w13, w14, w6, w11)
            round(d, e, f, &g, h, a, b, &c, 0xD6990624 &+ w13)
            w14 = schedule(w14, w15, w7, w12)
            round(c, d, e, &f, g, h, a, &b, 0xF40E3585 &+ w14)
            w15 = schedule(w15, w0, w8, w13)
            round(b, c, d, &e, f, g, h, &a, 0x106AA070 &+ w15)
            w0 = schedule(w0, w1, w9, w14)
            round(a, b, c, &d, e, f, g, &h, 0x19A4C116 &+ w0)
            w1 = schedule(w1, w2, w10, w15)
            round(h, a, b, &c, d, e, f, &g, 0x1E376C08 &+ w1)
            w2 = schedule(w2, w3, w11, w0)
            round(g, h, a, &b, c, d, e, &f, 0x2748774C &+ w2)
            w3 = schedule(w3, w4, w12, w1)
            round(f, g, h, &a, b, c, d, &e, 0x34B0BCB5 &+ w3)
            w4 = schedule(w4, w5, w13, w2)
            round(e, f, g, &h, a, b, c, &d, 0x391C0CB3 &+ w4)
            w5 = schedule(w5, w6, w14, w3)
            round(d, e, f, &g, h, a, b, &c, 0x4ED8AA4A &+ w5)
            w6 = schedule(w6, w7, w15, w4)
            round(c, d, e, &f, g, h, a, &b, 0x5B9CCA4F &+ w6)
            w7 = schedule(w7, w8, w0, w5)
            round(b, c, d, &e, f, g, h, &a, 0x682E6FF3 &+ w7)
            w8 = schedule(w8, w9, w1, w6)
            round(a, b, c, &d, e, f, g, &h, 0x748F82EE &+ w8)
            w9 = schedule(w9, w10, w2, w7)
            round(h, a, b, &c, d, e, f, &g, 0x78A5636F &+ w9)
            w10 = schedule(w10, w11, w3, w8)
            round(g, h, a, &b, c, d, e, &f, 0x84C87814 &+ w10)
            w11 = schedule(w11, w12, w4, w9)
            round(f, g, h, &a, b, c, d, &e, 0x8CC70208 &+ w11)
            w12 = schedule(w12, w13, w5, w10)
            round(e, f, g, &h, a, b, c, &d, 0x90BEFFFA &+ w12)
            w13 = schedule(w13, w14, w6, w11)
            round(d, e, f, &g, h, a, b, &c, 0xA4506CEB &+ w13)
            w14 = schedule(w14, w15, w7, w12)
            round(c, d, e, &f, g, h, a, &b, 0xBEF9A3F7 &+ w14)
            w15 = schedule(w15, w0, w8, w13)
            round(b, c, d, &e, f, g, h, &a, 0xC67178F2 &+ w15)

            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
            h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
            block += 64
        }
        state = State(a: h0, b: h1, c: h2, d: h3, e: h4, f: h5, g: h6, h: h7)
    }
}

// The round primitives, as type members so their short names cannot clash with module code.
extension SHA256 {
    /// Big-endian 32-bit word `index` of the block at `block`.
    @inline(__always)
    private static func word(_ block: UnsafeRawPointer, _ index: Int) -> UInt32 {
        UInt32(bigEndian: block.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x &>> n) | (x &<< (32 &- n))
    }

    /// One round: `d += T1`, `h = T1 + T2` (FIPS 180-4 §6.2.2 step 3 with renamed variables).
    /// `kw` is K[t] + W[t].
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
        _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32
    ) {
        // Σ1(e) = ROTR6(e ^ ROTR5(e ^ ROTR14(e))) and Σ0(a) = ROTR2(a ^ ROTR11(a ^ ROTR9(a))):
        // same values as the three-rotation forms, fewer register copies.
        let sigma1 = rotr(rotr(rotr(e, 14) ^ e, 5) ^ e, 6)
        let choose = g ^ (e & (f ^ g))
        let t1 = h &+ sigma1 &+ choose &+ kw
        let sigma0 = rotr(rotr(rotr(a, 9) ^ a, 11) ^ a, 2)
        // Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)); b ^ c is the previous round's a ^ b.
        let majority = b ^ ((a ^ b) & (b ^ c))
        d &+= t1
        h = t1 &+ sigma0 &+ majority
    }

    /// Message schedule: W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16].
    @inline(__always)
    private static func schedule(_ w16: UInt32, _ w15: UInt32, _ w7: UInt32, _ w2: UInt32) -> UInt32 {
        let s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 &>> 3)
        let s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 &>> 10)
        return s1 &+ w7 &+ s0 &+ w16
    }
}
