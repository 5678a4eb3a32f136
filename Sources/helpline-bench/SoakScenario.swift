import Foundation

/// A journaled broker under a paced load for a long time, with a retention short enough
/// that finished tickets are pruned all along: RSS, journal size and p99 sampled at every
/// interval should stay flat once the first retention period has passed.
struct SoakSpec: Codable, Sendable {
    var minutes: Double = 30
    var sampleSeconds = 60
    /// Tickets per second; nil = half of Helpline's maximum (journaled), measured first.
    var rate: Int?
    var retentionMilliseconds = 60_000
    var clients = 10
    var consoles = 10
    var capacity = 10
    var bodyBytes = 200

    var name: String {
        let minutesText = minutes == minutes.rounded() ? "\(Int(minutes))" : "\(minutes)"
        return "soak_\(rate.map { "rate\($0)" } ?? "halfmax")_min\(minutesText)_sample\(sampleSeconds)s_retention\(retentionMilliseconds)ms"
    }

    var samples: Int { max(1, Int((minutes * 60 / Double(sampleSeconds)).rounded())) }

    /// Samples before pruning reaches a steady state: the first retention period, and one more.
    var warmupSamples: Int { min(samples - 1, Int((Double(retentionMilliseconds) / 1_000 / Double(sampleSeconds)).rounded(.up)) + 1) }

    /// The issue's targets: RSS drifts ≤ 5% after warm-up, the journal stays flat.
    static let driftTargetPercent = 5.0
}

struct SoakRow: Codable, Sendable {
    struct Sample: Codable, Sendable {
        var elapsedSeconds: Double
        var residentBytes: Int
        var journalBytes: Int
        var p99Micros: UInt64
        var answeredPerSecond: Double
        var lost: Int
    }

    var scenario: String
    var rate: Int
    var samples: [Sample]
    var warmupSamples: Int
    /// After warm-up: (max − min) ÷ min of the RSS, and of the journal's size, in percent.
    var residentDriftPercent: Double
    var journalDriftPercent: Double
    /// After warm-up: the last interval's p99 ÷ the first's.
    var p99Growth: Double
    var lost: Int
    var duplicates: Int
}

struct SoakRunner {
    let tools: BenchTools

    /// `measuredMax`: Helpline's journaled answers/s from this invocation, when known.
    func run(_ spec: SoakSpec, measuredMax: Double?) throws -> SoakRow {
        let rate = try spec.rate ?? Int(try measuredMax ?? measureMax(spec)) / 2
        let broker = try BenchBroker(tools: tools, journaled: true, arguments: ["--retention-ms", "\(spec.retentionMilliseconds)"])
        defer { broker.stop() }
        let load = FloorLoad(tools: tools, endpoint: broker.endpoint)
        let consoles = try load.consoles(spec.consoles, processes: 2, capacity: spec.capacity, heartbeatMilliseconds: 1_000)
        defer { consoles.forEach { $0.stop() } }
        let started = BenchClock.now()
        var samples: [SoakRow.Sample] = []
        var duplicates = 0
        for index in 0..<spec.samples {
            let (result, latency) = try load.paced(
                rate: rate, milliseconds: spec.sampleSeconds * 1_000, clients: spec.clients, processes: 2,
                bodyBytes: spec.bodyBytes, tag: "s\(index)")
            duplicates += result.duplicates
            samples.append(
                SoakRow.Sample(
                    elapsedSeconds: Double(BenchClock.now() - started) / 1e9, residentBytes: broker.residentBytes,
                    journalBytes: broker.journalBytes, p99Micros: latency.p99,
                    answeredPerSecond: Double(result.answeredInWindow) / Double(spec.sampleSeconds), lost: result.lost))
            FileHandle.standardError.write(
                Data(
                    "  \(spec.name) [\(index + 1)/\(spec.samples)]: RSS \(ProcessMemory.mebibytes(samples.last!.residentBytes)) MiB, journal \(ProcessMemory.mebibytes(samples.last!.journalBytes)) MiB, p99 \(latency.p99) µs\n"
                        .utf8))
        }
        let steady = Array(samples.dropFirst(spec.warmupSamples))
        func drift(_ values: [Int]) -> Double {
            guard let low = values.min(), let high = values.max(), low > 0 else { return 0 }
            return 100 * Double(high - low) / Double(low)
        }
        return SoakRow(
            scenario: spec.name, rate: rate, samples: samples, warmupSamples: spec.warmupSamples,
            residentDriftPercent: drift(steady.map(\.residentBytes)), journalDriftPercent: drift(steady.map(\.journalBytes)),
            p99Growth: Double(steady.last?.p99Micros ?? 0) / Double(max(1, steady.first?.p99Micros ?? 1)),
            lost: samples.map(\.lost).reduce(0, +), duplicates: duplicates)
    }

    /// Helpline's closed-loop maximum, journaled, with the soak's clients and consoles.
    private func measureMax(_ spec: SoakSpec) throws -> Double {
        let runner = RoundtripRunner(tools: tools, timing: RoundtripTiming(), mdpEndpoint: nil, mdpPID: nil, brokerLogLevel: "warning")
        let load = RoundtripSpec(clients: spec.clients, workers: spec.consoles, capacity: spec.capacity, inflight: 10, bodyBytes: spec.bodyBytes)
        return try runner.run(load, on: .helpline).answersPerSecond
    }
}
