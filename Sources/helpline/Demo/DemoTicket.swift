import HelplineWire

/// One ticket in the demo's script: when an agent asks it, what it asks, and what the
/// simulated human who gets it will decide.
struct DemoTicket: Sendable {
    /// What a simulated HILA does with it (carol, a real `helpline work`, decides by
    /// her own script).
    enum Decision: Sendable {
        case option(String)
        case approve
        case answer(String)
        case edit(BodyValue)
        case transfer(String)
    }

    /// Demo seconds from the start.
    var at: Double
    var agent: String
    var id: String
    var skills: [String]
    var priority = 0
    var options: [String] = []
    var role = Role.hila
    var body: AskBody
    var decision = Decision.approve
}
