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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
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
        // Fuzz drivers (fuzz/ links them into libFuzzer targets; tests replay the corpus).
        .target(name: "HelplineFuzzing", dependencies: ["HelplineWire", "HelplineBrokerCore"]),
        .executableTarget(
            name: "helpline",
            dependencies: [
                "HelplineBroker", "HelplineClient", "HelplineWorker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        .testTarget(name: "HelplineWireTests", dependencies: ["HelplineWire"]),
        .testTarget(name: "HelplineBrokerCoreTests", dependencies: ["HelplineBrokerCore"]),
        .testTarget(
            name: "HelplineBrokerTests",
            dependencies: ["HelplineBroker", "ZeroMQ", "HelplineWire"]),
        .testTarget(name: "HelplineFuzzingTests", dependencies: ["HelplineFuzzing"]),
        .testTarget(
            name: "HelplineLibraryTests",
            dependencies: ["HelplineClient", "HelplineWorker", "HelplineBroker", "ZeroMQ", "HelplineWire"]),
    ],
    swiftLanguageModes: [.v6]
)
