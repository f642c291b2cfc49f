import Glibc

/// Where things live by default: `--data-dir` / `TRACKER_HOME`, else `$XDG_STATE_HOME/tracker`,
/// else `~/.local/state/tracker`; the socket is `--socket` / `TRACKER_SOCKET`, else
/// `trackerd.sock` inside the store directory.
public enum DefaultPaths {
    /// The environment variable naming the store directory.
    public static let homeVariable = "TRACKER_HOME"
    /// The environment variable naming the socket.
    public static let socketVariable = "TRACKER_SOCKET"

    /// The store directory from an explicit value, the environment, or the XDG default.
    public static func dataDirectory(explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let home = environment(homeVariable) { return home }
        if let state = environment("XDG_STATE_HOME") { return state + "/tracker" }
        let home = environment("HOME") ?? "."
        return home + "/.local/state/tracker"
    }

    /// The socket path from an explicit value, the environment, or `<data dir>/trackerd.sock`.
    public static func socketPath(explicit: String?, dataDirectory: String) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let socket = environment(socketVariable) { return socket }
        return dataDirectory + "/trackerd.sock"
    }

    /// A non-empty environment variable.
    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}
