import Events
import Projections

/// What a mirror keeps across restarts (`<dir>/mirror.state`): the stream position it has
/// folded through, every store's chain state, and the national ledger folded from them. Written
/// whole (new temporary file, synced, renamed) before the consumer's position is acknowledged, so
/// the position never runs ahead of the state: a position without the state would lose records.
///
///     "tracker-mirror\n"  format (u32)  stream seq (u64)  mirror seq (u64)  stores (count; each:
///     store, province, seq, hash hex, stopped?)  the ledger (as in snapshots)  SHA-256 of all before
///
/// A damaged file (its checksum) or another format is set aside and the mirror starts over from
/// the stream's first message: it is a cache of the stream. It is not tagged: whoever can write
/// the mirror's directory can change its figures (delete the file to rebuild from the stream).
struct MirrorState {
    var streamSeq: UInt64 = 0
    var mirrorSeq: UInt64 = 0
    var stores: [MirroredStore] = []
    var ledger = Ledger()

    static let magic = Array("tracker-mirror\n".utf8)
    static let format: UInt32 = 1

    static func path(_ layout: StoreLayout) -> String { layout.directory + "/mirror.state" }

    func encoded() -> [UInt8] {
        var w = BinaryWriter(capacity: 1 << 20)
        w.bytes += Self.magic
        w.u32(Self.format)
        w.u64(streamSeq)
        w.u64(mirrorSeq)
        w.count(stores.count)
        for store in stores {
            w.string(store.store)
            w.string(store.province)
            w.u64(store.seq)
            w.string(store.hash.hex)
            w.optionalString(store.stopped)
        }
        ledger.encode(to: &w)
        let digest = SHA256.hash(w.bytes)
        w.string(digest.hex)
        return w.bytes
    }

    /// Reads a state file; nil when there is none; an error naming what is wrong otherwise.
    static func read(_ layout: StoreLayout) throws(TrackerError) -> MirrorState? {
        let path = path(layout)
        let bytes: [UInt8]
        do throws(Errno) {
            guard let read = try FileSystem.readSmallFile(path, limit: 1 << 34) else { return nil }
            bytes = read
        } catch {
            throw TrackerError(.corrupt, "cannot read \(path): \(error)")
        }
        // The checksum: a length-prefixed 64-character hex string at the end.
        guard bytes.count > Self.magic.count + 8 + 64, Array(bytes.prefix(Self.magic.count)) == Self.magic else {
            throw TrackerError(.corrupt, "\(path) is not a mirror state")
        }
        let body = bytes.dropLast(68)
        guard let stored = SHA256Digest(hex: String(decoding: bytes.suffix(64), as: UTF8.self)), SHA256.hash(Array(body)) == stored else {
            throw TrackerError(.corrupt, "\(path) is damaged: its checksum does not match")
        }
        return try Array(body).withBytes { (raw) throws(TrackerError) -> MirrorState in
            var r = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[Self.magic.count...]))
            guard try r.u32() == Self.format else { throw TrackerError(.corrupt, "\(path) is of another format") }
            var state = MirrorState()
            state.streamSeq = try r.u64()
            state.mirrorSeq = try r.u64()
            for _ in 0..<(try r.count()) {
                let store = try r.string()
                let province = try r.string()
                let seq = try r.u64()
                guard let hash = SHA256Digest(hex: try r.string()) else { throw TrackerError(.corrupt, "\(path): a store's hash is not hex") }
                state.stores.append(MirroredStore(store: store, province: province, seq: seq, hash: hash, stopped: try r.optionalString()))
            }
            state.ledger = try Ledger(snapshot: &r)
            return state
        }
    }

    /// Writes the state whole (never half: a new file renamed over the old).
    func write(_ layout: StoreLayout) throws(TrackerError) {
        do throws(Errno) { try FileSystem.replaceFile(Self.path(layout), with: encoded(), mode: 0o640) } catch {
            throw TrackerError(.ioError, "cannot write \(Self.path(layout)): \(error)")
        }
    }
}
