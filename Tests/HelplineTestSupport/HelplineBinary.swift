import Foundation

/// The `helpline` binary the tests run: `HELPLINE_BIN`, else the one built beside the
/// test bundle (the bundle sits in the build folder next to the products).
public enum HelplineBinary {
    /// Nil when there is none (the tests that need it are then disabled).
    public static let url: URL? = {
        if let path = ProcessInfo.processInfo.environment["HELPLINE_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("helpline")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()
}
