import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads the terminal on a thread of its own and hands each key over as it comes.
enum KeyReader {
    /// How long a lone ESC waits for the rest of a sequence before it is the Escape key:
    /// terminals send a sequence in one burst, people do not type that fast.
    static let escapeWait: Int32 = 40

    /// Starts reading `fd` until end of input or an error; `onKey` runs on the reader's
    /// thread, `onEnd` once at the end.
    static func start(fd: Int32, onKey: @escaping @Sendable (Key) -> Void, onEnd: @escaping @Sendable () -> Void) {
        let thread = Thread {
            var decoder = KeyDecoder()
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                var item = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&item, 1, decoder.awaitsEscape ? escapeWait : -1)
                if ready < 0 {
                    if errno == EINTR { continue }
                    break
                }
                if ready == 0 {
                    decoder.flushEscape().forEach(onKey)
                    continue
                }
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                guard count > 0 else { break }
                decoder.feed(buffer[0..<count]).forEach(onKey)
            }
            onEnd()
        }
        thread.name = "helpline-keys"
        thread.start()
    }
}
