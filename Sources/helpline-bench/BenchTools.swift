import Foundation

/// Where the programs a run starts live: this executable (load clients, echo workers), the
/// `helpline` broker built beside it, and the C forwarder, compiled on demand with gcc.
struct BenchTools {
    /// This executable, started again as load clients and echo workers.
    let bench: String
    /// `helpline`, from the same build folder.
    let helpline: String
    /// The package checkout (has `Package.swift` and `bench/`).
    let root: URL
    /// `--forwarder`: a prebuilt forwarder to use instead of `.build/bench-forwarder`.
    let forwarderOverride: String?
    /// `--broker-arg`: added to every `helpline broker` the bench starts (`--sync full`).
    var brokerArguments: [String] = []

    /// Finds the tools; the forwarder is built only when a scenario needs it.
    static func locate(forwarder override: String?) throws -> BenchTools {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let helpline = executable.deletingLastPathComponent().appendingPathComponent("helpline").path
        guard FileManager.default.isExecutableFile(atPath: helpline) else {
            throw BenchError.missing("\(helpline) not found: build it first (swift build -c release)")
        }
        return BenchTools(bench: executable.path, helpline: helpline, root: packageRoot(from: executable), forwarderOverride: override)
    }

    /// `bench-forwarder`, built from `bench/forwarder.c` with gcc if it is missing or stale.
    func forwarder() throws -> String {
        try forwarderOverride ?? Self.buildForwarder(root: root)
    }

    /// The nearest folder above `url` (or the working directory) with `bench/forwarder.c`.
    private static func packageRoot(from url: URL) -> URL {
        var directory = url.deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("bench/forwarder.c").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// `.build/bench-forwarder`, compiled again when the source is newer.
    private static func buildForwarder(root: URL) throws -> String {
        let source = root.appendingPathComponent("bench/forwarder.c").path
        let output = root.appendingPathComponent(".build/bench-forwarder").path
        let files = FileManager.default
        guard files.fileExists(atPath: source) else { throw BenchError.missing("\(source) not found") }
        let sourceDate = (try? files.attributesOfItem(atPath: source)[.modificationDate] as? Date) ?? .distantFuture
        let outputDate = (try? files.attributesOfItem(atPath: output)[.modificationDate] as? Date) ?? .distantPast
        if outputDate >= sourceDate { return output }
        try files.createDirectory(atPath: root.appendingPathComponent(".build").path, withIntermediateDirectories: true)
        let gcc = Process()
        gcc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gcc.arguments = ["gcc", "-O2", "-Wall", "-Wextra", "-o", output, source, "-lzmq"]
        try gcc.run()
        gcc.waitUntilExit()
        guard gcc.terminationStatus == 0 else { throw BenchError.missing("gcc could not build \(source)") }
        return output
    }
}
