import ArgumentParser

/// The three ways the bench's load clients and echo workers talk, so one set of processes
/// measures Helpline and both baselines under the same load.
enum BenchWire: String, CaseIterable, ExpressibleByArgument, Codable, Sendable {
    /// HLP/1 through `helpline broker`: ASK / QUEUED / ASSIGN / ANSWER / ANSWERED.
    case hlp
    /// The same HLP frames through `bench/forwarder.c`, which parses nothing: the client's
    /// ASK reaches a worker as is (behind the client's routing id), and the worker's ANSWER
    /// comes back as is. The physical limit of ZeroMQ on this machine.
    case raw
    /// 7/MDP v0.1 (Majordomo) through any MDP broker: the request body is
    /// [ticket id, body] and each worker holds one request at a time.
    case mdp
}

/// Frame contents the bench sends over and over, built once.
enum BenchFrames {
    static let clientSignature = Array("HLPC01".utf8)
    static let workerSignature = Array("HLPW01".utf8)
    static let mdpClient = Array("MDPC01".utf8)
    static let mdpWorker = Array("MDPW01".utf8)
    /// The MDP service the bench's echo workers register and its clients call.
    static let mdpService = "echo"

    /// 7/MDP worker commands (spec 7, "MDP/Worker").
    enum MDPCommand: UInt8 {
        case ready = 0x01
        case request = 0x02
        case reply = 0x03
        case heartbeat = 0x04
        case disconnect = 0x05
    }
}
