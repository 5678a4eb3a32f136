import HelplineClient
import HelplineWire
import HelplineWorker

/// Client timings short enough for tests, long enough for a loaded 2-core machine.
/// `liveness` 30 (3 s of silence): a scripted broker answers HEARTBEATs only while the test
/// reads from it, and with liveness 10 a test task kept off the CPU for a second (the whole
/// suite in parallel on 2 cores) made the client take the broker for dead before it read the
/// ASK, reconnect on a new socket, and never hear the replies sent to the old one. Tests of
/// silence detection pass their own.
func fastClientOptions(liveness: Int = 30) -> HelplineClient.Options {
    HelplineClient.Options(
        heartbeatInterval: .milliseconds(100), liveness: liveness, acknowledgmentTimeout: .seconds(3),
        deadlineGrace: .seconds(2), cancelGrace: .seconds(2), reconnectDelay: .milliseconds(20),
        maxReconnectDelay: .milliseconds(200))
}

/// Worker reconnection timings for tests.
/// Quick reconnects; a broker is declared silent after `liveness` heartbeats. The default
/// tolerates 3 s of silence at 100 ms heartbeats, so a test process starved of CPU on a
/// busy machine does not give up on a scripted broker that sends no heartbeats.
func fastWorkerOptions(liveness: Int = 30) -> HelplineWorker.Options {
    HelplineWorker.Options(
        liveness: liveness, reconnectDelay: .milliseconds(20), maxReconnectDelay: .milliseconds(200),
        closeLinger: .milliseconds(200))
}

/// A WELCOME with the fastest heartbeat 1/HLP allows (250 ms: a worker refuses less); the
/// generous default liveness keeps a scripted broker that sends no heartbeats from being
/// declared gone while the machine is busy.
func welcome(heartbeat: Int = 250, liveness: Int = 30, attached: [String] = [], dropped: [String] = []) -> Welcome {
    Welcome(
        heartbeatMilliseconds: heartbeat, liveness: liveness, acceptTimeoutMilliseconds: 30_000, attached: attached,
        dropped: dropped)
}

/// An ASSIGN for `id` with everything else plain.
func assign(_ id: String, role: Role = .hila, options: [String] = []) -> Assign {
    Assign(
        ticket: id, role: role, skills: ["refunds"], priority: 0, options: options, ageMilliseconds: 5,
        acceptTimeoutMilliseconds: 30_000, deadlineMilliseconds: 3_600_000, attempt: 1,
        transferReason: role == .live ? .requested : nil)
}

/// Collects a stream's elements until it ends or `count` arrived.
func collect<Element: Sendable>(_ stream: AsyncStream<Element>, count: Int = .max) async -> [Element] {
    var elements: [Element] = []
    for await element in stream {
        elements.append(element)
        if elements.count == count { break }
    }
    return elements
}

/// The first event that matches, or nil when the stream ends or `timeout` passes first.
func firstEvent(
    _ events: AsyncStream<WorkerEvent>, timeout: Duration = .seconds(5), where match: @escaping @Sendable (WorkerEvent) -> Bool
) async -> WorkerEvent? {
    await withTaskGroup(of: WorkerEvent?.self) { group in
        group.addTask {
            for await event in events where match(event) { return event }
            return nil
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next()!
        // Iterating an AsyncStream ends when its task is cancelled.
        group.cancelAll()
        return first
    }
}

/// The next element of `stream`, or nil after `timeout`.
func next<Element: Sendable>(_ stream: AsyncStream<Element>, timeout: Duration = .seconds(5)) async -> Element? {
    await withTaskGroup(of: Element?.self) { group in
        group.addTask {
            var iterator = stream.makeAsyncIterator()
            return await iterator.next()
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next()!
        group.cancelAll()
        return first
    }
}

extension Array where Element == UInt8 {
    init(_ string: String) { self = Array(string.utf8) }
}
