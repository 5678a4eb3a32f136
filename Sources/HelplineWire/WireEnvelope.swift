/// The frames of one HLP/1 message (the ROUTER identity frame excluded), checked against
/// the framing rules of 1/HLP before anyone reads the header. No I/O, no copies: the
/// buffers point into the caller's frames and are valid as long as those are.
///
/// Checks, in 1/HLP's order, each with its code: at least one frame (400); signature (505);
/// command exactly 1 byte and known (400); legal for the signature and the receiver (403);
/// 3 or 4 frames (400); a fourth frame only on ASK, ANSWER, ASSIGN, ANSWERED (400); header
/// ≤ 64 KiB and body ≤ 1 MiB (413). Every error after the command byte was read names it.
/// The header itself is `HeaderDecoder`'s to check.
public struct WireEnvelope {
    /// Frame 0.
    public let signature: Signature
    /// Who sent it to whom, from the signature and the receiver.
    public let direction: Direction
    /// Frame 1.
    public let command: Command
    /// Frame 2: the MessagePack header, not yet decoded.
    public let header: UnsafeRawBufferPointer
    /// Frame 3, opaque; `nil` when absent or empty (the two mean the same: no body).
    public let body: UnsafeRawBufferPointer?

    /// Checks the frames of a message that `receiver` got. Frames passed as a buffer, not an
    /// array, so a receive loop can keep them in storage it reuses.
    public init(frames: UnsafeBufferPointer<UnsafeRawBufferPointer>, receiver: Peer) throws(WireError) {
        guard let first = frames.first else { throw .malformed("message has no frames") }
        guard let signature = Signature(bytes: first) else {
            // No `command`: under an unknown signature the byte's meaning is unknown too.
            throw WireError(
                code: .unsupportedVersion,
                text: "signature \(quoted(first)) is not \(Signature.client.rawValue) or \(Signature.worker.rawValue)")
        }
        // Checks 2-4 of "Order of checks": the command byte is read (and then named in
        // every later ERROR) before the frame count is judged.
        guard frames.count >= 2 else {
            throw .malformed("message has \(frames.count) frame; must have 3 (signature, command, header) or 4 (and a body)")
        }
        let commandFrame = frames[1]
        guard commandFrame.count == 1 else {
            throw .malformed("command frame is \(commandFrame.count) bytes; must be exactly 1")
        }
        let byte = commandFrame[0]
        // The one exception to the direction rules: the broker's 505 always travels on
        // HLPC01, so a worker takes an ERROR with that signature as its own.
        let exception: Direction? =
            receiver == .worker && signature == .client && byte == Command.error.rawValue ? .brokerToWorker : nil
        guard let direction = exception ?? Direction(signature: signature, receiver: receiver) else {
            // A client handed a worker message, or the reverse: a known command, wrong sub-protocol.
            let command = try knownCommand(byte)
            throw WireError(
                code: .forbidden, text: "\(command) on \(signature.rawValue) never reaches a \(receiver)", command: byte
            )
        }
        let command = try direction.command(byte)
        guard (3...4).contains(frames.count) else {
            throw .malformed(
                "\(command): message has \(frames.count) frames; must have 3 (signature, command, header) or 4 (and a body)",
                command: byte)
        }
        let header = frames[2]
        var body: UnsafeRawBufferPointer? = nil
        if frames.count == 4 {
            guard command.carriesBody else {
                throw .malformed("\(command) carries no body, yet the message has a fourth frame", command: byte)
            }
            let bodyFrame = frames[3]
            guard bodyFrame.count <= WireLimits.maxBodyBytes else {
                throw .tooLarge(
                    "\(command): body is \(bodyFrame.count) bytes; must be at most \(WireLimits.maxBodyBytes)",
                    command: byte)
            }
            body = bodyFrame.isEmpty ? nil : bodyFrame
        }
        let headerLimit = WireLimits.maxHeaderBytes(for: command)
        guard header.count <= headerLimit else {
            throw .tooLarge(
                "\(command): header is \(header.count) bytes; must be at most \(headerLimit)",
                command: byte)
        }
        self.signature = signature
        self.direction = direction
        self.command = command
        self.header = header
        self.body = body
    }

    /// Checks the frames of a message that `receiver` got, held in an array.
    public init(frames: [UnsafeRawBufferPointer], receiver: Peer) throws(WireError) {
        // Array's `withUnsafeBufferPointer` rethrows untyped errors, hence the `Result`.
        self = try frames.withUnsafeBufferPointer { buffer in
            Result { () throws(WireError) in try WireEnvelope(frames: buffer, receiver: receiver) }
        }.get()
    }
}
