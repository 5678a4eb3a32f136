import HelplineWire
import ZeroMQ

/// Why a worker call failed. A struct around a closed set of kinds, so kinds can be added
/// without breaking callers; match on ``kind``.
public struct HelplineWorkerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalid, closed
        }
        private let base: Base

        /// The command breaks a rule of the protocol; it was not sent (see
        /// ``HelplineWorkerError/wireError``).
        public static let invalid = Kind(base: .invalid)
        /// The worker is closed, or could not start.
        public static let closed = Kind(base: .closed)

        /// The kind's name, as the error's description starts with it.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let kind: Kind
    /// The rule broken, for ``Kind/invalid``.
    public let wireError: WireError?
    /// A human-readable explanation.
    public let message: String

    /// "invalid: 422 invalid: ANSWER: ..."
    public var description: String { "\(kind): \(message)" }

    static func invalid(_ error: WireError) -> Self {
        Self(kind: .invalid, wireError: error, message: error.description)
    }

    static let closed = Self(kind: .closed, wireError: nil, message: "the worker was closed")

    static func closed(because error: ZMQError) -> Self {
        Self(kind: .closed, wireError: nil, message: "the worker could not start: \(error)")
    }
}
