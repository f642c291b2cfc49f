/// Reads what `BinaryWriter` wrote; every read is bounds-checked and a short or malformed
/// snapshot throws `corrupt` (the caller then ignores the snapshot and replays the log).
public struct BinaryReader {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var ids = IdentifierReader.trusting

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Whether every byte was read.
    public var atEnd: Bool { position == bytes.count }

    /// Bytes not read yet.
    public var remaining: Int { bytes.count - position }

    /// How many elements to reserve room for when a count says `count` and each element takes at
    /// least `bytesEach` bytes: never more than the bytes left could hold, so a malformed count
    /// cannot make a large allocation.
    public func capacity(_ count: Int, bytesEach: Int) -> Int { min(count, remaining / max(1, bytesEach)) }

    private func short() -> TrackerError { TrackerError(.corrupt, "the snapshot ends early (byte \(position))") }

    @inline(__always)
    private mutating func take(_ count: Int) throws(TrackerError) -> UnsafeRawBufferPointer {
        guard count >= 0, position + count <= bytes.count else { throw short() }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    @inline(__always)
    public mutating func u8() throws(TrackerError) -> UInt8 { try take(1)[0] }
    @inline(__always)
    public mutating func bool() throws(TrackerError) -> Bool { try u8() != 0 }
    @inline(__always)
    public mutating func u32() throws(TrackerError) -> UInt32 { UInt32(littleEndian: try take(4).loadUnaligned(as: UInt32.self)) }
    @inline(__always)
    public mutating func u64() throws(TrackerError) -> UInt64 { UInt64(littleEndian: try take(8).loadUnaligned(as: UInt64.self)) }
    @inline(__always)
    public mutating func i32() throws(TrackerError) -> Int32 { Int32(bitPattern: try u32()) }
    @inline(__always)
    public mutating func i64() throws(TrackerError) -> Int64 { Int64(bitPattern: try u64()) }
    @inline(__always)
    public mutating func int() throws(TrackerError) -> Int { Int(try i64()) }
    /// A count of elements that follow; more than the bytes left (each element takes at least one)
    /// is malformed.
    @inline(__always)
    public mutating func count() throws(TrackerError) -> Int {
        let value = Int(try u32())
        guard value <= remaining else {
            throw TrackerError(.corrupt, "the snapshot counts \(value) elements at byte \(position - 4) but only \(remaining) bytes follow")
        }
        return value
    }

    /// The next `count` bytes as they are.
    public mutating func bytes(_ count: Int) throws(TrackerError) -> UnsafeRawBufferPointer { try take(count) }
    @inline(__always)
    public mutating func money() throws(TrackerError) -> Money { Money(dong: try i64()) }
    @inline(__always)
    public mutating func date() throws(TrackerError) -> BusinessDate {
        let day = try i32()
        guard let date = BusinessDate(dayNumber: day) else { throw TrackerError(.corrupt, "the snapshot has a date outside the years the log holds (day \(day))") }
        return date
    }

    public mutating func string() throws(TrackerError) -> String {
        String(decoding: try take(try count()), as: UTF8.self)
    }

    /// The UTF-8 bytes of a counted string, in place: valid as long as the buffer read is.
    public mutating func stringBytes() throws(TrackerError) -> UnsafeRawBufferPointer {
        try take(try count())
    }

    public mutating func optionalString() throws(TrackerError) -> String? { try bool() ? try string() : nil }
    public mutating func optionalDate() throws(TrackerError) -> BusinessDate? { try bool() ? try date() : nil }

    public mutating func agency() throws(TrackerError) -> AgencyID { try ids.agency(try string()) }
    public mutating func plan() throws(TrackerError) -> PlanID { try ids.plan(try string()) }
    public mutating func decision() throws(TrackerError) -> DecisionRef { try ids.decision(try string()) }
    public mutating func task() throws(TrackerError) -> TaskID { try ids.task(try string()) }

    public mutating func event() throws(TrackerError) -> Event {
        let type = try string()
        let version = Int(try u32())
        let body = try take(try count())
        let value: JSONValue
        do throws(JSONParseError) { value = try JSONParser(maxDepth: 16).parse(body) } catch {
            throw TrackerError(.corrupt, "a snapshot event is not JSON: \(error)")
        }
        guard case .object(let object) = value else { throw TrackerError(.corrupt, "a snapshot event is not an object") }
        return try Event(type: type, version: version, body: object, ids: &ids)
    }
}
