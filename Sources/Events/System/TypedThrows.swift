/// Typed-throws versions of the standard library's `rethrows` buffer accessors, so an error
/// thrown inside keeps its type (`Errno`, `TrackerError`) on the way out.
extension Array where Element == UInt8 {
    /// `withUnsafeBytes`, preserving the body's error type.
    @inlinable
    public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { raw in Result { () throws(E) -> R in try body(raw) } }
        return try result.get()
    }

    /// `withUnsafeMutableBytes`, preserving the body's error type.
    @inlinable
    public mutating func withMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeMutableBytes { raw in Result { () throws(E) -> R in try body(raw) } }
        return try result.get()
    }
}
