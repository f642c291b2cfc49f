import Glibc

/// The program's command-line arguments, read so that an `LD_PRELOAD` shim cannot lose them.
///
/// On Linux the Swift runtime has no `argv` of its own: a static initialiser in the runtime finds
/// it by walking back up the initial stack from `environ`. Other initialisers of the runtime run
/// before that one and call `stat` (the backtracer looks for its helper program); a preloaded
/// library that wraps `stat`, as libfaketime does, sets itself up in that call and `setenv`s a
/// variable of its own (`FAKETIME_SHARED`), which moves `environ` to the heap. The runtime's search
/// then finds nothing, and `CommandLine.arguments` is empty: `trackerd --version` started a daemon
/// on the default store. The `faketime` wrapper sets that variable before `exec`, so `environ`
/// stays on the stack and nothing shows. This is the same in the dynamic runtime of debug builds
/// and the static one of release builds.
///
/// The kernel keeps the arguments in `/proc/self/cmdline` whatever happens to `environ`; the
/// runtime reads that file itself on platforms where it has no other way.
public enum ProcessArguments {
    /// The arguments after the program's name.
    ///
    /// `CommandLine.arguments` when the runtime found them, else `/proc/self/cmdline`. A process
    /// always has its name as `argv[0]`, so an empty list from the runtime means it lost them.
    public static func current() -> [String] {
        let runtime = CommandLine.arguments
        if !runtime.isEmpty { return Array(runtime.dropFirst()) }
        guard let recorded = fromProcFile() else {
            StandardError.write("cannot read the command line: the runtime has no arguments and /proc/self/cmdline cannot be read\n")
            exit(2)
        }
        return Array(recorded.dropFirst())
    }

    /// The NUL-separated arguments of `/proc/self/cmdline` (name first), or nil when it cannot be read.
    static func fromProcFile() -> [String]? {
        // A /proc file has no size to read up to: read until the end.
        guard let fd = try? FileDescriptor.open("/proc/self/cmdline", O_RDONLY) else { return nil }
        defer { fd.close() }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            guard let n = try? chunk.withMutableBytes({ (raw) throws(Errno) -> Int in try fd.read(into: raw, at: Int64(bytes.count)) }) else { return nil }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[..<n])
        }
        guard !bytes.isEmpty else { return nil }
        // Each argument ends in a NUL; `split` would drop empty arguments, which are real ones.
        var arguments: [String] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0 {
            arguments.append(String(decoding: bytes[start..<index], as: UTF8.self))
            start = index + 1
        }
        if start < bytes.count { arguments.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return arguments
    }
}
