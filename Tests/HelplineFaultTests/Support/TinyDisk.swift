import Foundation

/// A small tmpfs mounted in a directory of the test's own, to fill up or make read-only
/// under a running broker. Needs root (mount); unmounted when the value goes away.
final class TinyDisk {
    let path: String
    private let scratch: ScratchDirectory

    /// Whether this process may mount a tmpfs (root, and a kernel that lets it).
    static let canMount: Bool = {
        guard getuid() == 0, let disk = try? TinyDisk(megabytes: 1) else { return false }
        _ = disk
        return true
    }()

    init(megabytes: Int) throws {
        scratch = try ScratchDirectory()
        path = scratch.file("disk")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Fills the disk to the last byte with a file named `filler`.
    func fill() {
        // dd stops (and fails) when the disk is full: that is the point.
        try? Self.run("/bin/dd", ["if=/dev/zero", "of=\(file("filler"))", "bs=4k"], allowFailure: true)
    }

    /// Frees what `fill` took.
    func free() throws {
        try FileManager.default.removeItem(atPath: file("filler"))
    }

    /// Remounts read-only (`true`) or read-write.
    func setReadOnly(_ readOnly: Bool) throws {
        try Self.run("/bin/mount", ["-o", readOnly ? "remount,ro" : "remount,rw", path])
    }

    deinit {
        // Lazy: a process that still has a file open there must not keep the mount.
        try? Self.run("/bin/umount", ["-l", path])
    }

    private static func run(_ tool: String, _ arguments: [String], allowFailure: Bool = false) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0, !allowFailure {
            throw FaultTestError.unexpected("\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }
}
