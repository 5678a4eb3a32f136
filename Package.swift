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
        // The web console (HelplineWeb): HTTP/1.1, TLS, WebSocket and bcrypt from one
        // well-kept server framework rather than hand-written HTTP on raw NIO.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ"),
        .systemLibrary(name: "CMsgPack"),
        .systemLibrary(name: "CSQLite"),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(name: "HelplineWire", dependencies: ["CMsgPack"]),
        .target(name: "HelplineBrokerCore", dependencies: ["HelplineWire"]),
        // The journal: SQLite through its C API (libsqlite3-dev), no ZeroMQ.
        .target(name: "HelplineJournal", dependencies: ["CSQLite", "HelplineWire", "HelplineBrokerCore"]),
        // The journal on PostgreSQL (`--journal postgresql://...`): libpq's C API (libpq-dev).
        .systemLibrary(name: "CLibPQ"),
        .target(
            name: "HelplineJournalPostgres", dependencies: ["CLibPQ", "HelplineJournal", "HelplineWire", "HelplineBrokerCore"]),
        .target(
            name: "HelplineBroker",
            dependencies: [
                "ZeroMQ", "HelplineWire", "HelplineBrokerCore", "HelplineJournal", "HelplineJournalPostgres",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The I/O-thread plumbing both libraries share (mailbox, thread, clock, socket with
        // reconnect); internal to the package, not a product.
        .target(name: "HelplinePeer", dependencies: ["ZeroMQ", "HelplineWire"]),
        .target(name: "HelplineClient", dependencies: ["ZeroMQ", "HelplineWire", "HelplinePeer"]),
        .target(name: "HelplineWorker", dependencies: ["ZeroMQ", "HelplineWire", "HelplinePeer"]),
        // The web console: users, sessions, one HelplineWorker per person, the page's assets
        // embedded in the binary (Assets/, real files; no build step).
        .target(
            name: "HelplineWeb",
            dependencies: [
                "HelplineWorker", "HelplineWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .embedInCode("Assets/index.html"),
                .embedInCode("Assets/console.css"),
                .embedInCode("Assets/console.js"),
                .embedInCode("Assets/logic.js"),
            ]),
        // Fuzz drivers (fuzz/ links them into libFuzzer targets; tests replay the corpus).
        .target(name: "HelplineFuzzing", dependencies: ["HelplineWire", "HelplineBrokerCore"]),
        .executableTarget(
            name: "helpline",
            dependencies: [
                "HelplineBroker", "HelplineClient", "HelplineWorker", "HelplinePeer", "HelplineWire", "HelplineJournal",
                "HelplineWeb",
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
        // Runs real `helpline` processes (the broker, the tools) for the tests that need them.
        .target(name: "HelplineTestSupport", path: "Tests/HelplineTestSupport"),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        .testTarget(name: "HelplineWireTests", dependencies: ["HelplineWire", "CMsgPack"]),
        .testTarget(name: "HelplineBrokerCoreTests", dependencies: ["HelplineBrokerCore"]),
        .testTarget(name: "HelplineJournalTests", dependencies: ["HelplineJournal", "HelplineBrokerCore", "HelplineWire"]),
        // Starts Debian's PostgreSQL server as a non-root user on a unix socket in a temp dir.
        .testTarget(
            name: "HelplineJournalPostgresTests",
            dependencies: ["HelplineJournalPostgres", "HelplineJournal", "HelplineBrokerCore", "HelplineWire", "HelplineTestSupport"]),
        // Real broker processes killed with -9 and restarted on the same journal.
        .testTarget(
            name: "HelplineFaultTests",
            dependencies: [
                "HelplineClient", "HelplineWorker", "HelplineJournal", "HelplineJournalPostgres", "ZeroMQ", "HelplineWire",
                "HelplineTestSupport",
            ]),
        .testTarget(
            name: "HelplineBrokerTests",
            dependencies: ["HelplineBroker", "ZeroMQ", "HelplineWire", "HelplineTestSupport"]),
        .testTarget(name: "HelplineFuzzingTests", dependencies: ["HelplineFuzzing"]),
        .testTarget(
            name: "HelplineLibraryTests",
            dependencies: [
                "HelplineClient", "HelplineWorker", "HelplinePeer", "HelplineBroker", "ZeroMQ", "HelplineWire",
                "HelplineTestSupport",
            ]),
        .testTarget(name: "HelplineWebTests", dependencies: ["HelplineWeb", "HelplineWorker", "HelplineWire"]),
        .testTarget(name: "HelplineToolTests", dependencies: ["helpline", "HelplineWire", "HelplineTestSupport"]),
        // Runs `helpline-bench --smoke` (built beside the tests) so the bench cannot rot.
        .testTarget(name: "HelplineBenchTests"),
    ],
    swiftLanguageModes: [.v6]
)
