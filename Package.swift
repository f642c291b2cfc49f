// swift-tools-version:6.0
import PackageDescription

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
        .executableTarget(name: "trackerd", dependencies: ["Events", "Projections"]),
        .executableTarget(name: "trackctl", dependencies: ["Events", "Projections"]),
        .testTarget(name: "EventsTests", dependencies: ["Events"]),
        .testTarget(name: "ProjectionsTests", dependencies: ["Events", "Projections"]),
        // Starts the real binaries; depending on them makes `swift test` build them first.
        .testTarget(name: "SystemTests", dependencies: ["Events", "Projections", "trackerd", "trackctl"]),
    ]
)

// Strict settings in one place: Swift 6 language mode everywhere.
for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    target.swiftSettings = settings
}
