import Events
import Glibc
import Projections

/// Why trackctl stops: a usage error (exit 2) or a refused or failed operation (exit 1).
enum Failure: Error {
    case usage(String)
    case failed(String)

    init(_ error: TrackerError) {
        let failedNotRefused: Set<TrackerError.Code> = [.internal, .ioError, .unavailable, .corrupt, .timeout, .busy]
        self = .failed("\(failedNotRefused.contains(error.code) ? "failed" : "refused") (\(error.code.rawValue)): \(error.message)")
    }
}
