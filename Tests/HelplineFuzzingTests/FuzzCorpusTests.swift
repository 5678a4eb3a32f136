import Foundation
import HelplineFuzzing
import Testing

/// Every input in the committed fuzz corpus and every crash the fuzzers ever found
/// (fuzz/regressions), replayed through the same drivers `make fuzz` links into libFuzzer:
/// a fixed bug that comes back fails here, in every `make test`.
struct FuzzCorpusTests {
    /// fuzz/ at the top of the repository, found from this file's path.
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz")

    static func inputs(_ target: String) -> [URL] {
        ["corpus", "regressions"].flatMap { folder in
            let directory = fuzzDirectory.appendingPathComponent(folder).appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { directory.appendingPathComponent($0) }
        }
    }

    @Test func codecCorpus_everyInputPasses() throws {
        let inputs = Self.inputs("codec")
        #expect(inputs.count >= 10, "the codec seed corpus is missing")
        for url in inputs { CodecFuzzer.run(bytes: Array(try Data(contentsOf: url))) }
    }

    @Test func coreCorpus_everyInputPasses() throws {
        let inputs = Self.inputs("core")
        #expect(inputs.count >= 10, "the core seed corpus is missing")
        for url in inputs { CoreFuzzer.run(bytes: Array(try Data(contentsOf: url))) }
    }

    @Test func emptyAndTinyInputs_areCompleteRuns() {
        for bytes: [UInt8] in [[], [0], [2], [255, 255], [17, 3, 3, 3]] {
            CodecFuzzer.run(bytes: bytes)
            CoreFuzzer.run(bytes: bytes)
        }
    }
}
