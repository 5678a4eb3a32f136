// swift-tools-version:6.1
import PackageDescription

// The module graph (each arrow: "is imported by"; arrows point one way only, and every
// import is declared below):
//
//   CZeroMQ -> ZeroMQ                      CMsgPack -> HelplineWire (codec, no I/O)
//   HelplineWire -> HelplineBrokerCore (the routing rules: no sockets, no clock)
//   CSQLite + HelplineWire + HelplineBrokerCore -> HelplineJournal (SQLite, no ZeroMQ)
//   CLibPQ + HelplineJournal + HelplineWire + HelplineBrokerCore -> HelplineJournalPostgres
//   ZeroMQ + HelplineWire -> HelplinePeer (I/O thread, mailbox, the one MonotonicClock)
//   ZeroMQ + HelplineWire + HelplineBrokerCore + HelplineJournal + HelplineJournalPostgres
//       + HelplinePeer -> HelplineBroker (the poll loop)
//   ZeroMQ + HelplineWire + HelplinePeer -> HelplineClient, HelplineWorker
//   HelplineWire + HelplineBrokerCore -> HelplineFuzzing (fuzz drivers)
//   HelplineWorker + HelplineWire + Hummingbird -> HelplineWeb (the browser console, HTTP)
//   HelplineBroker + HelplineClient + HelplineWorker + HelplineJournal + ... -> helpline (tool)
//   ZeroMQ + HelplineWire + HelplineBrokerCore -> helpline-bench
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
                "ZeroMQ", "HelplineWire", "HelplineBrokerCore", "HelplineJournal", "HelplineJournalPostgres", "HelplinePeer",
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
                "HelplineBroker", "HelplineBrokerCore", "HelplineClient", "HelplineWorker", "HelplinePeer", "HelplineWire",
                "HelplineJournal", "HelplineWeb", "ZeroMQ",
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
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ", "CZeroMQ"]),
        .testTarget(name: "HelplineWireTests", dependencies: ["HelplineWire", "CMsgPack"]),
        .testTarget(name: "HelplineBrokerCoreTests", dependencies: ["HelplineBrokerCore", "HelplineWire"]),
        .testTarget(name: "HelplineJournalTests", dependencies: ["HelplineJournal", "HelplineBrokerCore", "HelplineWire"]),
        // Starts Debian's PostgreSQL server as a non-root user on a unix socket in a temp dir.
        .testTarget(
            name: "HelplineJournalPostgresTests",
            dependencies: ["HelplineJournalPostgres", "HelplineJournal", "HelplineBrokerCore", "HelplineWire", "HelplineTestSupport"]),
        // Real broker processes killed with -9 and restarted on the same journal.
        .testTarget(
            name: "HelplineFaultTests",
            dependencies: [
                "HelplineClient", "HelplineWorker", "HelplineJournal", "HelplineJournalPostgres", "HelplineBrokerCore", "ZeroMQ",
                "HelplineWire", "HelplineTestSupport",
            ]),
        .testTarget(
            name: "HelplineBrokerTests",
            dependencies: ["HelplineBroker", "HelplineBrokerCore", "ZeroMQ", "HelplineWire", "HelplineTestSupport"]),
        .testTarget(name: "HelplineFuzzingTests", dependencies: ["HelplineFuzzing"]),
        .testTarget(
            name: "HelplineLibraryTests",
            dependencies: [
                "HelplineClient", "HelplineWorker", "HelplinePeer", "HelplineBroker", "ZeroMQ", "HelplineWire",
                "HelplineTestSupport",
            ]),
        .testTarget(name: "HelplineWebTests", dependencies: ["HelplineWeb", "HelplineWorker", "HelplineWire"]),
        .testTarget(
            name: "HelplineToolTests", dependencies: ["helpline", "HelplineWire", "HelplineWorker", "HelplineTestSupport"]),
        // Runs `helpline-bench --smoke` (built beside the tests) so the bench cannot rot.
        .testTarget(name: "HelplineBenchTests"),
    ],
    swiftLanguageModes: [.v6]
)
