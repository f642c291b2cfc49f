import Events
import Projections
import Testing

/// Snapshot files from outside are input like any other: whatever bytes are in one, reading it
/// either gives back a whole state or refuses it with `corrupt`, and never traps or allocates by
/// an unchecked length.
@Suite("Snapshot files: a malformed, forged or random file is refused, never a trap")
struct SnapshotFuzzTests {
    static let key = SipHashKey(bytes: (0..<16).map { UInt8($0 &* 7 &+ 3) })!
    static let position = LogPosition(seq: 0, hash: .zero, segment: 1, offset: 12345)
    static let headerCount = 116

    /// The snapshot file of a fold, as trackerd writes it.
    static func file(_ fold: Fold, key: SipHashKey = key) -> [UInt8] {
        var w = BinaryWriter()
        SnapshotFile.begin(&w, position: LogPosition(seq: fold.ledger.lastSeq, hash: fold.ledger.lastHash, segment: 1, offset: 12345))
        fold.books.encode(to: &w)
        fold.ledger.encode(to: &w)
        SnapshotFile.finish(&w, key: key)
        return w.bytes
    }

    /// Reads a file as the daemon does: the envelope and its tag, then the books and the ledger.
    static func read(_ bytes: [UInt8], key: SipHashKey? = key) throws(TrackerError) -> (LogPosition, Books, Ledger) {
        try bytes.withBytes { (raw) throws(TrackerError) -> (LogPosition, Books, Ledger) in
            let opened = try SnapshotFile.open(raw, key: key)
            var reader = BinaryReader(opened.payload)
            let books = try Books(snapshot: &reader)
            let ledger = try Ledger(snapshot: &reader)
            guard reader.atEnd else { throw TrackerError(.corrupt, "bytes left over") }
            return (opened.position, books, ledger)
        }
    }

    /// `bytes` with its payload replaced by `payload`, the length fixed and the tag made again:
    /// what a bug in the writer, or someone holding the key, could produce.
    static func retagged(_ bytes: [UInt8], payload: [UInt8]) -> [UInt8] {
        var file = Array(bytes.prefix(headerCount)) + payload
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { file.replaceSubrange(108..<116, with: $0) }
        return file + SipHash.tag(file, key: key).bytes
    }

    static func refused(_ bytes: [UInt8], key: SipHashKey? = key) -> TrackerError? {
        do throws(TrackerError) { _ = try read(bytes, key: key); return nil } catch { return error }
    }

    @Test("the file as written reads back, with the position it names")
    func roundTrip() throws {
        let fold = try SnapshotTests.richFold()
        let (position, books, ledger) = try Self.read(Self.file(fold))
        #expect(position.seq == fold.ledger.lastSeq && position.hash == fold.ledger.lastHash && position.offset == 12345)
        #expect(books.lastSeq == fold.books.lastSeq && ledger.lastSeq == fold.ledger.lastSeq)
    }

    @Test("every bit of the header and of the tag, flipped, is refused; so are large values in every field, cuts and extensions")
    func headerFlips() throws {
        let whole = Self.file(try SnapshotTests.richFold())
        let tagStart = whole.count - 16
        for index in Array(0..<Self.headerCount) + Array(tagStart..<whole.count) {
            for bit in 0..<8 {
                var bytes = whole
                bytes[index] ^= UInt8(1 << bit)
                #expect(Self.refused(bytes)?.code == .corrupt, "byte \(index), bit \(bit)")
            }
        }
        for offset in stride(from: 16, to: Self.headerCount - 7, by: 4) {
            for value: UInt64 in [0x8000_0000_0000_0000, .max, UInt64(whole.count), 0] {
                var bytes = whole
                withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + 8), with: $0) }
                if bytes != whole { #expect(Self.refused(bytes) != nil, "\(value) at byte \(offset)") }
            }
        }
        for cut in [0, 1, 15, 16, 19, 20, 115, 116, 131, whole.count / 2, whole.count - 1] {
            #expect(Self.refused(Array(whole.prefix(cut))) != nil, "cut to \(cut) bytes")
        }
        #expect(Self.refused(whole + [0]) != nil, "one byte more")
        #expect(Self.refused(whole, key: nil)?.message.contains("no key") == true)
        #expect(Self.refused(whole, key: SipHashKey(bytes: [UInt8](repeating: 9, count: 16))!)?.message.contains("its tag does not match") == true)
        var version2 = whole
        version2[16] = 2
        #expect(Self.refused(version2)?.message == "its format is version 2, this build reads version \(SnapshotFile.formatVersion)")
    }

    @Test("random files of any length, with or without the magic in front, are refused")
    func randomFiles() {
        var random = SeededRandom(seed: 1)
        let magic = Array("tracker-snapshot".utf8)
        for round in 0..<3000 {
            let length = Int(random.next() % 400)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if round % 2 == 0 { bytes = magic + [3, 0, 0, 0] + bytes }
            #expect(Self.refused(bytes) != nil, "round \(round)")
        }
    }

    @Test("contents changed and tagged again are read or refused, never a trap: bytes flipped, counts and lengths made huge, cuts")
    func retaggedContents() throws {
        let whole = Self.file(try SnapshotTests.richFold())
        let payload = Array(whole[Self.headerCount..<(whole.count - 16)])
        var random = SeededRandom(seed: 2)
        var read = 0
        for round in 0..<1500 {
            var changed = payload
            switch round % 3 {
            case 0:
                for _ in 0...(random.next() % 4) { changed[Int(random.next() % UInt64(changed.count))] = UInt8(truncatingIfNeeded: random.next()) }
            case 1:
                // A count or a string length: four bytes, at any place, made large or odd.
                let at = Int(random.next() % UInt64(changed.count - 4))
                let values: [UInt32] = [.max, 0x7FFF_FFFF, 0x8000_0000, UInt32(changed.count), 1_000_000, 0]
                let value = values[Int(random.next() % UInt64(values.count))]
                withUnsafeBytes(of: value.littleEndian) { changed.replaceSubrange(at..<(at + 4), with: $0) }
            default:
                changed = Array(changed.prefix(Int(random.next() % UInt64(changed.count))))
            }
            if Self.refused(Self.retagged(whole, payload: changed)) == nil { read += 1 }
        }
        // Most changes are caught by the structure; what reads is a state of the same shape.
        #expect(read < 1500)
    }
}
