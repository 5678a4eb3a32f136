import ArgumentParser
import HelplineWire

// The protocol's vocabularies as command-line values, so `--help` lists them and a typo
// is refused before anything is sent.
extension Role: ExpressibleByArgument {}
extension Presence: ExpressibleByArgument {}
