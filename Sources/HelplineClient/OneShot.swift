import Foundation

/// A result delivered once, by the I/O thread, to any number of tasks waiting for it.
///
/// Every waiter is resumed exactly once: by the result, or by the `.closed` failure the
/// I/O thread delivers to everything still pending when it stops.
final class OneShot<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, HelplineClientError>?
    private var waiters: [CheckedContinuation<Result<Value, HelplineClientError>, Never>] = []

    /// Delivers `result`; later calls are ignored, so a value is never reported twice.
    func fulfil(_ result: Result<Value, HelplineClientError>) {
        let waiting: [CheckedContinuation<Result<Value, HelplineClientError>, Never>]? = lock.withLock {
            guard self.result == nil else { return nil }
            self.result = result
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in waiting ?? [] { waiter.resume(returning: result) }
    }

    /// The result, once it is delivered.
    func value() async -> Result<Value, HelplineClientError> {
        await withCheckedContinuation { waiter in
            let ready: Result<Value, HelplineClientError>? = lock.withLock {
                if let result { return result }
                waiters.append(waiter)
                return nil
            }
            if let ready { waiter.resume(returning: ready) }
        }
    }
}
