import Glibc

/// Writes to standard error without buffering (messages of the command-line programs).
public enum StandardError {
    /// Writes `text` as is.
    public static func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(2, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                done += n
            }
        }
    }
}

/// Signal hygiene for the programs.
public enum Signals {
    /// Unblocks every signal in the calling thread (threads created after inherit it).
    ///
    /// A parent (a test runner's worker thread, a supervisor) may leave signals such as SIGTERM
    /// and SIGINT blocked across `exec`; a daemon or a `--follow` that cannot be stopped by them
    /// is a hazard, so both programs call this first.
    public static func unblockAll() {
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
    }
}
