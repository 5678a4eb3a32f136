import HelplineWire

/// What the console state asks its driver to do, after a key or an event.
enum ConsoleEffect: Equatable {
    case accept(String)
    case answer(String, Decision, option: String?, body: [UInt8])
    case transfer(String, note: String?)
    case decline(String, reason: String?)
    /// Tell the broker the human's presence now.
    case presence(Presence)
    /// A new ticket: ring the terminal's bell.
    case bell
    case quit
}
