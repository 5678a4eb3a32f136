import Foundation

/// CPU time of a process, all threads (the broker's loop and libzmq's I/O thread), read
/// from /proc: `schedstat` counts nanoseconds, where `stat` counts 10 ms ticks.
enum ProcessCPU {
    /// Nanoseconds on CPU so far for `pid`; nil once it is gone.
    static func nanoseconds(_ pid: Int32) -> UInt64? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
        var total: UInt64 = 0
        for task in tasks {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8),
                let first = text.split(separator: " ").first, let value = UInt64(first)
            else { continue }
            total += value
        }
        return total
    }

    /// Samples several processes at once.
    static func sample(_ pids: [Int32]) -> [UInt64] {
        pids.map { nanoseconds($0) ?? 0 }
    }
}

/// The machine a run was on, for the README and the JSON.
struct MachineInfo: Codable {
    var cores: Int
    var memoryGiB: Double
    var cpuModel: String
    var kernel: String
    var libzmq: String

    static func current(libzmq: String) -> MachineInfo {
        let info = ProcessInfo.processInfo
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return MachineInfo(
            cores: info.activeProcessorCount, memoryGiB: (Double(info.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
            cpuModel: model, kernel: release, libzmq: libzmq)
    }
}
