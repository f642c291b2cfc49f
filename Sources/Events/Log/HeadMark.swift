/// `<store>/head.mark`: the last durable record the daemon saw, as plain text with a tag under the
/// store's key.
///
/// ```
/// tracker head mark
/// seq: 59
/// hash: 3f2a…(64 hex)
/// segment: 1
/// offset: 23456
/// written: 2026-11-21T05:23:19.123456Z
/// tag: 9c1e…(32 hex: SipHash-2-4-128 of the lines above, newlines included)
/// ```
///
/// trackerd rewrites it off the acknowledgement path: at most once a second while the head moves,
/// at once when a new segment starts, and at shutdown (atomically: a new file, synced, renamed).
/// It is never ahead of the log: it is written only after the records it names are synced.
public struct HeadMark: Sendable, Equatable {
    /// The record the mark names.
    public var position: LogPosition
    /// When it was written (the system's time, as text: it is only shown, never relied on).
    public var written: String

    public init(position: LogPosition, written: String) {
        self.position = position
        self.written = written
    }

    static let title = "tracker head mark"
    /// A mark file is a few hundred bytes; anything larger is not one.
    static let sizeLimit = 4096

    /// The file's text, tag included.
    public func fileText(key: SipHashKey) -> [UInt8] {
        var text = Array("""
        \(Self.title)
        seq: \(position.seq)
        hash: \(position.hash.hex)
        segment: \(position.segment)
        offset: \(position.offset)
        written: \(written)

        """.utf8)
        let tag = SipHash.tag(text, key: key)
        text.append(contentsOf: "tag: \(tag.hex)\n".utf8)
        return text
    }

    /// Writes the mark to `layout.headMark`, replacing the old one atomically.
    public func write(to layout: StoreLayout, key: SipHashKey) throws(Errno) {
        try FileSystem.replaceFile(layout.headMark, with: fileText(key: key))
    }

    /// What reading the mark file found.
    public enum Found: Sendable, Equatable {
        /// No mark file.
        case none
        /// A mark whose tag checks.
        case mark(HeadMark)
        /// A file that is not a mark of this store, and why.
        case rejected(String)
    }

    /// Reads and checks `layout.headMark`.
    public static func read(_ layout: StoreLayout, key: SipHashKey) -> Found {
        let bytes: [UInt8]
        do throws(Errno) {
            guard let read = try FileSystem.readSmallFile(layout.headMark, limit: sizeLimit) else { return .none }
            bytes = read
        } catch {
            return .rejected("it cannot be read as a plain file (\(error))")
        }
        return parse(bytes, key: key)
    }

    /// Checks a mark file's bytes.
    public static func parse(_ bytes: [UInt8], key: SipHashKey) -> Found {
        let tagPrefix = Array("tag: ".utf8)
        // The tag line is the last line; what it covers is everything before it.
        guard bytes.last == 0x0A, let start = bytes.dropLast().lastIndex(of: 0x0A).map({ $0 + 1 }),
              bytes[start...].starts(with: tagPrefix) else {
            return .rejected("it has no tag line")
        }
        let covered = Array(bytes[..<start])
        guard let tag = SipHashTag(hex: String(decoding: bytes[(start + tagPrefix.count)..<(bytes.count - 1)], as: UTF8.self)) else {
            return .rejected("its tag is malformed")
        }
        guard SipHash.tag(covered, key: key).matches(tag) else {
            return .rejected("its tag does not match: it was not written with this store's key")
        }
        let lines = String(decoding: covered, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 7, lines[0] == title, lines[6].isEmpty else { return .rejected("it is not laid out as a head mark") }
        func field(_ index: Int, _ name: String) -> Substring? {
            let prefix = name + ": "
            guard lines[index].hasPrefix(prefix) else { return nil }
            return lines[index].dropFirst(prefix.count)
        }
        guard let seq = field(1, "seq").flatMap({ UInt64($0) }),
              let hash = field(2, "hash").flatMap({ SHA256Digest(hex: $0) }),
              let segment = field(3, "segment").flatMap({ UInt64($0) }), segment >= 1,
              let offset = field(4, "offset").flatMap({ Int64($0) }), offset >= 0,
              let written = field(5, "written") else {
            return .rejected("one of its fields is malformed")
        }
        return .mark(HeadMark(position: LogPosition(seq: seq, hash: hash, segment: segment, offset: offset), written: String(written)))
    }
}
