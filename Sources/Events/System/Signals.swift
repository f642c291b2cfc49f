import Glibc

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
