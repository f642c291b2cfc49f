// swift-tools-version:6.0
import PackageDescription

// Release executables carry the Swift runtime and Foundation inside them: no shared-library
// lookups at start (a `trackctl` call from a script starts in about 3 ms instead of 6), and they
// run on a machine without a Swift toolchain. Debug builds (and the tests) link dynamically.
// `-static-stdlib` links the static runtime; the libraries after it are what Foundation needs
// there (the dynamic Foundation brings them itself).
let staticRuntime: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib", "-use-ld=lld"], .when(platforms: [.linux], configuration: .release)),
] + ["CoreFoundation", "_FoundationICU", "_FoundationCShims", "_FoundationCollections", "FoundationEssentials",
     "FoundationInternationalization", "swiftSynchronization", "stdc++"].map {
    LinkerSetting.linkedLibrary($0, .when(platforms: [.linux], configuration: .release))
}

let package = Package(
    name: "tracker",
    products: [
        .library(name: "Events", targets: ["Events"]),
        .library(name: "Projections", targets: ["Projections"]),
        .executable(name: "trackerd", targets: ["trackerd"]),
        .executable(name: "trackctl", targets: ["trackctl"]),
    ],
    targets: [
        .target(name: "Events"),
        .target(name: "Projections", dependencies: ["Events"]),
        .executableTarget(name: "trackerd", dependencies: ["Events", "Projections"], linkerSettings: staticRuntime),
        .executableTarget(name: "trackctl", dependencies: ["Events", "Projections"], linkerSettings: staticRuntime),
        // What the tests share: the seeded generator, temporary directories, the program runner,
        // the socket client, the one launcher of the real daemon, and waiting for a condition.
        .target(name: "TestSupport", dependencies: ["Events"], path: "Tests/TestSupport"),
        .testTarget(name: "EventsTests", dependencies: ["Events", "TestSupport"]),
        .testTarget(name: "ProjectionsTests", dependencies: ["Events", "Projections", "TestSupport"]),
        // Starts the real binaries; depending on them makes `swift test` build them first.
        .testTarget(name: "SystemTests", dependencies: ["Events", "Projections", "TestSupport", "trackerd", "trackctl"]),
    ]
)

// Strict settings in one place: Swift 6 language mode everywhere.
for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    target.swiftSettings = settings
}
