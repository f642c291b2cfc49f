import Dispatch
import Events
import Glibc

/// The write end of the self-pipe the signal handler writes to (set once, before handlers exist).
nonisolated(unsafe) private var signalPipeWrite: Int32 = -1

/// Async-signal-safe: one byte, the signal's number, into the pipe. The one raw call outside the
/// funnel: a signal handler may call only async-signal-safe functions, and a full pipe (`EAGAIN`)
/// already holds a byte that wakes the reader.
private let writeSignalToPipe: @convention(c) (Int32) -> Void = { signalNumber in
    var byte = UInt8(truncatingIfNeeded: signalNumber)
    _ = write(signalPipeWrite, &byte, 1)
}

/// Signals handled on a Dispatch queue through the self-pipe trick.
///
/// The handler is installed with `sigaction` before `install` returns, so a signal that arrives
/// the moment after (a supervisor's SIGTERM right after start) is never lost; a Dispatch signal
/// source installs its handler later, on its own queue, and a signal in between would be ignored.
/// The pipe's read end is watched by a Dispatch read source on `queue` (not by the event loop).
enum SignalPipe {
    static func install(_ signals: [Int32], on queue: DispatchQueue, _ handle: @escaping @Sendable (Int32) -> Void) -> DispatchSourceRead {
        let pipe: NonBlockingPipe
        do { pipe = try NonBlockingPipe() } catch { preconditionFailure("cannot create the signal pipe: \(error)") }
        signalPipeWrite = pipe.writeEnd
        let source = DispatchSource.makeReadSource(fileDescriptor: pipe.readEnd, queue: queue)
        source.setEventHandler {
            pipe.drain(limit: 16) { bytes in
                for byte in bytes { handle(Int32(byte)) }
            }
        }
        source.resume()
        for signalNumber in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = writeSignalToPipe
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signalNumber, &action, nil)
        }
        return source
    }
}
