import Events
import Foundation

/// A record with the store it belongs to, for consumers that read many stores:
/// `{"store":"<store id>","seq":N,"record":<the record's bytes as stored>}`.
///
/// The record's bytes are never changed (its hash covers them); the store id and seq travel
/// beside them. The same members make a line of `log`'s follow stream (with `id` and
/// `"stream":"log"` before them) and the payload of a JetStream message.
public struct LogEnvelope: Sendable, Equatable {
    /// The store's id (`StoreID.text`).
    public var store: String
    /// The record's seq (the same as in the record).
    public var seq: UInt64
    /// The record's bytes exactly as stored, without newline.
    public var record: [UInt8]

    public init(store: String, seq: UInt64, record: [UInt8]) {
        self.store = store
        self.seq = seq
        self.record = record
    }

    /// Writes `"store":…,"seq":…,"record":…` into an open object.
    public static func encodeMembers(store: String, seq: UInt64, record: UnsafeRawBufferPointer, to w: inout JSONWriter) {
        w.key("store"); w.string(store)
        w.key("seq"); w.int(Int64(seq))
        w.key("record"); w.raw(record)
    }

    /// The envelope as one JSON object (no newline).
    public static func encoded(store: String, seq: UInt64, record: UnsafeRawBufferPointer) -> [UInt8] {
        var w = JSONWriter(capacity: record.count + store.utf8.count + 48)
        w.beginObject()
        encodeMembers(store: store, seq: seq, record: record, to: &w)
        w.endObject()
        return w.bytes
    }

    /// A line of `log`'s follow stream: `{"id":…,"stream":"log","store":…,"seq":…,"record":…}` and a newline.
    public static func streamLine(id: JSONValue, store: String, seq: UInt64, record: UnsafeRawBufferPointer, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.value(id)
        w.key("stream"); w.string("log")
        encodeMembers(store: store, seq: seq, record: record, to: &w)
        w.endObject()
        w.endLine()
    }

    /// What a line of the follow stream, or an envelope, holds: an envelope, or only `next`
    /// (the seq after records the filters passed over).
    public enum Item: Sendable, Equatable {
        case record(LogEnvelope)
        case next(UInt64)
    }

    /// Reads an envelope or a follow stream line, taking the record's bytes exactly as they
    /// stand in `bytes` (never re-serialised). Members it does not know are passed over.
    public static func read(_ bytes: UnsafeRawBufferPointer) throws(TrackerError) -> Item {
        if let envelope = readAsWritten(bytes) { return .record(envelope) }
        var store: String? = nil
        var seq: Int64? = nil
        var record: [UInt8]? = nil
        var next: Int64? = nil
        do throws(JSONParseError) {
            var reader = JSONReader(bytes)
            try reader.beginObject()
            while let key = try reader.nextKey() {
                if key.is("store") { store = try reader.string() }
                else if key.is("seq") { seq = try reader.int() }
                else if key.is("next") { next = try reader.int() }
                else if key.is("record") {
                    let raw = try reader.skip()
                    guard raw.first == UInt8(ascii: "{") else { throw reader.error("'record' must be an object") }
                    record = Array(raw)
                } else { _ = try reader.skip() }
            }
            try reader.end()
        } catch {
            throw TrackerError(.badRequest, "not a log envelope: \(error)")
        }
        if let store, let seq, let record, seq >= 1 { return .record(LogEnvelope(store: store, seq: UInt64(seq), record: record)) }
        if let next, next >= 1, record == nil { return .next(UInt64(next)) }
        throw TrackerError(.badRequest, "not a log envelope: it needs 'store', 'seq' (from 1) and 'record', or 'next'")
    }

    /// An envelope laid out exactly as `encoded` writes it (`{"store":"…","seq":N,"record":{…}}`,
    /// a plain store id), read in place without scanning the record; nil for any other layout,
    /// which `read` then parses member by member. The record's bytes are taken as they stand: they
    /// are checked when the record is decoded (its layout, its JSON, its hash), as in the log.
    static func readAsWritten(_ bytes: UnsafeRawBufferPointer) -> LogEnvelope? {
        let head: StaticString = #"{"store":""#, seqKey: StaticString = #"","seq":"#, recordKey: StaticString = #","record":"#
        func matches(_ text: StaticString, at index: Int) -> Bool {
            index + text.utf8CodeUnitCount <= bytes.count && memcmp(bytes.baseAddress! + index, text.utf8Start, text.utf8CodeUnitCount) == 0
        }
        guard bytes.count > head.utf8CodeUnitCount + seqKey.utf8CodeUnitCount + recordKey.utf8CodeUnitCount + 3, matches(head, at: 0),
              bytes[bytes.count - 1] == UInt8(ascii: "}") else { return nil }
        var index = head.utf8CodeUnitCount
        let storeStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"),
              bytes[index] >= 0x20, bytes[index] < 0x7F { index += 1 }
        let storeEnd = index
        guard storeEnd > storeStart, matches(seqKey, at: index) else { return nil }
        index += seqKey.utf8CodeUnitCount
        var seq: UInt64 = 0
        let digitsStart = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, index - digitsStart < 18 {
            seq = seq * 10 + UInt64(bytes[index] - 0x30)
            index += 1
        }
        guard index > digitsStart, seq >= 1, bytes[digitsStart] != 0x30, matches(recordKey, at: index) else { return nil }
        index += recordKey.utf8CodeUnitCount
        guard index < bytes.count - 1, bytes[index] == UInt8(ascii: "{") else { return nil }
        return LogEnvelope(store: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[storeStart..<storeEnd]), as: UTF8.self), seq: seq,
                           record: Array(UnsafeRawBufferPointer(rebasing: bytes[index..<(bytes.count - 1)])))
    }

    /// `read` for a byte array.
    public static func read(_ bytes: [UInt8]) throws(TrackerError) -> Item {
        let item: Result<Item, TrackerError> = bytes.withUnsafeBytes { raw in
            do throws(TrackerError) { return .success(try read(raw)) } catch { return .failure(error) }
        }
        return try item.get()
    }
}
