import Histogram

/// Latencies in microseconds, in an HdrHistogram (3 significant digits).
typealias LatencyHistogram = Histogram<UInt64>

extension Histogram where Count == UInt64 {
    /// One microsecond to one minute: every latency a bench run can see.
    static func latency() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }
}

/// A histogram's non-empty buckets, small enough to pass from a child process as JSON
/// (the full counts array of a one-minute histogram is tens of kilobytes).
struct LatencySamples: Codable, Sendable {
    var values: [UInt64] = []
    var counts: [UInt64] = []

    init() {}

    init(_ histogram: LatencyHistogram) {
        for bucket in histogram.recordedValues() {
            values.append(bucket.value)
            counts.append(bucket.count)
        }
    }

    /// Adds these samples to `histogram`.
    func add(to histogram: inout LatencyHistogram) {
        for (value, count) in zip(values, counts) { histogram.record(value, count: count) }
    }
}

/// The percentiles every roundtrip row prints, in microseconds.
struct LatencySummary: Codable, Sendable {
    var p50: UInt64
    var p90: UInt64
    var p99: UInt64
    var p999: UInt64
    var max: UInt64
    var count: UInt64

    init(_ histogram: LatencyHistogram) {
        p50 = histogram.valueAtPercentile(50)
        p90 = histogram.valueAtPercentile(90)
        p99 = histogram.valueAtPercentile(99)
        p999 = histogram.valueAtPercentile(99.9)
        max = histogram.max
        count = histogram.totalCount
    }
}
