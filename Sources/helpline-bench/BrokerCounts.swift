import Foundation

/// A running broker's counters (`waiting`, `retained`, `workers`, …), read the way an
/// operator would: `helpline status --json`, which sends STATUS and prints the REPORT.
enum BrokerCounts {
    static func read(tools: BenchTools, endpoint: String, timeoutSeconds: Double = 30) throws -> [String: Int] {
        let status = try ChildProcess(
            tools.helpline, ["status", "--endpoint", endpoint, "--json", "--timeout", "\(timeoutSeconds)"], label: "helpline status")
        status.waitForExit(timeout: timeoutSeconds + 5)
        guard let line = status.allLines.last(where: { $0.hasPrefix("{") }),
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let counts = object["counts"] as? [String: Any]
        else { throw BenchError.childFailed("helpline status printed no report (\(status.exitDescription))") }
        return counts.compactMapValues { ($0 as? NSNumber)?.intValue }
    }
}
