import Glibc

/// A consistent copy of a live store: every record through a committed head, byte for byte.
///
/// The log only grows, so the bytes up to a committed head never change: copying them while the
/// daemon keeps appending gives a store that verifies on its own and starts as it is.
public enum LogBackup {
    /// What was copied.
    public struct Report: Sendable {
        public var segments: Int
        public var bytes: Int64
        public var head: LogPosition
    }

    /// Copies the records of the store at `layout` through `head` into the new store directory
    /// `destination` (which must not hold a log already), with its configuration file and a
    /// `BACKUP` file naming the head. Every file and directory is synced.
    public static func copy(from layout: StoreLayout, through head: LogPosition, to destination: String,
                            recordedAt time: Timestamp) throws(TrackerError) -> Report {
        let target = StoreLayout(directory: destination)
        if FileSystem.exists(target.log) {
            throw TrackerError(.conflict, "\(destination) already holds a log; back up into a new or empty directory")
        }
        try LogStore.ioCall("create \(target.log)") { () throws(Errno) in
            try FileSystem.createDirectory(destination)
            try FileSystem.createDirectory(target.log)
        }
        let segments = try LogStore.ioCall("list \(layout.log)") { () throws(Errno) in try SegmentFile.list(in: layout.log) }
        var report = Report(segments: 0, bytes: 0, head: head)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for segment in segments where segment.firstSeq <= head.segment && head.seq > 0 {
            let copyPath = target.log + "/" + SegmentFile.name(firstSeq: segment.firstSeq)
            try LogStore.ioCall("copy \(segment.path) to \(copyPath)") { () throws(Errno) in
                let source = try FileDescriptor.open(segment.path, O_RDONLY)
                defer { source.close() }
                let end = segment.firstSeq == head.segment ? head.offset : try dataEnd(of: source, size: try source.size())
                let copy = try FileDescriptor.open(copyPath, O_WRONLY | O_CREAT | O_EXCL, mode: 0o640)
                defer { copy.close() }
                var offset: Int64 = 0
                while offset < end {
                    let want = Int(min(Int64(buffer.count), end - offset))
                    let n = try buffer.withMutableBytes { (raw) throws(Errno) -> Int in
                        try source.readFully(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]), at: offset)
                    }
                    guard n == want else { throw Errno.ioError }
                    try buffer.withBytes { (raw) throws(Errno) in try copy.writeAll(UnsafeRawBufferPointer(rebasing: raw[0..<n]), at: offset) }
                    offset += Int64(n)
                }
                try copy.sync()
                report.bytes += end
            }
            report.segments += 1
        }
        try LogStore.ioCall("finish the backup in \(destination)") { () throws(Errno) in
            let config = layout.directory + "/trackerd.conf"
            if FileSystem.exists(config) {
                try FileSystem.writeFileAtomically(destination + "/trackerd.conf", try FileSystem.readFile(config))
            }
            let anchor = ChainAnchor(seq: head.seq, hash: head.hash)
            try FileSystem.writeFileAtomically(destination + "/BACKUP", Array(anchor.fileText(recordedAt: time, store: layout.directory).utf8))
            try FileSystem.syncDirectory(target.log)
            try FileSystem.syncDirectory(destination)
        }
        return report
    }
}
