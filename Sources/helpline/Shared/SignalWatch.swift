import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Turns signals into calls on a dispatch queue, for as long as the value lives: the
/// default action (die at once) would skip cancelling tickets, restoring the terminal,
/// or stopping child processes.
final class SignalWatch {
    private let sources: [any DispatchSourceSignal]

    /// Calls `handler` with the signal's number each time one of `signals` arrives.
    init(_ signals: [Int32], _ handler: @escaping @Sendable (Int32) -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
