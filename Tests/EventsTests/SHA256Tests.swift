import Testing
@testable import Events

/// Known-answer and behaviour tests for `SHA256` and `SHA256Digest`.
///
/// Sources of the expected digests:
/// - FIPS 180-4 examples (NIST "SHA256.pdf" / "SHA2_Additional.pdf"): "", "abc", the
///   448-bit and 896-bit messages, one million "a".
/// - NIST CAVP SHA256ShortMsg.rsp and SHA256LongMsg.rsp (CAVS 11.0, byte-oriented).
/// - Boundary lengths and the 200-byte pattern: computed with `sha256sum` / Python
///   `hashlib` on the development machine.
@Suite struct SHA256Tests {
    // MARK: - Helpers

    /// Bytes of a hex string (test-only, trusts its input).
    private static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { i in
            UInt8(String(decoding: digits[i..<(i + 2)], as: UTF8.self), radix: 16)!
        }
    }

    /// The 200-byte message used by the incremental tests: byte i is (37 i + 11) mod 256.
    private static let pattern200: [UInt8] = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    private static let pattern200Digest = "5e48d64839a8bff5e2471507af6a49f9990817df437857f4a2007df41266e1b5"

    // MARK: - FIPS 180-4 examples

    @Test("The empty message hashes to the FIPS 180-4 digest")
    func emptyMessage() {
        #expect(SHA256.hash([UInt8]()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256().finalize().hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(UnsafeRawBufferPointer(start: nil, count: 0)).hex
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("\"abc\" hashes to the FIPS 180-4 one-block example")
    func abc() {
        #expect(SHA256.hash(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var hasher = SHA256()
        hasher.update("abc")
        #expect(hasher.finalize().hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("The 448-bit message hashes to the FIPS 180-4 two-block example")
    func message448Bits() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(message.utf8.count == 56)
        #expect(SHA256.hash(Array(message.utf8)).hex == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("The 896-bit message hashes to the FIPS 180-4 example")
    func message896Bits() {
        let message = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(message.utf8.count == 112)
        #expect(SHA256.hash(Array(message.utf8)).hex == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test("One million 'a' hashes to the FIPS 180-4 digest, in one call or in pieces")
    func millionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hash(message).hex == expected)

        var hasher = SHA256()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(piece) }
        #expect(hasher.finalize().hex == expected)
    }

    // MARK: - NIST CAVP vectors

    @Test("Byte-oriented ShortMsg vectors from SHA256ShortMsg.rsp hash to their MD", arguments: [
        (8, "d3", "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1"),
        (16, "11af", "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98"),
        (24, "b4190e", "dff2e73091f6c05e528896c4c831b9448653dc2ff043528f6769437bc7b975c2"),
        (32, "74ba2521", "b16aa56be3880d18cd41e68384cf1ec8c17680c45a02b1575dc1518923ae8b0e"),
        (64, "5738c929c4f4ccb6", "963bb88f27f512777aab6c8b1a02c70ec0ad651d428f870036e1917120fb48bf"),
        (448, "2d52447d1244d2ebc28650e7b05654bad35b3a68eedc7f8515306b496d75f3e73385dd1b002625024b81a02f2fd6dffb6e6d561cb7d0bd7a",
         "cfb88d6faf2de3a69d36195acec2e255e2af2b7d933997f348e09f6ce5758360"),
        (512, "5a86b737eaea8ee976a0a24da63e7ed7eefad18a101c1211e2b3650c5187c2a8a650547208251f6d4237e661c7bf4c77f335390394c37fa1a9f9be836ac28509",
         "42e61e174fbb3897d6dd6cef3dd2802fe67b331953b06114a65c772859dfc1aa"),
    ])
    func shortMessages(bits: Int, message: String, digest: String) {
        let bytes = Self.bytes(hex: message)
        #expect(bytes.count * 8 == bits)
        #expect(SHA256.hash(bytes).hex == digest)
    }

    @Test("The first LongMsg vector (1304 bits) from SHA256LongMsg.rsp hashes to its MD")
    func firstLongMessage() {
        let message = Self.bytes(hex:
            "451101250ec6f26652249d59dc974b7361d571a8101cdfd36aba3b5854d3ae086b5fdd4597721b66e3c0dc5d8c606d96"
            + "57d0e323283a5217d1f53f2f284f57b85c8a61ac8924711f895c5ed90ef17745ed2d728abd22a5f7a13479a462d71b"
            + "56c19a74a40b655c58edfe0a188ad2cf46cbf30524f65d423c837dd1ff2bf462ac4198007345bb44dbb7b1c861298cdf"
            + "61982a833afc728fae1eda2f87aa2c9480858bec")
        #expect(message.count * 8 == 1304)
        #expect(SHA256.hash(message).hex == "3c593aa539fdcdae516cdf2f15000f6634185c88f505b39775fb9ab137a10aa2")
    }

    // MARK: - Padding boundaries

    @Test("Messages of 'a' around the padding and block boundaries hash to sha256sum's answers", arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
        (127, "c57e9278af78fa3cab38667bef4ce29d783787a2f731d4e12200270f0c32320a"),
        (128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"),
    ])
    func boundaryLengths(length: Int, digest: String) {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: length)
        #expect(SHA256.hash(message).hex == digest)
        // The same through the incremental path, fed one byte at a time.
        var hasher = SHA256()
        for byte in message { hasher.update(CollectionOfOne(byte)) }
        #expect(hasher.finalize().hex == digest)
    }

    // MARK: - Incremental hashing

    @Test("The 200-byte pattern hashes to its known answer")
    func patternKnownAnswer() {
        #expect(SHA256.hash(Self.pattern200).hex == Self.pattern200Digest)
    }

    @Test("Splitting the input in two at every point gives the one-call digest")
    func everySplitPoint() {
        let message = Self.pattern200
        let expected = SHA256.hash(message)
        for split in 0...message.count {
            var hasher = SHA256()
            hasher.update(message[..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize() == expected, "split at \(split)")
        }
    }

    @Test("Feeding random-sized chunks, including empty ones, gives the one-call digest")
    func randomChunks() {
        let message = Self.pattern200
        var random = SeededRandom(seed: 0x5EED)
        for trial in 0..<500 {
            var hasher = SHA256()
            var start = 0
            while start < message.count {
                let end = min(message.count, start + Int.random(in: 0...80, using: &random))
                message[start..<end].withUnsafeBytes { hasher.update($0) }
                start = end
            }
            #expect(hasher.finalize().hex == Self.pattern200Digest, "trial \(trial)")
        }
    }

    @Test("Contiguous, non-contiguous, raw-pointer and String inputs hash the same bytes alike")
    func inputKinds() {
        let message = Self.pattern200
        let expected = SHA256.hash(message)
        // An ArraySlice whose indices do not start at zero.
        let padded = [0xFF, 0xFF, 0xFF] + message + [0xFF]
        #expect(SHA256.hash(padded[3..<203]) == expected)
        // A lazy collection has no contiguous storage: the copying path.
        let lazy = (0..<200).lazy.map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        #expect(SHA256.hash(lazy) == expected)
        var fromLazy = SHA256()
        fromLazy.update(lazy)
        #expect(fromLazy.finalize() == expected)
        // Longer than the 256-byte copying buffer.
        let long = (0..<1000).lazy.map { UInt8(truncatingIfNeeded: $0) }
        #expect(SHA256.hash(long) == SHA256.hash(Array(long)))
        #expect(message.withUnsafeBytes { SHA256.hash($0) } == expected)
        // Strings hash as their UTF-8 bytes, including non-ASCII ones.
        let text = "prev=\u{E9}t\u{E9} \u{1F600}"
        var fromString = SHA256()
        fromString.update(text)
        #expect(fromString.finalize() == SHA256.hash(Array(text.utf8)))
    }

    @Test("Finalizing a copy leaves the original free to continue")
    func copiesAreIndependent() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        let fork = hasher
        hasher.update(Array("c".utf8))
        #expect(fork.finalize() == SHA256.hash(Array("ab".utf8)))
        let prefix = hasher.finalize()
        #expect(prefix.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        hasher.update(Array("d".utf8))
        #expect(hasher.finalize() == SHA256.hash(Array("abcd".utf8)))
    }

    // MARK: - SHA256Digest

    @Test("withUnsafeBytes exposes the 32 digest bytes in standard big-endian order")
    func digestBytes() {
        let digest = SHA256.hash(Array("abc".utf8))
        let bytes = digest.withUnsafeBytes { Array($0) }
        #expect(bytes == Self.bytes(hex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        #expect(SHA256Digest.zero.withUnsafeBytes { Array($0) } == [UInt8](repeating: 0, count: 32))
    }

    @Test("Hex text round-trips, and upper case parses to the same digest")
    func hexRoundTrip() {
        let digest = SHA256.hash(Self.pattern200)
        #expect(digest.hex == Self.pattern200Digest)
        #expect(digest.description == digest.hex)
        #expect("\(digest)" == Self.pattern200Digest)
        #expect(SHA256Digest(hex: digest.hex) == digest)
        #expect(SHA256Digest(hex: Self.pattern200Digest.uppercased()) == digest)
        let mixed = "5E48d64839A8bff5e2471507af6a49f9990817df437857f4a2007df41266E1B5"
        #expect(SHA256Digest(hex: mixed) == digest)
        // A Substring out of a larger record.
        let line = "prev=\(Self.pattern200Digest);next"
        let start = line.index(line.startIndex, offsetBy: 5)
        #expect(SHA256Digest(hex: line[start..<line.index(start, offsetBy: 64)]) == digest)
        #expect(SHA256Digest.zero.hex == String(repeating: "0", count: 64))
        #expect(SHA256Digest(hex: String(repeating: "0", count: 64)) == .zero)
        #expect(SHA256Digest(hex: String(repeating: "f", count: 64))?.hex == String(repeating: "f", count: 64))
    }

    @Test("Hex parses from raw ASCII bytes and writeHex appends the same 64 bytes")
    func hexBytes() {
        let digest = SHA256.hash(Self.pattern200)
        var buffer = Array("prev=".utf8)
        digest.writeHex(to: &buffer)
        #expect(buffer == Array("prev=".utf8) + Array(Self.pattern200Digest.utf8))
        let parsed = buffer[5...].withUnsafeBytes { SHA256Digest(hexUTF8: $0) }
        #expect(parsed == digest)
    }

    @Test("Bad hex is rejected: wrong length, non-hex characters, whitespace, prefixes")
    func badHexRejected() {
        let good = Self.pattern200Digest
        #expect(SHA256Digest(hex: String(good.dropLast())) == nil)  // 63 characters
        #expect(SHA256Digest(hex: good + "0") == nil)  // 65 characters
        #expect(SHA256Digest(hex: "") == nil)
        #expect(SHA256Digest(hex: "g" + good.dropFirst()) == nil)
        #expect(SHA256Digest(hex: good.dropLast() + "G") == nil)
        #expect(SHA256Digest(hex: good.dropLast() + " ") == nil)
        #expect(SHA256Digest(hex: "0x" + good.dropFirst(2)) == nil)
        #expect(SHA256Digest(hex: String(good.dropLast()) + "\u{E9}") == nil)  // 65 UTF-8 bytes
        // Characters just outside the hex ranges.
        for bad in ["/", ":", "@", "`", "[", "{"] {
            #expect(SHA256Digest(hex: bad + good.dropFirst()) == nil, "\(bad)")
        }
        let short = Array(good.utf8.dropLast())
        #expect(short.withUnsafeBytes { SHA256Digest(hexUTF8: $0) } == nil)
        #expect(SHA256Digest(hexUTF8: UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
    }

    @Test("Digests compare and hash by all 32 bytes")
    func equalityAndHashing() {
        let a = SHA256.hash(Array("a".utf8))
        let b = SHA256.hash(Array("b".utf8))
        #expect(a != b)
        #expect(a == SHA256.hash(Array("a".utf8)))
        #expect(a != .zero)
        // Differ only in the last byte.
        let last0 = SHA256Digest(hex: String(repeating: "0", count: 63) + "1")!
        let last1 = SHA256Digest(hex: String(repeating: "0", count: 63) + "2")!
        #expect(last0 != last1)
        #expect(Set([a, b, a, .zero, last0, last1]).count == 5)
    }
}
