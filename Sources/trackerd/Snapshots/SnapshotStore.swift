import Events
import Foundation
import Glibc
import Projections

/// Snapshots of the books and the ledger, so start-up reads only the log's tail.
///
/// A snapshot is derived data and is never trusted blindly: its file carries a checksum of its
/// contents (`Checksum64`) and the log position (seq, hash, segment, offset) it covers, and it is used only when
/// both check out against the log as it is. Otherwise it is ignored (and a fresh one is written
/// after the replay).
struct SnapshotStore {
    static let magic = Array("tracker-snapshot".utf8)
    /// 3: payments keyed by their exact reference, payment note fingerprints, allocated sums with carried-over lines.
    static let formatVersion: UInt32 = 3

    let layout: StoreLayout

    /// A snapshot that passed its checks.
    struct Loaded {
        var books: Books
        var ledger: Ledger
        var position: LogPosition
        var path: String
    }

    /// The snapshot files, newest last.
    func files() -> [String] {
        ((try? FileSystem.list(layout.snapshots)) ?? []).filter { $0.hasPrefix("snapshot-") && $0.hasSuffix(".bin") }.sorted()
            .map { layout.snapshots + "/" + $0 }
    }

    /// The file of the snapshot covering the log through `seq`.
    func path(for seq: UInt64) -> String {
        let digits = String(seq)
        return layout.snapshots + "/snapshot-" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".bin"
    }

    /// Whether the newest snapshot covers the log through `seq` already.
    func covers(_ seq: UInt64) -> Bool { files().last == path(for: seq) }

    /// Writes a snapshot covering `position` and removes older ones.
    func write(books: Books, ledger: Ledger, position: LogPosition) throws(TrackerError) -> (path: String, bytes: Int) {
        var payload = BinaryWriter(capacity: 64 << 20)
        books.encode(to: &payload)
        ledger.encode(to: &payload)
        var file = BinaryWriter(capacity: payload.bytes.count + 256)
        file.bytes.append(contentsOf: Self.magic)
        file.u32(Self.formatVersion)
        file.u64(position.seq)
        file.string(position.hash.hex)
        file.u64(position.segment)
        file.i64(position.offset)
        file.u64(payload.bytes.withUnsafeBytes { Checksum64.of($0) })
        file.u64(UInt64(payload.bytes.count))
        file.bytes.append(contentsOf: payload.bytes)
        let path = self.path(for: position.seq)
        do throws(Errno) {
            try FileSystem.createDirectory(layout.snapshots)
            try FileSystem.writeFileAtomically(path, file.bytes)
        } catch {
            throw TrackerError(.ioError, "cannot write the snapshot \(path): \(error)")
        }
        for old in files() where old != path { unlink(old) }
        return (path, file.bytes.count)
    }

    /// The newest snapshot that checks out against the log, or nil with the reason it was ignored.
    func loadLatest(head: LogPosition) -> (snapshot: Loaded?, ignored: String?) {
        guard let path = files().last else { return (nil, nil) }
        do throws(TrackerError) {
            return (try FileSystem.withMappedFile(path) { (raw) throws(TrackerError) -> Loaded in try decode(raw, path: path, head: head) }, nil)
        } catch {
            // Moved aside (kept for inspection), so the next snapshot is written afresh.
            let aside = path + ".ignored"
            let moved = rename(path, aside) == 0
            return (nil, "ignored the snapshot \(path): \(error.message); replaying the whole log instead"
                + (moved ? " (the file is kept as \(aside))" : ""))
        }
    }

    private func decode(_ raw: UnsafeRawBufferPointer, path: String, head: LogPosition) throws(TrackerError) -> Loaded {
        guard raw.count > Self.magic.count, Array(raw.prefix(Self.magic.count)) == Self.magic else {
            throw TrackerError(.corrupt, "it is not a tracker snapshot")
        }
        var header = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[Self.magic.count...]))
        let version = try header.u32()
        guard version == Self.formatVersion else {
            throw TrackerError(.corrupt, "its format is version \(version), this build reads \(Self.formatVersion)")
        }
        let seq = try header.u64()
        guard let hash = SHA256Digest(hex: try header.string()) else { throw TrackerError(.corrupt, "its head hash is malformed") }
        let position = LogPosition(seq: seq, hash: hash, segment: try header.u64(), offset: try header.i64())
        let checksum = try header.u64()
        let length = Int(try header.u64())
        let payloadStart = raw.count - length
        guard length >= 0, payloadStart > Self.magic.count else { throw TrackerError(.corrupt, "it is cut short") }
        let payload = UnsafeRawBufferPointer(rebasing: raw[payloadStart...])
        guard Checksum64.of(payload) == checksum else {
            throw TrackerError(.corrupt, "its checksum does not match its contents")
        }
        if let mismatch = LogReader(directory: layout.directory).mismatch(at: position, head: head) {
            throw TrackerError(.corrupt, "it does not match the log: \(mismatch)")
        }
        var reader = BinaryReader(payload)
        let books = try Books(snapshot: &reader)
        let ledger = try Ledger(snapshot: &reader)
        guard reader.atEnd, books.lastSeq == seq, ledger.lastSeq == seq, ledger.lastHash == hash else {
            throw TrackerError(.corrupt, "its contents do not cover the position it names")
        }
        return Loaded(books: books, ledger: ledger, position: position, path: path)
    }
}
