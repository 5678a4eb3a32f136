/// A key the console reacts to, decoded from the terminal's bytes.
enum Key: Equatable, Sendable {
    /// A printable character (any script; UTF-8 decoded).
    case character(Character)
    case enter
    case escape
    case backspace
    case tab
    case up
    case down
    case left
    case right
    case home
    case end
    case pageUp
    case pageDown
    case delete
    /// Ctrl and a letter: `.control("c")` is Ctrl-C (raw mode delivers it as a byte).
    case control(Character)
    /// An escape sequence the console does not use (function keys, ...).
    case unknown
}
