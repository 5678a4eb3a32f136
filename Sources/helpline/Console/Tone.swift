/// SGR codes the console draws with.
enum Tone {
    static let bold = "1"
    static let dim = "2"
    static let reverse = "7"
    static let red = "31"
    static let green = "32"
    static let yellow = "33"
    static let blue = "34"
    static let magenta = "35"
    static let cyan = "36"
    static let boldRed = "1;31"
    static let boldGreen = "1;32"
    static let boldYellow = "1;33"
    static let boldCyan = "1;36"
}
