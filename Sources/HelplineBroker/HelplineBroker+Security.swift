import HelplineBrokerCore
import HelplineWire
import Logging
import ZeroMQ

extension HelplineBroker {
    /// Frame of `inbound` whose metadata is read: the signature, the first frame the peer
    /// sent (the identity frame the ROUTER prepends carries none).
    private static let metadataFrame = 1

    /// Turns CURVE on for `router` and binds the ZAP handler in its context, when the
    /// settings ask for CURVE. Runs before the ROUTER binds, so no handshake ever finds the
    /// handler missing (libzmq would then admit every key).
    static func secure(_ router: ZMQSocket, settings: BrokerSettings, logger: Logger) throws -> ZAPHandler? {
        guard let curve = settings.curve else {
            if !EndpointScope.isLocal(endpoint: settings.endpoint) {
                logger.warning("no CURVE on a network endpoint (--insecure): traffic is in clear and any peer may take any role")
            }
            return nil
        }
        let zap = try ZAPHandler(context: router.context, keys: curve.authorizedKeys, logger: logger)
        try router.setOption(.curveServer, true)
        try router.setOption(.curveSecretKey, curve.secretKey)
        try router.setOption(.zapDomain, ZAPHandler.domain)
        logger.info("CURVE on", metadata: ["public-key": "\(curve.publicKey)", "keys": "\(curve.authorizedKeys.keys.count)"])
        return zap
    }

    /// Reads the authorized-keys file again (SIGHUP). New handshakes are checked against
    /// the new keys; a key removed is unknown from now on, so its connections can no longer
    /// ask, register or read STATUS, and every registered console whose key no longer grants
    /// its registration is revoked (see `revokeWorkers`). A file that cannot be read or
    /// parsed changes nothing.
    func reloadKeys(now: Timestamp) {
        guard let zap, let path = settings.curve?.authorizedKeysFile else {
            logger.notice("key reload asked, but the broker has no authorized-keys file")
            return
        }
        do throws(AuthorizedKeysError) {
            let keys = try AuthorizedKeys.load(path: path)
            zap.keys = keys
            logger.notice("authorized keys reloaded", metadata: ["path": "\(path)", "keys": "\(keys.keys.count)"])
            revokeWorkers(under: keys, now: now)
        } catch {
            logger.error("authorized keys NOT reloaded, the old ones stay", metadata: ["error": "\(error)"])
        }
    }

    /// Applies the READY rule again to every registered worker, with the key its READY came
    /// with looked up in `keys`: a worker it now refuses gets 401 and DISCONNECT, and its
    /// tickets go to others, as if it had died. Without this a console whose key was
    /// removed would go on accepting and answering tickets until it left by itself.
    func revokeWorkers(under keys: AuthorizedKeys, now: Timestamp) {
        let workers = core.registeredWorkers
        for worker in workers {
            let key = workerKeys[worker.connection].flatMap { keys.key(publicKey: $0) }
            guard
                let refusal = Authorization.refusal(
                    forWorker: worker.name, role: worker.role, skills: worker.skills, from: key.map { .key($0) } ?? .unknownKey)
            else { continue }
            logger.notice("worker revoked by the key reload", metadata: ["worker": "\(worker.name)", "why": "\(refusal.text)"])
            core.refuseAndDisconnect(
                ErrorReply(code: .unauthorized, text: "revoked: \(refusal.text)", ticket: nil, command: nil),
                from: worker.connection, now: now)
        }
        forgetKeysOfGoneWorkers()
    }

    /// Remembers the key the READY in `inbound` came with (CURVE only; it was admitted).
    /// Consoles come and go between reloads: the keys of those gone are dropped once they
    /// outnumber the registered ones, so the table stays in proportion.
    func noteWorkerKey(_ connection: ConnectionID) {
        guard settings.curve != nil, let userID = inbound.metadata(Self.metadataFrame, "User-Id") else { return }
        workerKeys[connection] = userID
        if workerKeys.count > 2 * core.registeredWorkerCount + 64 { forgetKeysOfGoneWorkers() }
    }

    private func forgetKeysOfGoneWorkers() {
        workerKeys = workerKeys.filter { core.hasWorker(on: $0.key) }
    }

    /// Answers waiting ZAP requests; REPORT counts the handshakes admitted and refused.
    func answerHandshakes() {
        guard let zap else { return }
        let (admitted, denied) = zap.answerPending(limit: settings.maxMessagesPerWakeUp)
        if admitted > 0 { core.addToCount("handshakes_admitted", admitted) }
        if denied > 0 { core.addToCount("handshakes_refused", denied) }
    }

    /// Limits, then authorization, of a decoded client command; nil: hand it to the core.
    func admission(of message: ClientMessage, bodyBytes: Int) -> Refusal? {
        if settings.limits.isStricterThanProtocol, let refusal = settings.limits.refusal(for: message, bodyBytes: bodyBytes) {
            return refusal
        }
        guard Authorization.needsIdentity(message) else { return nil }
        // Without CURVE only STATUS has a rule (local peers only).
        if settings.curve == nil, message != .status { return nil }
        return Authorization.refusal(for: message, from: peerIdentity())
    }

    /// Limits, then authorization, of a decoded worker command; nil: hand it to the core.
    func admission(of message: WorkerMessage, bodyBytes: Int) -> Refusal? {
        if settings.limits.isStricterThanProtocol, let refusal = settings.limits.refusal(for: message, bodyBytes: bodyBytes) {
            return refusal
        }
        // Only READY needs the key: every later command acts on what that READY registered.
        guard settings.curve != nil, case .ready(let ready) = message else { return nil }
        return Authorization.refusal(for: ready, from: peerIdentity())
    }

    /// ERROR to the sender (DISCONNECT after it when the refusal says so), counted in
    /// REPORT by the core and logged on its way out like every other ERROR.
    func refuse(_ refusal: Refusal, command: Command, signature: Signature, from connection: ConnectionID, now: Timestamp) {
        if refusal.disconnect {
            core.refuseAndDisconnect(refusal.reply(command: command), from: connection, now: now)
        } else {
            core.reject(refusal.reply(command: command), signature: signature, from: connection, now: now)
        }
    }

    /// Who owns the tickets the client message in `inbound` asks or touches: the name of its
    /// key with CURVE, nil without (every peer is then the same anonymous client).
    func ticketOwner() -> String? {
        guard settings.curve != nil, case .key(let key) = peerIdentity() else { return nil }
        return key.name
    }

    /// The sender of the message in `inbound`: its ZAP-admitted key with CURVE; without,
    /// an anonymous peer that is local when the broker listens only locally or the peer's
    /// address is loopback.
    private func peerIdentity() -> PeerIdentity {
        guard let curve = settings.curve else {
            if endpointIsLocal { return .anonymous(isLocal: true) }
            let address = inbound.metadata(Self.metadataFrame, "Peer-Address") ?? ""
            return .anonymous(isLocal: EndpointScope.isLoopbackAddress(address))
        }
        guard let userID = inbound.metadata(Self.metadataFrame, "User-Id"), let key = (zap?.keys ?? curve.authorizedKeys).key(publicKey: userID) else {
            return .unknownKey
        }
        return .key(key)
    }
}
