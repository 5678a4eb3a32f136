import HelplineBrokerCore
import HelplineJournal
import HelplineWire

/// Reads a PostgreSQL journal back into tickets, replayed as the SQLite journal's are
/// (`JournalReplay`): tickets, then their events in order, then outcomes; ASK bodies of
/// open tickets and answer bodies come in binary, as stored.
struct PostgresRestore {
    let connection: PostgresConnection
    let clock: JournalClock

    func tickets<Body>(makeBody: (UnsafeRawBufferPointer) -> Body) throws(JournalError) -> [RestoredTicket<Body>] {
        var replays: [JournalReplay] = []
        var bySequence: [Int64: Int] = [:]
        let tickets = try connection.execute(
            """
            SELECT seq, id, step, asked_at, role, skills, priority, options, max_wait, deadline, digest, client_name
            FROM tickets ORDER BY seq
            """, "read tickets")
        replays.reserveCapacity(tickets.count)
        for row in tickets {
            let sequence = number(row[0])
            let ask = Ask(
                ticket: row[1] ?? "", skills: JournalSchema.split(row[5]), role: Role(rawValue: row[4] ?? "") ?? .hila,
                priority: Int(number(row[6])), options: JournalSchema.split(row[7]), maxWaitMilliseconds: Int(number(row[8])),
                deadlineMilliseconds: Int(number(row[9])))
            bySequence[sequence] = replays.count
            replays.append(
                JournalReplay(
                    ask: ask, sequence: UInt64(bitPattern: sequence), digest: row[10].flatMap { Int64($0) }.map { UInt64(bitPattern: $0) },
                    askedAt: clock.timestamp(epochMilliseconds: number(row[3])), owner: row[11],
                    order: UInt64(bitPattern: number(row[2]))))
        }
        for row in try connection.execute(
            "SELECT ticket, step, kind, worker, reason, note, attempt FROM events ORDER BY ticket, step", "read events")
        {
            guard let index = bySequence[number(row[0])] else { continue }
            replays[index].apply(
                kind: row[2] ?? "", step: UInt64(bitPattern: number(row[1])), worker: row[3], reason: row[4], note: row[5],
                attempt: row[6].flatMap { Int64($0) })
        }
        for row in try connection.execute("SELECT ticket, kind, at, worker, decision, option, elapsed FROM outcomes", "read outcomes") {
            guard let index = bySequence[number(row[0])] else { continue }
            replays[index].finish(
                kind: row[1] ?? "", at: clock.timestamp(epochMilliseconds: number(row[2])), worker: row[3], decision: row[4],
                option: row[5], elapsed: number(row[6]))
        }
        var askBodies: [Int64: Body] = [:]
        try connection.binaryRows(
            """
            SELECT t.seq, t.body FROM tickets t
            WHERE t.body IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.ticket = t.seq)
            """, "read bodies"
        ) { columns in
            if let key = columns[0].map(bigEndian), let body = columns[1] { askBodies[key] = makeBody(body) }
        }
        var answerBodies: [Int64: Body] = [:]
        try connection.binaryRows("SELECT ticket, body FROM outcomes WHERE body IS NOT NULL", "read answers") { columns in
            if let key = columns[0].map(bigEndian), let body = columns[1] { answerBodies[key] = makeBody(body) }
        }
        return replays.map { replay in
            let key = Int64(bitPattern: replay.sequence)
            return replay.restoredTicket(askBody: askBodies[key], answerBody: answerBodies[key])
        }
    }

    private func number(_ text: String?) -> Int64 {
        text.flatMap { Int64($0) } ?? 0
    }

    /// An int8 in binary result format: eight bytes, most significant first.
    private func bigEndian(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        bytes.reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }
}
