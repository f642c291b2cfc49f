/// The envelope of a snapshot file: a fixed header naming the log position it covers, the payload
/// (the books and the ledger, `Books+Snapshot`, `Ledger+Snapshot`), and a tag under the store's key
/// over everything before it.
///
/// ```
/// offset  bytes
///      0     16  "tracker-snapshot"
///     16      4  format version (u32, little-endian): 6
///     20      8  seq of the last record covered (u64)
///     28     64  that record's hash (lowercase hex)
///     92      8  first seq of its segment (u64)
///    100      8  byte offset just past it in that segment (i64)
///    108      8  payload length (u64): the file's size minus 132
///    116      …  payload
///    end-16  16  SipHash-2-4-128 tag, under the store's key, of every byte before it
/// ```
///
/// Opening checks, in order, the magic, the version (another version is rebuilt, never misread),
/// that the length field matches the file's size, and the tag, before any other field is read; so
/// a damaged or forged header is a rejected snapshot, never a trap, and the fields read after the
/// tag are the ones this store wrote.
public enum SnapshotFile {
    public static let magic = Array("tracker-snapshot".utf8)
    /// 3: the tag under the store's key replaced version 2's unkeyed checksum.
    /// 4: payments keyed by their exact reference, payment note fingerprints, allocated sums with
    /// carried-over lines.
    /// 5: contracts, expected disbursements and reports issued (books and ledger), record counts by type.
    /// 6: refunds, amendments, task revisions, successions of agencies and provinces, and money
    /// returned to the budget (books); each line's allocation at its signing, its refunds and
    /// amendments, and the tasks' revisions (ledger).
    /// 7: carry-overs with their legal ground and override (funds.carried_over v2) and late alerts
    /// (alert.raised v2) in the books' and the ledger's events.
    /// 8: decisions keyed by issuer, number and year (`DocumentKey`): every decision in the books'
    /// and the ledger's events and lines in its long form.
    public static let formatVersion: UInt32 = 8
    static let headerCount = 116
    static let tagCount = 16
    static let lengthOffset = 108

    /// Starts a snapshot in `w`: the header, with the payload length to be filled in by `finish`.
    public static func begin(_ w: inout BinaryWriter, position: LogPosition) {
        precondition(w.bytes.isEmpty, "a snapshot starts an empty writer")
        w.bytes.append(contentsOf: magic)
        w.u32(formatVersion)
        w.u64(position.seq)
        position.hash.writeHex(to: &w.bytes)
        w.u64(position.segment)
        w.i64(position.offset)
        w.u64(0)
        assert(w.bytes.count == headerCount)
    }

    /// Ends a snapshot begun with `begin` whose payload has been written: fills in the length and
    /// appends the tag.
    public static func finish(_ w: inout BinaryWriter, key: SipHashKey) {
        let length = UInt64(w.bytes.count - headerCount)
        withUnsafeBytes(of: length.littleEndian) { raw in
            for i in 0..<8 { w.bytes[lengthOffset + i] = raw[i] }
        }
        let tag = SipHash.tag(w.bytes, key: key)
        w.bytes.append(contentsOf: tag.bytes)
    }

    /// A snapshot whose envelope checked out.
    public struct Opened {
        /// The log position it covers.
        public var position: LogPosition
        /// The payload, within the bytes given to `open`.
        public var payload: UnsafeRawBufferPointer
    }

    /// Checks the envelope of the snapshot in `raw`; throws `corrupt` saying why it is not
    /// believed. `key` nil (a store without its key) rejects every snapshot.
    public static func open(_ raw: UnsafeRawBufferPointer, key: SipHashKey?) throws(TrackerError) -> Opened {
        func rejected(_ why: String) -> TrackerError { TrackerError(.corrupt, why) }
        guard raw.count >= magic.count + 4, raw.prefix(magic.count).elementsEqual(magic) else {
            throw rejected("it is not a tracker snapshot")
        }
        var header = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[magic.count..<min(raw.count, headerCount)]))
        let version = try header.u32()
        guard version == formatVersion else {
            throw rejected("its format is version \(version), this build reads version \(formatVersion)")
        }
        guard raw.count >= headerCount + tagCount else { throw rejected("it is cut short (\(raw.count) bytes)") }
        let seq = try header.u64()
        let hashText = try header.bytes(64)
        let segment = try header.u64()
        let offset = try header.i64()
        let length = try header.u64()
        let payloadCount = raw.count - headerCount - tagCount
        guard length == UInt64(payloadCount) else {
            throw rejected("its length field says \(length) bytes of contents, but the file holds \(payloadCount)")
        }
        guard let key else { throw rejected("this store has no key to check its tag with (a copy made without store.key)") }
        let tag = SipHashTag(bytes: UnsafeRawBufferPointer(rebasing: raw[(raw.count - tagCount)...]))!
        guard SipHash.tag(UnsafeRawBufferPointer(rebasing: raw[..<(raw.count - tagCount)]), key: key).matches(tag) else {
            throw rejected("its tag does not match: it was not written with this store's key (damaged, forged, or copied from another store)")
        }
        guard let hash = SHA256Digest(hexUTF8: hashText) else { throw rejected("its head hash is malformed") }
        guard segment >= 1, offset >= 0, seq == 0 || segment <= seq else {
            throw rejected("it names an impossible position (seq \(seq), segment \(segment), offset \(offset))")
        }
        return Opened(position: LogPosition(seq: seq, hash: hash, segment: segment, offset: offset),
                      payload: UnsafeRawBufferPointer(rebasing: raw[headerCount..<(headerCount + payloadCount)]))
    }
}
