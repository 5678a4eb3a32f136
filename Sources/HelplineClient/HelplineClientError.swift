import HelplineWire
import ZeroMQ

/// Why an ask, a status request or the client failed.
///
/// A struct around a closed set of kinds rather than an enum, so that new kinds can be
/// added without breaking callers' `switch`es; match on ``kind``.
public struct HelplineClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case refused, unknownTicket = "unknown-ticket", invalidRequest = "invalid-request"
            case duplicateTicket = "duplicate-ticket", timeout, closed
        }
        private let base: Base

        /// The broker answered ERROR for this request (see ``HelplineClientError/reply``):
        /// 409 id reused with other content, 413/422 fix the request, 429/503 retry later,
        /// 401 configuration.
        public static let refused = Kind(base: .refused)
        /// The broker does not know the ticket (ERROR 404, typically to RESUME after a broker
        /// restart without a journal): it was lost, and may be asked again.
        public static let unknownTicket = Kind(base: .unknownTicket)
        /// The request breaks a rule of the protocol; it was never sent
        /// (see ``HelplineClientError/wireError``).
        public static let invalidRequest = Kind(base: .invalidRequest)
        /// A ticket with this id is already open in this client.
        public static let duplicateTicket = Kind(base: .duplicateTicket)
        /// No outcome arrived in time: past the ticket's deadline (plus grace), after a
        /// cancel the broker did not confirm, or a status request the broker did not answer.
        public static let timeout = Kind(base: .timeout)
        /// The client was closed before the outcome arrived.
        public static let closed = Kind(base: .closed)

        /// The kind's name, as the error's description starts with it.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let kind: Kind
    /// The ticket concerned, when there is one.
    public let ticket: String?
    /// The broker's ERROR, for ``Kind/refused`` and ``Kind/unknownTicket``.
    public let reply: ErrorReply?
    /// The rule the request broke, for ``Kind/invalidRequest``.
    public let wireError: WireError?
    /// A human-readable explanation.
    public let message: String

    private init(kind: Kind, ticket: String?, reply: ErrorReply? = nil, wireError: WireError? = nil, message: String) {
        self.kind = kind
        self.ticket = ticket
        self.reply = reply
        self.wireError = wireError
        self.message = message
    }

    /// "refused (ticket t-1): 409 conflict: ..."
    public var description: String {
        "\(kind)" + (ticket.map { " (ticket \($0))" } ?? "") + ": " + message
    }

    static func refused(_ reply: ErrorReply) -> Self {
        Self(kind: .refused, ticket: reply.ticket, reply: reply, message: "\(reply.code.rawValue) \(reply.code): \(reply.text)")
    }

    static func unknownTicket(_ reply: ErrorReply) -> Self {
        Self(kind: .unknownTicket, ticket: reply.ticket, reply: reply, message: "the broker does not know the ticket: \(reply.text)")
    }

    static func invalidRequest(_ error: WireError) -> Self {
        Self(kind: .invalidRequest, ticket: error.ticket, wireError: error, message: error.description)
    }

    static func duplicateTicket(_ ticket: String) -> Self {
        Self(kind: .duplicateTicket, ticket: ticket, message: "a ticket with this id is already open in this client")
    }

    static func timeout(_ ticket: String?, _ message: String) -> Self {
        Self(kind: .timeout, ticket: ticket, message: message)
    }

    static func closed(_ ticket: String?) -> Self {
        Self(kind: .closed, ticket: ticket, message: "the client was closed")
    }

    static func closed(_ ticket: String?, because error: ZMQError) -> Self {
        Self(kind: .closed, ticket: ticket, message: "the client could not start: \(error)")
    }
}
