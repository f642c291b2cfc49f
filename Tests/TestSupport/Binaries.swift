import Foundation

/// The real binaries the system tests run, and the files of the checkout they read.
public enum Binaries {
    /// The checkout's root, from this file's path (Tests/TestSupport/Binaries.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The directory holding trackerd and trackctl: beside the test runner, or .build/debug.
    public static let directory: String = {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var dir = (exe as NSString).deletingLastPathComponent
            candidates.append(dir)
            // Swift Testing may run from inside the .xctest bundle.
            while dir != "/" && !dir.isEmpty {
                dir = (dir as NSString).deletingLastPathComponent
                candidates.append(dir)
                if candidates.count > 4 { break }
            }
        }
        candidates.append(root + "/.build/debug")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0 + "/trackerd") && FileManager.default.isExecutableFile(atPath: $0 + "/trackctl") }
            ?? candidates.last!
    }()

    public static var trackerd: String { directory + "/trackerd" }
    public static var trackctl: String { directory + "/trackctl" }
    /// The sample data set: the four source documents of Quảng Ngãi.
    public static var sampleData: String { root + "/data/quang-ngai.tracker" }

    /// The first of `paths` that is an executable file (a tool installed by scripts/test).
    public static func tool(_ paths: String...) -> String? {
        paths.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
