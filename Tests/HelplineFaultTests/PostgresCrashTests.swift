import HelplineBrokerCore
import HelplineJournal
import HelplineJournalPostgres
import HelplineTestSupport
import Testing

/// The crash loop on a PostgreSQL journal: brokers killed -9 under load and restarted on
/// the same database (a server this suite starts: Debian's, non-root, unix socket only).
@Suite(
    "crash and restart with a PostgreSQL journal", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: JournaledBroker.binary != nil && PostgresServer.binaries != nil, "needs the helpline binary and Debian's postgresql"))
struct PostgresCrashTests {
    @Test func killNineLoopUnderLoad_onPostgreSQL_everyTicketGetsExactlyOneOutcome_noneLost() async throws {
        let server = try PostgresServer()
        defer { server.stop() }
        // A longer grace than the SQLite loop's: beside a busy PostgreSQL server the consoles
        // can take more than 1.5 s to re-register, and a ticket asked meanwhile would then go
        // to the live queue (no live agent here) instead of being answered.
        let broker = try JournaledBroker(journalPath: server.conninfo, arguments: ["--restore-grace-ms", "5000"])
        defer { broker.stop() }
        let run = try await CrashLoop(plan: CrashPlan.fromEnvironment()).run(broker)
        let journal = try PostgresJournal(conninfo: server.conninfo, clock: JournalClock(wallMilliseconds: 0, monotonic: .zero))
        var recorded: [String: (kind: String, worker: String?)] = [:]
        for ticket in try journal.restoredTickets(makeBody: { _ in () }) {
            guard case .finished(let outcome, _) = ticket.stage else { continue }
            switch outcome {
            case .answered(let answered): recorded[ticket.ask.ticket] = ("answered", answered.worker)
            case .takenOver(let worker): recorded[ticket.ask.ticket] = ("taken_over", worker)
            case .cancelled, .expired: recorded[ticket.ask.ticket] = (outcome.name, nil)
            }
        }
        run.check(recorded: recorded, broker: broker)
    }
}
