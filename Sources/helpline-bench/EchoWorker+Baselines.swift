import HelplineWire
import ZeroMQ

// The two baselines' wires: the raw forwarder and 7/MDP.
extension EchoWorker {
    /// Through the forwarder: [client routing id, HLPC01, ASK, header, body] in, the same
    /// routing id and an ANSWER out.
    func handleRaw(_ index: Int) throws {
        guard multipart.count >= 4 else { return }
        // The hot path: the id alone, where the canonical encoder puts it.
        if let header = answerHeader(for: 3) {
            try sendAnswer(header, on: sockets[index], routingId: true, bodyFrame: multipart.count > 4 ? 4 : nil)
            return
        }
        let message: ClientMessage? = multipart.withFrame(3) { header in
            try? decoder.decodeClientMessage(command: Command.ask.rawValue, header: header)
        }
        guard case .ask(let ask) = message else { return }
        let socket = sockets[index]
        let hasBody = multipart.count > 4
        try socket.send(multipart, frame: 0, more: true)
        try BenchFrames.workerSignature.withUnsafeBytes { try socket.send($0, more: true) }
        try withUnsafeBytes(of: Command.answer.rawValue) { try socket.send($0, more: true) }
        try encoder.withEncoded(WorkerMessage.answer(Answer(ticket: ask.ticket, decision: .answer))) { (_, header) throws(ZMQError) in
            try socket.send(header, more: hasBody)
        }
        if hasBody { try socket.send(multipart, frame: 4) }
    }

    /// 7/MDP: REQUEST [empty, MDPW01, 0x02, client, empty, body...] is answered with
    /// REPLY [empty, MDPW01, 0x03, client, empty, body...], frames shared, not copied.
    func handleMDP(_ index: Int) throws {
        guard multipart.count >= 3, multipart.frameSize(2) == 1 else { return }
        let command = multipart.withFrame(2) { $0[0] }
        switch BenchFrames.MDPCommand(rawValue: command) {
        case .request where multipart.count >= 6:
            let socket = sockets[index]
            try sendMDP(.reply, on: socket, more: true)
            for frame in 3..<multipart.count {
                try socket.send(multipart, frame: frame, more: frame < multipart.count - 1)
            }
        case .disconnect:
            try reconnect(index)
        default:
            break
        }
    }

    func sendMDP(_ command: BenchFrames.MDPCommand, on socket: ZMQSocket, more: Bool) throws {
        try socket.send(UnsafeRawBufferPointer(start: nil, count: 0), more: true)
        try BenchFrames.mdpWorker.withUnsafeBytes { try socket.send($0, more: true) }
        try withUnsafeBytes(of: command.rawValue) { try socket.send($0, more: more) }
    }
}
