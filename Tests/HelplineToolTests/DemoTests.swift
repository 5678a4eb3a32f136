import Foundation
import HelplineTestSupport
import Testing

@testable import helpline

/// `helpline demo`, fast-forwarded: it must end by itself, lose nothing, and show both
/// failures being recovered from.
@Suite("helpline demo")
struct DemoTests {
    @Test func demoAtTenTimesSpeed_endsByItself_losesNothing_andShowsRecoveries() async throws {
        let demo = try ToolProcess(["demo", "--speed", "10", "--no-color"])
        let status = await demo.wait(timeout: .seconds(30))
        let log = demo.output
        #expect(status == 0, "demo failed:\n\(log)\n\(demo.errorOutput)")
        #expect(log.contains("lost=0"))
        #expect(log.contains("21 tickets asked"))
        #expect(log.contains("bob walks away"))
        #expect(log.contains("carol's console crashes (SIGKILL"))
        #expect(log.contains("taken back from bob: accept-timeout"))
        #expect(log.contains("(no-hila)"))
        #expect(log.contains("(max-wait)"))
        // Which tickets carol holds at the crash, and so whether they are re-offered or go
        // to live agents, depends on timing at ten times the speed: lost=0 covers them.
        #expect(log.contains("Stopped the broker and carol's console"))
        // Every pid the demo named is gone.
        for line in log.split(separator: "\n") where line.contains("Stopped the broker") {
            let pids = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int32($0) }
            for pid in pids { #expect(kill(pid, 0) != 0, "pid \(pid) still runs") }
        }
    }
}
