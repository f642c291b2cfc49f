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
        guard let tail = tailFields(line) else { return nil }
        return LineCheck(seq: tail.seq, prev: tail.prev, hash: tail.hash, hashMatches: hashMatches(line, prev: tail.prev, hash: tail.hash))
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
        var ids = IdentifierReader.validating
        return try decode(line, ids: &ids, checkHash: true)
    }

    /// Parses a record line, making ids with `ids`; `checkHash: false` skips recomputing the hash
    /// (for a caller that already checked it, or that only replays and checks the chain links).
    ///
    /// The envelope has a fixed layout and is read in place; only the body goes through the JSON parser.
    public static func decode(_ line: UnsafeRawBufferPointer, ids: inout IdentifierReader, checkHash: Bool) throws(TrackerError) -> Record {
        guard let tail = tailFields(line) else { throw TrackerError(.corrupt, "the line is not a complete record") }
        if checkHash && !hashMatches(line, prev: tail.prev, hash: tail.hash) {
            throw TrackerError(.corrupt, "record \(tail.seq): its hash does not match its bytes")
        }
        var cursor = ByteCursor(line)
        guard cursor.expect(#"{"seq":"#), let seq = cursor.unsigned(), seq == tail.seq,
              cursor.expect(#","time":""#), let time = cursor.recordTime(), cursor.expect(#"","actor":{"uid":"#),
              let uid = cursor.unsigned(), let uid32 = UInt32(exactly: uid), cursor.expect(#","name":""#), let name = cursor.plainString(),
              cursor.expect(#"},"type":""#), let type = cursor.plainString(), cursor.expect(#","v":"#), let version = cursor.unsigned(),
              cursor.expect(#","body":"#) else {
            return try decodeGeneric(line, tail: tail, ids: &ids)
        }
        let bodyEnd = line.count - prevTailCount
        guard cursor.position < bodyEnd else { throw TrackerError(.corrupt, "record \(seq) has no body") }
        if (1...UInt64(DisbursementRecorded.version)).contains(version) && type == DisbursementRecorded.type,
           let body = DisbursementRecorded(canonical: UnsafeRawBufferPointer(rebasing: line[cursor.position..<bodyEnd]), ids: &ids) {
            return Record(seq: seq, time: time, actor: Actor(uid: uid32, name: name), event: .disbursementRecorded(body), prev: tail.prev, hash: tail.hash)
        }
        let value: JSONValue
        do throws(JSONParseError) { value = try JSONParser(maxDepth: 16).parse(UnsafeRawBufferPointer(rebasing: line[cursor.position..<bodyEnd])) } catch {
            throw TrackerError(.corrupt, "record \(seq): its body is not JSON: \(error)")
        }
        guard case .object(let body) = value else { throw TrackerError(.corrupt, "record \(seq): its body is not an object") }
        do throws(TrackerError) {
            let event = try Event(type: type, version: Int(version), body: body, ids: &ids)
            return Record(seq: seq, time: time, actor: Actor(uid: uid32, name: name), event: event, prev: tail.prev, hash: tail.hash)
        } catch {
            throw TrackerError(.corrupt, "record \(seq): \(error.message)")
        }
    }

    /// The fixed tail's fields, without hashing.
    static func tailFields(_ line: UnsafeRawBufferPointer) -> (seq: UInt64, prev: SHA256Digest, hash: SHA256Digest)? {
        guard line.count > prevTailCount + 8, let seq = leadingSeq(line) else { return nil }
        let hashStart = line.count - hashTailCount
        let prevStart = line.count - prevTailCount
        guard matches(line, at: hashStart, #","hash":""#), matches(line, at: prevStart, #","prev":""#),
              line[line.count - 2] == UInt8(ascii: "\""), line[line.count - 1] == UInt8(ascii: "}"),
              line[hashStart - 1] == UInt8(ascii: "\""),
              let prev = SHA256Digest(hexUTF8: UnsafeRawBufferPointer(rebasing: line[(prevStart + 9)..<(prevStart + 73)])),
              let hash = SHA256Digest(hexUTF8: UnsafeRawBufferPointer(rebasing: line[(hashStart + 9)..<(hashStart + 73)])) else { return nil }
        return (seq, prev, hash)
    }

    /// Whether `hash` is SHA-256 of the prev hex and the line's bytes before the hash field.
    static func hashMatches(_ line: UnsafeRawBufferPointer, prev: SHA256Digest, hash: SHA256Digest) -> Bool {
        let hashStart = line.count - hashTailCount
        let prevStart = line.count - prevTailCount
        var hasher = SHA256()
        hasher.update(UnsafeRawBufferPointer(rebasing: line[(prevStart + 9)..<(prevStart + 73)]))
        hasher.update(UnsafeRawBufferPointer(rebasing: line[0..<hashStart]))
        return hasher.finalize() == hash
    }

    /// The slow, thorough way: the whole line through the JSON parser, for lines whose envelope is
    /// not laid out as this build writes it (the error then says what is wrong).
    private static func decodeGeneric(_ line: UnsafeRawBufferPointer, tail: (seq: UInt64, prev: SHA256Digest, hash: SHA256Digest),
                                      ids: inout IdentifierReader) throws(TrackerError) -> Record {
        let value: JSONValue
        do { value = try JSONParser(maxDepth: 16).parse(line) } catch {
            throw TrackerError(.corrupt, "record \(tail.seq): \(error)")
        }
        guard case .object(let object) = value else { throw TrackerError(.corrupt, "record \(tail.seq) is not a JSON object") }
        guard object.keys == ["seq", "time", "actor", "type", "v", "body", "prev", "hash"] else {
            throw TrackerError(.corrupt, "record \(tail.seq) has fields \(object.keys), not the record layout")
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
            let event = try Event(type: object.string("type"), version: Int(object.int("v")), body: object.object("body"), ids: &ids)
            return Record(seq: tail.seq, time: time, actor: actor, event: event, prev: tail.prev, hash: tail.hash)
        } catch {
            throw TrackerError(.corrupt, "record \(tail.seq): \(error.message)")
        }
    }
}
