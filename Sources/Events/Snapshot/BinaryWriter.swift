/// Writes the compact binary form of snapshots: little-endian integers, length-prefixed strings.
///
/// Snapshots are derived data (the log is the truth): the format only has to be fast and exact,
/// and to be checked before it is trusted (see trackerd's `SnapshotStore`).
public struct BinaryWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    public init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }
    public mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }
    public mutating func int(_ value: Int) { i64(Int64(value)) }
    public mutating func count(_ value: Int) { u32(UInt32(value)) }
    public mutating func money(_ value: Money) { i64(value.dong) }
    public mutating func date(_ value: BusinessDate) { i32(value.dayNumber) }

    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    public mutating func optionalDate(_ value: BusinessDate?) {
        bool(value != nil)
        if let value { date(value) }
    }

    /// An event as its type, version and JSON body (structural events are few; this keeps one
    /// encoding of each body).
    public mutating func event(_ event: Event) {
        string(event.type)
        u32(UInt32(event.version))
        var w = JSONWriter(capacity: 256)
        event.encodeBody(to: &w)
        count(w.bytes.count)
        bytes.append(contentsOf: w.bytes)
    }
}
