// Building whole messages as frame lists: for tests, tools and golden-vector checks. The
// broker's hot path sends the header straight from `HeaderEncoder.withEncoded` instead.
extension WireEnvelope {
    /// The frames of one message: signature, command, header and, when `body` is non-empty,
    /// the body. An empty body is left out: absent and empty mean the same.
    ///
    /// - Precondition: `body` is empty or `nil` unless `command.carriesBody`.
    public static func frames(signature: Signature, command: Command, header: [UInt8], body: [UInt8]? = nil)
        -> [[UInt8]]
    {
        var frames = [signature.bytes, [command.rawValue], header]
        if let body, !body.isEmpty {
            precondition(command.carriesBody, "\(command) carries no body")
            frames.append(body)
        }
        return frames
    }

    /// The frames of a client's command (HLPC01). `body` goes with ASK only.
    public static func frames(_ message: ClientMessage, body: [UInt8]? = nil, encoder: HeaderEncoder = HeaderEncoder())
        -> [[UInt8]]
    {
        let (command, header) = encoder.encode(message)
        return frames(signature: .client, command: command, header: header, body: body)
    }

    /// The frames of the broker's reply to a client (HLPC01). `body` goes with ANSWERED only.
    public static func frames(_ message: ClientReply, body: [UInt8]? = nil, encoder: HeaderEncoder = HeaderEncoder())
        -> [[UInt8]]
    {
        let (command, header) = encoder.encode(message)
        return frames(signature: .client, command: command, header: header, body: body)
    }

    /// The frames of a worker's command (HLPW01). `body` goes with ANSWER only.
    public static func frames(_ message: WorkerMessage, body: [UInt8]? = nil, encoder: HeaderEncoder = HeaderEncoder())
        -> [[UInt8]]
    {
        let (command, header) = encoder.encode(message)
        return frames(signature: .worker, command: command, header: header, body: body)
    }

    /// The frames of the broker's directive to a worker (HLPW01). `body` goes with ASSIGN only.
    public static func frames(
        _ message: WorkerDirective, body: [UInt8]? = nil, encoder: HeaderEncoder = HeaderEncoder()
    )
        -> [[UInt8]]
    {
        let (command, header) = encoder.encode(message)
        return frames(signature: .worker, command: command, header: header, body: body)
    }

    /// Checks frames held as byte arrays (tests and tools; the broker passes its frames'
    /// buffers to `init(frames:receiver:)` directly) and lends the envelope to `body`.
    public static func withFrames<R>(
        _ frames: [[UInt8]], receiver: Peer, _ body: (WireEnvelope) throws(WireError) -> R
    ) throws(WireError) -> R {
        // Each array's buffer must stay pinned while the envelope points into it. Array's
        // `withUnsafeBytes` rethrows untyped errors, hence the `Result`.
        func pin(_ index: Int, _ buffers: inout [UnsafeRawBufferPointer]) -> Result<R, WireError> {
            guard index < frames.count else {
                return Result { () throws(WireError) -> R in
                    try body(WireEnvelope(frames: buffers, receiver: receiver))
                }
            }
            return frames[index].withUnsafeBytes { buffer in
                buffers.append(buffer)
                return pin(index + 1, &buffers)
            }
        }
        var buffers: [UnsafeRawBufferPointer] = []
        return try pin(0, &buffers).get()
    }
}
