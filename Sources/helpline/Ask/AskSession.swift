import Dispatch
import Foundation
import HelplineClient
import HelplinePeer
import HelplineWire

#if canImport(Glibc)
import Glibc
#endif

/// One ticket from ASK to the first of: its outcome, its transfer (with `--no-wait-live`),
/// no acknowledgment in time, or a failure. Ctrl-C (SIGINT) and SIGTERM cancel it at the
/// broker.
struct AskSession {
    let endpoint: String
    let request: TicketRequest
    let noWaitLive: Bool
    let connectTimeout: Duration
    let verbose: Bool
    /// CURVE keys for a broker that requires them.
    var curve: CurveKeys? = nil

    func run() async -> AskResult {
        let client: HelplineClient
        let handle: TicketHandle
        do throws(HelplineClientError) {
            client = try HelplineClient(endpoint: endpoint, options: HelplineClient.Options(curve: curve))
            handle = try client.submit(request)
        } catch {
            return .failure(error.description)
        }
        defer { client.close() }
        // The first of several racing sources decides; closing the client ends the others.
        let (results, finish) = AsyncStream.makeStream(of: AskResult.self)
        let acknowledged = OnceFlag()
        let progress = Task { () -> AskResult.Transfer? in
            var transfer: AskResult.Transfer?
            for await event in handle.events {
                acknowledged.set()
                report(event)
                if case .transferred(let reason, let note) = event {
                    transfer = AskResult.Transfer(reason: reason, note: note)
                    if noWaitLive { finish.yield(.transferred(transfer!)) }
                }
            }
            return transfer
        }
        Task {
            do throws(HelplineClientError) {
                let outcome = try await handle.outcome()
                acknowledged.set()
                finish.yield(.outcome(outcome, transfer: await progress.value))
            } catch {
                finish.yield(.failure(error.description))
            }
        }
        let timeout = connectTimeout
        let endpoint = endpoint
        Task {
            try? await Task.sleep(for: timeout)
            if !acknowledged.isSet {
                finish.yield(.failure("no answer from a broker at \(endpoint) within \(TimeFormat.span(milliseconds: Int64(timeout.wholeMilliseconds)))"))
            }
        }
        let signals = SignalWatch([SIGINT, SIGTERM]) { _ in handle.cancel() }
        defer { withExtendedLifetime(signals) {} }
        for await result in results { return result }
        return .failure("interrupted")
    }

    private func report(_ event: TicketEvent) {
        guard verbose else { return }
        let line: String
        switch event {
        case .queued(let role, let stage, let position):
            line = "queued for a \(role == .live ? "live agent" : "HILA"): \(stage.rawValue)" + (stage == .waiting ? ", \(position) ahead" : "")
        case .assigned(let worker, _):
            line = "accepted by \(worker)"
        case .transferred(let reason, let note):
            line = "transferred to live agents (\(reason.rawValue))" + (note.map { ": \($0)" } ?? "")
        }
        FileHandle.standardError.write(Data("helpline ask: \(request.id): \(line)\n".utf8))
    }
}
