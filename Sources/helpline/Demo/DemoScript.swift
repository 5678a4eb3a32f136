import HelplineWire

/// What happens in the demo, and when (demo seconds): who is at the desk, the tickets
/// three AI agents raise, and the two failures.
enum DemoScript {
    /// A HILA stops answering: its console stays connected, nobody is in front of it.
    static let bobWalksAway = 25.0
    /// A HILA's console process dies while holding tickets.
    static let carolCrashes = 35.0
    /// If anything is still open by then, the agents cancel it.
    static let hardStop = 85.0

    /// Broker and ticket timings, in demo milliseconds: short, so a minute shows every
    /// path (an accept timeout, a max-wait).
    static let acceptTimeout = 6_000.0
    static let maxWait = 15_000.0
    static let deadline = 60_000.0
    /// HILAs accept with a lease, so work abandoned after accepting comes back too.
    static let lease = 12_000.0
    /// Seconds carol takes per ticket: slow enough that her crash catches two in hand.
    static let carolThinks = 8.0

    static let tickets: [DemoTicket] = [
        DemoTicket(
            at: 2, agent: "shop-bot", id: "refund-1182", skills: ["refunds"], priority: 5, options: ["approve", "reject"],
            body: AskBody(
                prompt: "Refund $240 for order 1182? It is over the $100 auto-approval limit.",
                context: "Order 1182 arrived 9 days late; customer since 2019.",
                transcript: [
                    .init(role: "customer", text: "My order came 9 days late and the lamp is broken."),
                    .init(role: "agent", text: "I am sorry. I can refund the full $240 once a colleague approves it."),
                ],
                customer: ["name": "Ada Lovelace", "tier": "gold"], proposed: ["amount": 240, "currency": "USD"]),
            decision: .option("approve")),
        DemoTicket(
            at: 4, agent: "bank-bot", id: "address-88301", skills: ["accounts"],
            body: AskBody(
                prompt: "What mailing address is on file for account 88-301? The CRM API does not return it.",
                customer: ["name": "Alan Turing", "account": "88-301"]),
            decision: .answer("12 Wilmslow Road, Manchester M14 (checked in the core banking screen)")),
        DemoTicket(
            at: 6, agent: "telco-bot", id: "draft-5521", skills: ["billing"],
            body: AskBody(
                prompt: "Please review my reply before I send it (my confidence: 0.54).",
                context: "Customer asks why the March bill is $35 higher.",
                proposed: "Your March bill includes a one-time activation fee of $35."),
            decision: .edit("Your March bill includes a one-time activation fee of $35, which we have now waived.")),
        DemoTicket(
            at: 8, agent: "shop-bot", id: "return-7730", skills: ["policy"], options: ["allow", "deny", "store-credit"],
            body: AskBody(
                prompt: "Allow a return of opened software after 45 days? Policy says 30.",
                customer: ["name": "Grace Hopper", "tier": "platinum"])),
        DemoTicket(
            at: 10, agent: "telco-bot", id: "person-301", skills: ["billing"], role: .live,
            body: AskBody(
                prompt: "The customer asked to speak to a person.",
                transcript: [.init(role: "customer", text: "I want to talk to a human, now.")])),
        DemoTicket(
            at: 12, agent: "shop-bot", id: "refund-1190", skills: ["refunds"], priority: 3, options: ["approve", "reject"],
            body: AskBody(prompt: "Refund $130 for a blender that arrived damaged?", proposed: ["amount": 130]),
            decision: .option("approve")),
        DemoTicket(
            at: 14, agent: "bank-bot", id: "wire-W5521", skills: ["accounts"],
            body: AskBody(prompt: "Has wire W-5521 cleared? The payments API has shown it as pending for 3 days."),
            decision: .answer("Cleared this morning; the API lags a day behind.")),
        DemoTicket(
            at: 16, agent: "telco-bot", id: "draft-5530", skills: ["billing"],
            body: AskBody(
                prompt: "Please review my reply before I send it (my confidence: 0.61).",
                proposed: "You can pay your bill in three instalments at no extra cost."),
            decision: .approve),
        DemoTicket(
            at: 18, agent: "shop-bot", id: "legal-4410", skills: ["legal"],
            body: AskBody(prompt: "The customer threatens legal action over a data-deletion request.")),
        DemoTicket(
            at: 20, agent: "bank-bot", id: "fee-2231", skills: ["billing"], priority: 5, options: ["waive", "keep"],
            body: AskBody(
                prompt: "Waive a $25 overdraft fee for a customer with 12 years of history?",
                customer: ["name": "Katherine Johnson", "since": 2013]),
            decision: .option("waive")),
        DemoTicket(
            at: 22, agent: "shop-bot", id: "refund-1201", skills: ["refunds"], options: ["approve", "reject"],
            body: AskBody(prompt: "The customer disputes a refund denial and asks for a manager."),
            decision: .transfer("Upset customer, wants a manager: please call them today.")),
        DemoTicket(
            at: 26, agent: "bank-bot", id: "address-90112", skills: ["accounts"],
            body: AskBody(prompt: "Which branch opened account 90-112? The CRM API does not return it."),
            decision: .answer("Leeds, Park Row branch.")),
        DemoTicket(
            at: 28, agent: "telco-bot", id: "draft-5544", skills: ["billing"],
            body: AskBody(
                prompt: "Please review my reply before I send it (my confidence: 0.48).",
                proposed: "Roaming in Canada costs $10 a day."),
            decision: .edit("Roaming in Canada costs $10 a day, charged only on days you use data.")),
        DemoTicket(
            at: 30, agent: "shop-bot", id: "return-7741", skills: ["policy"], options: ["allow", "deny", "store-credit"],
            body: AskBody(prompt: "Allow a return of a worn jacket after 60 days? Policy says 30.")),
        DemoTicket(
            at: 32, agent: "shop-bot", id: "refund-1215", skills: ["refunds"], options: ["approve", "reject"],
            body: AskBody(prompt: "Refund $60 shipping for a late delivery?", proposed: ["amount": 60]),
            decision: .option("approve")),
        DemoTicket(
            at: 34, agent: "telco-bot", id: "fee-2240", skills: ["billing"], priority: 5, options: ["waive", "keep"],
            body: AskBody(prompt: "Waive a $15 late-payment fee? First late payment in 6 years."),
            decision: .option("waive")),
        DemoTicket(
            at: 38, agent: "bank-bot", id: "chargeback-7781", skills: ["refunds", "billing"], priority: 9,
            options: ["accept", "contest"],
            body: AskBody(prompt: "A $980 chargeback: the merchant shows proof of delivery. Contest it?"),
            decision: .option("contest")),
        DemoTicket(
            at: 42, agent: "telco-bot", id: "draft-5561", skills: ["billing"],
            body: AskBody(
                prompt: "Please review my reply before I send it (my confidence: 0.57).",
                proposed: "Your new plan starts on the 1st."),
            decision: .approve),
        DemoTicket(
            at: 46, agent: "shop-bot", id: "refund-1230", skills: ["refunds"], options: ["approve", "reject"],
            body: AskBody(prompt: "Refund $45 for a missing item in order 1230?", proposed: ["amount": 45]),
            decision: .option("reject")),
        DemoTicket(
            at: 49, agent: "telco-bot", id: "draft-5580", skills: ["billing"],
            body: AskBody(
                prompt: "Please review my reply before I send it (my confidence: 0.52).",
                proposed: "Your contract ends on 30 June; there is no fee to leave."),
            decision: .edit("Your contract ends on 30 June; after that there is no fee to leave.")),
        DemoTicket(
            at: 52, agent: "bank-bot", id: "kyc-3310", skills: ["accounts"], priority: 5,
            body: AskBody(prompt: "The customer's ID expired yesterday. May they still withdraw $2,000 today?")),
    ]

    /// Carol's decisions, as a shell script for `helpline work --exec`: she reads the
    /// ticket, thinks for `seconds`, and picks by what the ticket offers.
    static func carolScript(thinkSeconds seconds: Double) -> String {
        """
        ticket=$(cat); sleep \(String(format: "%.2f", seconds))
        case "$ticket" in
          *'"store-credit"'*) echo '{"decision":"option","option":"store-credit"}' ;;
          *'"waive"'*) echo '{"decision":"option","option":"waive"}' ;;
          *) echo '{"decision":"approve"}' ;;
        esac
        """
    }
}
