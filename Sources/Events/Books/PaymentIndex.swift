import Glibc

/// Every payment reference of the books with its entry: an open-addressing hash table made for a
/// million short keys that are added far more often than they are looked up.
///
/// The keys' UTF-8 bytes sit end to end in one array and the entries in another, in the order they
/// were added; the table holds only each one's place and a fragment of its key's hash, so growing
/// or rebuilding it moves 8 bytes a key and compares no strings, and a snapshot's keys are copied
/// in as bytes, with no `String` made for each. Keys are hashed with a seed drawn once per process
/// (so no one can choose references that collide), a fraction of the work of hashing a `String`
/// into a `Dictionary`, which made loading the payments most of a start from a snapshot. Removal
/// (an undone payment, after a failed write) moves the last entry into the hole; the removed key's
/// bytes stay in the array until the index is rebuilt.
public struct PaymentIndex: Sendable, Sequence {
    /// The keys' UTF-8 bytes, end to end.
    private var bytes: [UInt8] = []
    /// Where each key's bytes are in `bytes`.
    private var spans: [(start: UInt32, count: UInt32)] = []
    private var entries: [Books.PaymentEntry] = []
    /// Slots of the table: 0 when empty, else `fragment << 32 | (index + 1)`, the fragment being
    /// the high half of the key's hash. A power of two long, never more than 3/4 full.
    private var slots: [UInt64] = []

    /// No payments.
    public init() {}

    /// The payments recorded.
    public var count: Int { spans.count }
    /// Whether there are none.
    public var isEmpty: Bool { spans.isEmpty }
    /// The entries, in the order their payments were added.
    public var values: [Books.PaymentEntry] { entries }
    /// The references, in the order their payments were added.
    public var keys: [String] { spans.indices.map(key) }

    /// Makes room for `capacity` payments in all, of about `keyBytes` bytes each, so adding them
    /// rebuilds nothing.
    public mutating func reserveCapacity(_ capacity: Int, keyBytes: Int = 12) {
        bytes.reserveCapacity(capacity * keyBytes)
        spans.reserveCapacity(capacity)
        entries.reserveCapacity(capacity)
        let needed = Self.slotCount(for: capacity)
        if needed > slots.count { rebuild(slotCount: needed) }
    }

    /// The entry of the payment `key` (its exact text), nil when there is none. Setting nil
    /// removes it.
    public subscript(key: String) -> Books.PaymentEntry? {
        get {
            var key = key
            return key.withUTF8 { self[utf8: UnsafeRawBufferPointer($0)] }
        }
        set {
            var key = key
            key.withUTF8 { self[utf8: UnsafeRawBufferPointer($0)] = newValue }
        }
    }

    /// The entry of the payment whose key has the UTF-8 bytes `key`.
    public subscript(utf8 key: UnsafeRawBufferPointer) -> Books.PaymentEntry? {
        get {
            guard let index = find(key, hash: Self.hash(key)).index else { return nil }
            return entries[index]
        }
        set {
            let hash = Self.hash(key)
            let found = find(key, hash: hash)
            switch (found.index, newValue) {
            case (let index?, let entry?):
                entries[index] = entry
            case (nil, let entry?):
                precondition(bytes.count + key.count <= Int(UInt32.max), "payment references beyond 4 GiB")
                if (spans.count + 1) * 4 > slots.count * 3 {
                    rebuild(slotCount: Swift.max(Self.slotCount(for: spans.count + 1), slots.count * 2))
                    insertSlot(hash: hash, index: spans.count)
                } else {
                    slots[found.slot] = Self.slot(hash: hash, index: spans.count)
                }
                spans.append((UInt32(bytes.count), UInt32(key.count)))
                bytes.append(contentsOf: key)
                entries.append(entry)
            case (let index?, nil):
                remove(at: index, slot: found.slot)
            case (nil, nil):
                break
            }
        }
    }

    /// The payments as (key, entry), in the order they were added.
    public func makeIterator() -> Iterator { Iterator(index: self, position: 0) }

    /// Walks the payments in the order they were added.
    public struct Iterator: IteratorProtocol {
        let index: PaymentIndex
        var position: Int

        public mutating func next() -> (key: String, value: Books.PaymentEntry)? {
            guard position < index.spans.count else { return nil }
            defer { position += 1 }
            return (index.key(position), index.entries[position])
        }
    }

    private func key(_ index: Int) -> String {
        let span = spans[index]
        return bytes.withUnsafeBytes { raw in
            String(decoding: UnsafeRawBufferPointer(rebasing: raw[Int(span.start)..<Int(span.start + span.count)]), as: UTF8.self)
        }
    }

    private func withKey<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let span = spans[index]
        return bytes.withUnsafeBytes { raw in body(UnsafeRawBufferPointer(rebasing: raw[Int(span.start)..<Int(span.start + span.count)])) }
    }

    // MARK: The table

    private static func slotCount(for count: Int) -> Int {
        var slots = 16
        while slots * 3 < count * 4 { slots *= 2 }
        return slots
    }

    private static func slot(hash: UInt64, index: Int) -> UInt64 {
        (hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
    }

    /// Where `key` is (`index` nil when absent, `slot` then the empty slot it would take).
    private func find(_ key: UnsafeRawBufferPointer, hash: UInt64) -> (index: Int?, slot: Int) {
        guard !slots.isEmpty else { return (nil, 0) }
        let mask = slots.count - 1
        let fragment = hash & 0xFFFF_FFFF_0000_0000
        var position = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { table in
            bytes.withUnsafeBytes { stored in
                while true {
                    let slot = table[position]
                    if slot == 0 { return (nil, position) }
                    if slot & 0xFFFF_FFFF_0000_0000 == fragment {
                        let index = Int(slot & 0xFFFF_FFFF) - 1
                        let span = spans[index]
                        if Int(span.count) == key.count
                            && (key.count == 0 || memcmp(stored.baseAddress! + Int(span.start), key.baseAddress!, key.count) == 0) {
                            return (index, position)
                        }
                    }
                    position = (position + 1) & mask
                }
            }
        }
    }

    private mutating func insertSlot(hash: UInt64, index: Int) {
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while slots[position] != 0 { position = (position + 1) & mask }
        slots[position] = Self.slot(hash: hash, index: index)
    }

    private mutating func rebuild(slotCount: Int) {
        slots = Array(repeating: 0, count: slotCount)
        for index in spans.indices { insertSlot(hash: withKey(index, Self.hash), index: index) }
    }

    /// Removes entry `index`, held in `slot`: the slots after it in its run move back (so no
    /// lookup stops early at the hole), and the last entry takes its place in the arrays.
    private mutating func remove(at index: Int, slot: Int) {
        let mask = slots.count - 1
        var hole = slot
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let home = Int(truncatingIfNeeded: withKey(Int(slots[next] & 0xFFFF_FFFF) - 1, Self.hash)) & mask
            // The slot at `next` may move to the hole when its home is not between the hole and it.
            if (next - home) & mask >= (next - hole) & mask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
        let last = spans.count - 1
        if index != last {
            let lastSlot = withKey(last) { find($0, hash: Self.hash($0)).slot }
            slots[lastSlot] = (slots[lastSlot] & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
            spans[index] = spans[last]
            entries[index] = entries[last]
        } else if Int(spans[last].start + spans[last].count) == bytes.count {
            bytes.removeLast(Int(spans[last].count))
        }
        spans.removeLast()
        entries.removeLast()
    }

    // MARK: Hashing

    /// Drawn once per process.
    private static let seed = UInt64.random(in: .min ... .max)

    /// A seeded hash of a key's UTF-8 bytes: eight bytes at a time, each step a 64×64→128-bit
    /// multiply folded back (the mixing of wyhash).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        @inline(__always) func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let product = a.multipliedFullWidth(by: b)
            return product.high ^ product.low
        }
        let count = bytes.count
        var state = seed ^ UInt64(truncatingIfNeeded: count) &* 0xA076_1D64_78BD_642F
        guard let base = bytes.baseAddress else { return mix(state, 0x5899_65CC_7537_4CC3) }
        var offset = 0
        while offset + 8 < count {
            state = mix(state ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self), 0xE703_7ED1_A0B4_28DB)
            offset += 8
        }
        // The last 1–8 bytes: one load that ends at the last byte (overlapping bytes already
        // mixed in), or for a key shorter than 8 bytes, two loads of 4 or the bytes one by one.
        let last: UInt64
        if count >= 8 {
            last = base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            last = UInt64(base.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) << 32
                | UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        } else {
            var value: UInt64 = 0
            for index in 0..<count { value = value << 8 | UInt64(base.load(fromByteOffset: index, as: UInt8.self)) }
            last = value
        }
        state = mix(state ^ last, 0x8EBC_6AF0_9C88_C6E3)
        return mix(state, 0x5899_65CC_7537_4CC3)
    }
}
