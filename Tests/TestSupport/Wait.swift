import Foundation
import Glibc
import Testing

// Waiting for a condition, never for a time: a test that must let something happen polls for the
// thing itself, with a deadline, and says what it waited for when the deadline passes.

/// Polls `condition` (every 20 ms) until it holds or `seconds` pass; returns whether it held. It is
/// checked once more at the deadline, so a condition that comes true late still counts.
public func pollUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

/// Waits up to `seconds` for `condition`. When it does not hold by then, records an issue at the
/// caller naming `what` was awaited, and returns false.
@discardableResult
public func waitUntil(_ what: @autoclosure () -> String, seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation,
                      _ condition: () throws -> Bool) rethrows -> Bool {
    if try pollUntil(seconds: seconds, condition) { return true }
    Issue.record(Comment(rawValue: "waited \(seconds.wholeOrDecimal) s for \(what()); it did not happen"), sourceLocation: sourceLocation)
    return false
}

/// Waits up to `seconds` for `produce` to give a value, and returns it. When it gives none by then,
/// records an issue at the caller naming `what` was awaited, and returns nil.
public func waitFor<Value>(_ what: @autoclosure () -> String, seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation,
                           _ produce: () throws -> Value?) rethrows -> Value? {
    var value: Value? = nil
    let produced = try pollUntil(seconds: seconds) {
        value = try produce()
        return value != nil
    }
    if !produced {
        Issue.record(Comment(rawValue: "waited \(seconds.wholeOrDecimal) s for \(what()); it did not come"), sourceLocation: sourceLocation)
    }
    return value
}

extension Double {
    /// "30" for whole seconds, "0.5" otherwise.
    fileprivate var wholeOrDecimal: String { self == rounded() ? String(Int(self)) : String(self) }
}
