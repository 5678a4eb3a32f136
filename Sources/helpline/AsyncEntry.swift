import ArgumentParser
import Dispatch

/// Runs every command but the broker the way ArgumentParser runs an async root command,
/// from the synchronous entry point: a task on the cooperative pool, the main thread
/// handed to the main dispatch queue (which some commands' callbacks use).
enum AsyncEntry {
    static func start() -> Never {
        Task {
            await Helpline.main()  // exits by itself on an error or an ExitCode
            Helpline.exit()  // success: the main queue below never returns by itself
        }
        dispatchMain()
    }
}
