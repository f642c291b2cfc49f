import Glibc

/// Writes and reads the record line format, byte for byte.
///
/// Encoding appends to a caller's buffer (a whole batch of records is one write). The fixed tail
/// `,"prev":"<64 hex>","hash":"<64 hex>"}` lets `verifyLine` check a record's hash without parsing
/// its JSON, which is what makes `trackctl verify` fast.
public enum RecordCodec {
    /// Bytes from the start of `,"prev":` to the end of the line (without newline): 9 + 64 + 1 + 9 + 64 + 2.
    static let prevTailCount = 149
    /// Bytes of `,"hash":"<64 hex>"}`.
    static let hashTailCount = 75

    /// Appends one encoded record line (with its newline) to `buffer` and returns its hash.
    public static func encode(seq: UInt64, time: Timestamp, actor: Actor, event: Event, prev: SHA256Digest,
                              into buffer: inout [UInt8]) -> SHA256Digest {
        var timeBytes: [UInt8] = []
        timeBytes.reserveCapacity(27)
        time.write(to: &timeBytes)
        return encode(seq: seq, timeBytes: timeBytes, actor: actor, event: event, prev: prev, into: &buffer)
    }

    /// `encode` with the record time already rendered (a batch shares one time).
    public static func encode(seq: UInt64, timeBytes: [UInt8], actor: Actor, event: Event, prev: SHA256Digest,
                              into buffer: inout [UInt8]) -> SHA256Digest {
        let start = buffer.count
        var w = JSONWriter(capacity: 0)
        swap(&w.bytes, &buffer)
        w.beginObject()
        w.key("seq"); w.int(Int64(seq))
        w.key("time"); w.raw([UInt8(ascii: "\"")] + timeBytes + [UInt8(ascii: "\"")])
        w.key("actor")
        w.beginObject()
        w.key("uid"); w.int(Int64(actor.uid))
        w.key("name"); w.string(actor.name)
        w.endObject()
        w.key("type"); w.string(event.type)
        w.key("v"); w.int(event.version)
        w.key("body")
        event.encodeBody(to: &w)
        w.key("prev")
        swap(&w.bytes, &buffer)
        buffer.append(UInt8(ascii: "\""))
        prev.writeHex(to: &buffer)
        buffer.append(UInt8(ascii: "\""))
        var hasher = SHA256()
        var prevHex: [UInt8] = []
        prevHex.reserveCapacity(64)
        prev.writeHex(to: &prevHex)
        hasher.update(prevHex)
        buffer.withUnsafeBytes { raw in hasher.update(UnsafeRawBufferPointer(rebasing: raw[start...])) }
        let hash = hasher.finalize()
        buffer.append(contentsOf: #","hash":""#.utf8)
        hash.writeHex(to: &buffer)
        buffer.append(contentsOf: "\"}\n".utf8)
        return hash
    }

    /// What a line says about itself, from its fixed tail alone.
    public struct LineCheck: Sendable {
        /// The sequence number at the start of the line.
        public let seq: UInt64
        /// The `prev` field.
        public let prev: SHA256Digest
        /// The `hash` field.
        public let hash: SHA256Digest
        /// Whether `hash` matches SHA-256 of prev + the line's bytes before the hash field.
        public let hashMatches: Bool
    }

    /// Checks a line's own hash without parsing its JSON; nil when the line is not shaped like a record.
    ///
    /// `line` excludes the newline.
    public static func verifyLine(_ line: UnsafeRawBufferPointer) -> LineCheck? {
        guard line.count > prevTailCount + 8, let seq = leadingSeq(line) else { return nil }
        let hashStart = line.count - hashTailCount
        let prevStart = line.count - prevTailCount
        guard matches(line, at: hashStart, #","hash":""#), matches(line, at: prevStart, #","prev":""#),
              line[line.count - 2] == UInt8(ascii: "\""), line[line.count - 1] == UInt8(ascii: "}"),
              line[hashStart - 1] == UInt8(ascii: "\"") else { return nil }
        guard let prev = SHA256Digest(hexUTF8: UnsafeRawBufferPointer(rebasing: line[(prevStart + 9)..<(prevStart + 73)])),
              let hash = SHA256Digest(hexUTF8: UnsafeRawBufferPointer(rebasing: line[(hashStart + 9)..<(hashStart + 73)])) else {
            return nil
        }
        var hasher = SHA256()
        hasher.update(UnsafeRawBufferPointer(rebasing: line[(prevStart + 9)..<(prevStart + 73)]))
        hasher.update(UnsafeRawBufferPointer(rebasing: line[0..<hashStart]))
        return LineCheck(seq: seq, prev: prev, hash: hash, hashMatches: hasher.finalize() == hash)
    }

    /// The number after `{"seq":` at the start of a line, without parsing the rest.
    public static func leadingSeq(_ line: UnsafeRawBufferPointer) -> UInt64? {
        guard matches(line, at: 0, #"{"seq":"#) else { return nil }
        var index = 7
        var value: UInt64 = 0
        while index < line.count, index < 28 {
            let byte = line[index]
            guard byte >= 0x30 && byte <= 0x39 else { break }
            value = value &* 10 &+ UInt64(byte - 0x30)
            index += 1
        }
        return index > 7 && index < line.count && line[index] == UInt8(ascii: ",") ? value : nil
    }

    private static func matches(_ line: UnsafeRawBufferPointer, at offset: Int, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard offset >= 0, offset + count <= line.count else { return false }
        return memcmp(line.baseAddress! + offset, text.utf8Start, count) == 0
    }

    /// Parses a whole record line (without newline), checking its hash.
    ///
    /// Throws `corrupt` naming what is wrong; the caller adds where (segment and offset).
    public static func decode(_ line: UnsafeRawBufferPointer) throws(TrackerError) -> Record {
        guard let check = verifyLine(line) else {
            throw TrackerError(.corrupt, "the line is not a complete record")
        }
        guard check.hashMatches else {
            throw TrackerError(.corrupt, "record \(check.seq): its hash does not match its bytes")
        }
        let value: JSONValue
        do { value = try JSONParser(maxDepth: 16).parse(line) } catch {
            throw TrackerError(.corrupt, "record \(check.seq): \(error)")
        }
        guard case .object(let object) = value else { throw TrackerError(.corrupt, "record \(check.seq) is not a JSON object") }
        guard object.keys == ["seq", "time", "actor", "type", "v", "body", "prev", "hash"] else {
            throw TrackerError(.corrupt, "record \(check.seq) has fields \(object.keys), not the record layout")
        }
        do throws(TrackerError) {
            let timeText = try object.string("time")
            guard let time = Array(timeText.utf8).withUnsafeBytes({ Timestamp.parseRecordTime($0) }) else {
                throw TrackerError(.corrupt, "bad record time '\(timeText)'")
            }
            let actorObject = try object.object("actor")
            let uid = try actorObject.int("uid")
            guard let uid32 = UInt32(exactly: uid) else { throw TrackerError(.corrupt, "bad actor uid \(uid)") }
            let actor = Actor(uid: uid32, name: try actorObject.string("name"))
            let event = try Event(type: object.string("type"), version: Int(object.int("v")), body: object.object("body"))
            return Record(seq: check.seq, time: time, actor: actor, event: event, prev: check.prev, hash: check.hash)
        } catch {
            throw TrackerError(.corrupt, "record \(check.seq): \(error.message)")
        }
    }
}
