import Foundation

/// Memory of a process and sizes of files, for the floor scenarios: the resident set is
/// what a broker costs the machine, whatever allocator or library holds it.
enum ProcessMemory {
    /// VmRSS of `pid` in bytes, from /proc/<pid>/status; nil once it is gone.
    static func residentBytes(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kilobytes * 1_024
    }

    /// The total size of the files in `directory` (a journal and its write-ahead log).
    static func directoryBytes(_ directory: URL) -> Int {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.reduce(0) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)
            return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
    }

    /// Bytes as MiB with one decimal, for tables.
    static func mebibytes(_ bytes: Int) -> Double { (Double(bytes) / 1_048_576 * 10).rounded() / 10 }
}
