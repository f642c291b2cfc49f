import Glibc

/// Writes to standard error without buffering (messages of the command-line programs).
public enum StandardError {
    /// Writes `text` as is.
    public static func write(_ text: String) {
        let bytes = Array(text.utf8)
        // Nothing to do if standard error is gone: the message has nowhere else to go.
        _ = try? bytes.withBytes { (raw) throws(Errno) in try FileDescriptor(rawValue: 2).writeAll(raw) }
    }
}
