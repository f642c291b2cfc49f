/// The 16-byte key of SipHash-2-4 (`SipHash`): the store's key (`StoreKey`).
public struct SipHashKey: Sendable, Equatable {
    let k0: UInt64
    let k1: UInt64

    /// A key from its 16 bytes (little-endian halves, as the reference code reads them).
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        let array = Array(bytes)
        var k0: UInt64 = 0, k1: UInt64 = 0
        for i in 0..<8 {
            k0 |= UInt64(array[i]) << (8 * UInt64(i))
            k1 |= UInt64(array[8 + i]) << (8 * UInt64(i))
        }
        self.k0 = k0
        self.k1 = k1
    }
}
