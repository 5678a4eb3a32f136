/// The three kinds of HLP/1 endpoint.
public enum Peer: Sendable, CaseIterable {
    /// The broker: one ROUTER socket, receives from clients and workers alike.
    case broker
    /// An agent process speaking HLP/Client.
    case client
    /// A console speaking HLP/Worker.
    case worker
}

/// Who sends a message to whom; each direction has its own set of legal commands
/// (1-HLP.md §Commands, its first table). A known command outside its direction's set is
/// 403 forbidden.
public enum Direction: String, Sendable, CaseIterable {
    /// HLPC01, agent to broker: ASK, CANCEL, RESUME, STATUS, HEARTBEAT.
    case clientToBroker = "client-to-broker"
    /// HLPC01, broker to agent: QUEUED, ASSIGNED, ANSWERED, TRANSFERRED, EXPIRED,
    /// CANCELLED, REPORT, ERROR, HEARTBEAT.
    case brokerToClient = "broker-to-client"
    /// HLPW01, console to broker: READY, HEARTBEAT, ACCEPT, ANSWER, TRANSFER, DECLINE,
    /// EXTEND, DISCONNECT.
    case workerToBroker = "worker-to-broker"
    /// HLPW01, broker to console: WELCOME, ASSIGN, REVOKE, HEARTBEAT, ERROR, DISCONNECT.
    case brokerToWorker = "broker-to-worker"

    /// The direction a message with `signature` takes when `receiver` gets it; `nil` when
    /// that receiver never gets that sub-protocol (a client handed an HLPW01 message).
    public init?(signature: Signature, receiver: Peer) {
        switch (signature, receiver) {
        case (.client, .broker): self = .clientToBroker
        case (.client, .client): self = .brokerToClient
        case (.worker, .broker): self = .workerToBroker
        case (.worker, .worker): self = .brokerToWorker
        case (.client, .worker), (.worker, .client): return nil
        }
    }

    /// The sub-protocol, frame 0.
    public var signature: Signature {
        switch self {
        case .clientToBroker, .brokerToClient: .client
        case .workerToBroker, .brokerToWorker: .worker
        }
    }

    /// Who receives messages going this way.
    public var receiver: Peer {
        switch self {
        case .clientToBroker, .workerToBroker: .broker
        case .brokerToClient: .client
        case .brokerToWorker: .worker
        }
    }

    /// Whether `command` may travel in this direction.
    public func allows(_ command: Command) -> Bool {
        switch (self, command) {
        case (_, .heartbeat): true
        case (.clientToBroker, .ask), (.clientToBroker, .cancel), (.clientToBroker, .resume),
            (.clientToBroker, .status):
            true
        case (.brokerToClient, .queued), (.brokerToClient, .assigned), (.brokerToClient, .answered),
            (.brokerToClient, .transferred), (.brokerToClient, .expired), (.brokerToClient, .cancelled),
            (.brokerToClient, .report), (.brokerToClient, .error):
            true
        case (.workerToBroker, .ready), (.workerToBroker, .accept), (.workerToBroker, .answer),
            (.workerToBroker, .transfer), (.workerToBroker, .decline), (.workerToBroker, .extend),
            (.workerToBroker, .disconnect):
            true
        case (.brokerToWorker, .welcome), (.brokerToWorker, .assign), (.brokerToWorker, .revoke),
            (.brokerToWorker, .error), (.brokerToWorker, .disconnect):
            true
        default: false
        }
    }

    /// The command named by `byte` if it may travel this way: an unknown byte is
    /// 400 malformed, a known command in the wrong direction 403 forbidden.
    public func command(_ byte: UInt8) throws(WireError) -> Command {
        let command = try knownCommand(byte)
        guard allows(command) else {
            throw WireError(code: .forbidden, text: "\(command) may not travel \(rawValue)", command: byte)
        }
        return command
    }
}

/// The command `byte` names in any direction; an unknown byte is 400 malformed.
func knownCommand(_ byte: UInt8) throws(WireError) -> Command {
    guard let command = Command(rawValue: byte) else {
        throw .malformed("command byte 0x\(hex(byte)) is not an HLP/1 command", command: byte)
    }
    return command
}

/// Two lower-case hex digits, for command bytes in error texts.
func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
