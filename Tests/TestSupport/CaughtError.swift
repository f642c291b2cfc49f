import Events

/// The error `body` throws as a `TrackerError` (another error becomes an `internal` one naming
/// it), or nil when it does not throw.
public func trackerError(_ body: () throws -> Void) -> TrackerError? {
    do {
        try body()
        return nil
    } catch let error as TrackerError {
        return error
    } catch {
        return TrackerError(.internal, "\(error)")
    }
}
