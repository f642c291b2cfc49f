import Events
import Foundation
import Glibc
import Projections

/// Snapshots of the books and the ledger, so start-up reads only the log's tail.
///
/// A snapshot is derived data and is never trusted blindly: its file (`SnapshotFile`) carries the
/// log position it covers and a tag under the store's key (`StoreKey`) over every byte, so only
/// this store's daemon can write one that is believed. A snapshot whose tag checks is also proof
/// that the log reached its position: the start refuses a log that ends before it or holds
/// another record there (`LogStore.open`, `MarkCheck`). One whose tag does not check is ignored,
/// moved aside, and the log is replayed.
struct SnapshotStore {
    let layout: StoreLayout
    let key: SipHashKey

    /// A snapshot that passed its checks.
    struct Loaded {
        var books: Books
        var ledger: Ledger
        var position: LogPosition
        var path: String
    }

    /// The newest snapshot file, mapped, with its envelope and tag checked.
    struct Candidate {
        let path: String
        let file: MappedFile
        let position: LogPosition
        /// Where the payload lies in `file.bytes`.
        let payload: Range<Int>

        var mark: DurableMark { DurableMark(position: position, path: path, source: "the snapshot \(path)") }
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
        var file = BinaryWriter(capacity: 64 << 20)
        SnapshotFile.begin(&file, position: position)
        books.encode(to: &file)
        ledger.encode(to: &file)
        SnapshotFile.finish(&file, key: key)
        let path = self.path(for: position.seq)
        do throws(Errno) {
            try FileSystem.createDirectory(layout.snapshots)
            try FileSystem.replaceFile(path, with: file.bytes)
        } catch {
            throw TrackerError(.ioError, "cannot write the snapshot \(path): \(error)")
        }
        for old in files() where old != path { unlink(old) }
        return (path, file.bytes.count)
    }

    /// The newest snapshot if its tag checks, or nil with the reason it was ignored (the file is
    /// then moved aside as `….ignored`, kept for inspection). `keyIsNew`: the store's key was made
    /// at this start, so a snapshot tagged before cannot check.
    func newest(keyIsNew: Bool) -> (candidate: Candidate?, ignored: String?) {
        guard let path = files().last else { return (nil, nil) }
        do throws(TrackerError) {
            let file: MappedFile
            do throws(Errno) {
                guard let mapped = try MappedFile(path: path) else { return (nil, nil) }
                file = mapped
            } catch {
                throw TrackerError(.ioError, "it cannot be read as a plain file (\(error))")
            }
            let opened = try SnapshotFile.open(file.bytes, key: key)
            let start = opened.payload.baseAddress.map { file.bytes.baseAddress!.distance(to: $0) } ?? 0
            return (Candidate(path: path, file: file, position: opened.position, payload: start..<(start + opened.payload.count)), nil)
        } catch {
            let why = keyIsNew && error.message.hasPrefix("its tag does not match")
                ? "it was tagged with another key than this store's, which was made at this start (a copy of a store without its store.key)"
                : error.message
            return (nil, setAside(path, because: why))
        }
    }

    /// Reads the books and the ledger of a candidate already checked against the log.
    func load(_ candidate: Candidate) throws(TrackerError) -> Loaded {
        var reader = BinaryReader(UnsafeRawBufferPointer(rebasing: candidate.file.bytes[candidate.payload]))
        let books = try Books(snapshot: &reader)
        let ledger = try Ledger(snapshot: &reader)
        let position = candidate.position
        guard reader.atEnd, books.lastSeq == position.seq, ledger.lastSeq == position.seq, ledger.lastHash == position.hash else {
            throw TrackerError(.corrupt, "its contents do not cover the position it names")
        }
        return Loaded(books: books, ledger: ledger, position: position, path: candidate.path)
    }

    /// Moves a snapshot that is not used aside and says so, for the daemon's log.
    func setAside(_ path: String, because why: String) -> String {
        let aside = path + ".ignored"
        let moved = rename(path, aside) == 0
        return "ignored the snapshot \(path): \(why); replaying the whole log instead" + (moved ? " (the file is kept as \(aside))" : "")
    }
}
