import HelplineWire

extension ErrorReply {
    /// Whether this ERROR ends the worker's registration for good: 401 to READY (the key
    /// does not grant it) or 401 with no command (the broker's keys changed and no longer
    /// grant it). A READY with the same key would be refused again, so the worker stops
    /// after the DISCONNECT that follows instead of reconnecting.
    public var endsRegistration: Bool {
        code == .unauthorized && (command == nil || command == Command.ready.rawValue)
    }
}
