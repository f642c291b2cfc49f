/// A member's key as the reader found it: its bytes in the input (valid while the input lives),
/// or decoded text when it had escapes.
public struct JSONKey: CustomStringConvertible {
    let bytes: UnsafeRawBufferPointer
    let text: String?

    /// Whether the key is `name`, compared byte for byte.
    public func `is`(_ name: StaticString) -> Bool {
        if let text { return text == name.description }
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        let other = name.utf8Start
        for index in 0..<bytes.count where bytes[index] != other[index] { return false }
        return true
    }

    public var description: String { text ?? String(decoding: bytes, as: UTF8.self) }
}
