// swift-tools-version:6.1
import PackageDescription

// Layers, arrows pointing one way only:
// CZeroMQ/CMsgPack -> ZeroMQ, HelplineWire (codec, no I/O) -> HelplineBrokerCore (no sockets,
// no clock) -> HelplineBroker (the poll loop) -> HelplineClient / HelplineWorker -> helpline.
let package = Package(
    name: "Helpline",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HelplineWire", targets: ["HelplineWire"]),
        .library(name: "HelplineClient", targets: ["HelplineClient"]),
        .library(name: "HelplineWorker", targets: ["HelplineWorker"]),
        .executable(name: "helpline", targets: ["helpline"]),
        .executable(name: "helpline-bench", targets: ["helpline-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ"),
        .systemLibrary(name: "CMsgPack"),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(name: "HelplineWire", dependencies: ["CMsgPack"]),
        .target(name: "HelplineBrokerCore", dependencies: ["HelplineWire"]),
        .target(
            name: "HelplineBroker",
            dependencies: [
                "ZeroMQ", "HelplineWire", "HelplineBrokerCore",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "HelplineClient", dependencies: ["ZeroMQ", "HelplineWire"]),
        .target(name: "HelplineWorker", dependencies: ["ZeroMQ", "HelplineWire"]),
        .executableTarget(
            name: "helpline",
            dependencies: [
                "HelplineBroker", "HelplineClient", "HelplineWorker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The benchmark suite (bench/README.md): load clients, echo workers, scenarios.
        .systemLibrary(name: "CHelplineBench"),
        .executableTarget(
            name: "helpline-bench",
            dependencies: [
                "CHelplineBench", "ZeroMQ", "HelplineWire", "HelplineBrokerCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        .testTarget(name: "HelplineWireTests", dependencies: ["HelplineWire"]),
        .testTarget(name: "HelplineBrokerCoreTests", dependencies: ["HelplineBrokerCore"]),
        .testTarget(
            name: "HelplineBrokerTests",
            dependencies: ["HelplineBroker", "ZeroMQ", "HelplineWire"]),
        .testTarget(
            name: "HelplineLibraryTests",
            dependencies: ["HelplineClient", "HelplineWorker", "HelplineBroker", "ZeroMQ", "HelplineWire"]),
        // Runs `helpline-bench --smoke` (built beside the tests) so the bench cannot rot.
        .testTarget(name: "HelplineBenchTests"),
    ],
    swiftLanguageModes: [.v6]
)
