import Dispatch
import Events
import Glibc

/// The write end of the self-pipe the signal handler writes to (set once, before handlers exist).
nonisolated(unsafe) private var signalPipeWrite: Int32 = -1

/// Async-signal-safe: one byte, the signal's number, into the pipe.
private let writeSignalToPipe: @convention(c) (Int32) -> Void = { signalNumber in
    var byte = UInt8(truncatingIfNeeded: signalNumber)
    _ = write(signalPipeWrite, &byte, 1)
}

/// Signals handled on a Dispatch queue through the self-pipe trick.
///
/// The handler is installed with `sigaction` before `install` returns, so a signal that arrives
/// the moment after (a supervisor's SIGTERM right after start) is never lost; a Dispatch signal
/// source installs its handler later, on its own queue, and a signal in between would be ignored.
enum SignalPipe {
    static func install(_ signals: [Int32], on queue: DispatchQueue, _ handle: @escaping @Sendable (Int32) -> Void) -> DispatchSourceRead {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "cannot create the signal pipe: \(Errno.current)")
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        signalPipeWrite = fds[1]
        let source = DispatchSource.makeReadSource(fileDescriptor: fds[0], queue: queue)
        source.setEventHandler {
            var bytes = [UInt8](repeating: 0, count: 16)
            let n = read(fds[0], &bytes, bytes.count)
            for index in 0..<max(0, n) { handle(Int32(bytes[index])) }
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
