"""1-HLP.md "Reroute to live agents": each reason, and the live queue's own rules."""

from hlp import ASSIGNED, EXPIRED, QUEUED, TRANSFERRED, unique
from kit import rule

S = "Reroute to live agents"


@rule(S, "no-hila: a capable HILA that is away and full still counts (no reroute)")
def capable_counts_any_presence(k):
    skill = k.skill()
    k.worker("ana", skills=[skill], presence="away")
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    client.expect(QUEUED, id=ticket, role="hila", stage="waiting")
    client.expect_nothing(0.2)


@rule(S, "no-hila: the live agent's ASSIGN carries transfer no-hila")
def no_hila_assign(k):
    skill = k.skill()
    live = k.worker("lou", role="live", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    client.expect(QUEUED, id=ticket, role="live", stage="offered")
    client.expect(TRANSFERRED, id=ticket, reason="no-hila")
    live.expect_assign(ticket, role="live", transfer="no-hila")


@rule(S, "max-wait: the live ASSIGN carries transfer max-wait")
def max_wait_assign(k):
    skill = k.skill()
    k.worker("ana", skills=[skill], presence="away")
    live = k.worker("lou", role="live", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill], max_wait=250)
    client.expect(QUEUED, id=ticket, role="hila")
    client.expect(TRANSFERRED, 3, id=ticket, reason="max-wait")
    client.expect(QUEUED, id=ticket, role="live", stage="offered")
    live.expect_assign(ticket, role="live", transfer="max-wait")


@rule(S, "max-wait: a ticket back in its HILA queue after max_wait transfers unless a HILA can take it")
def max_wait_after_return(k):
    skill = k.skill()
    ana = k.worker("ana", skills=[skill])
    k.worker("bo", skills=[skill], presence="away")
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill], max_wait=400)
    ana.expect_assign(ticket)
    ana.accept(ticket)
    client.expect(QUEUED, id=ticket)
    client.expect(ASSIGNED, id=ticket)
    client.expect_nothing(0.5)  # accepted: max_wait does not apply
    ana.decline(ticket)         # back, max_wait long past, no eligible HILA (bo is away)
    client.expect(TRANSFERRED, id=ticket, reason="max-wait")


@rule(S, "hila-lost: the last capable HILA declines a waiting ticket")
def hila_lost_decline(k):
    skill = k.skill()
    ana = k.worker("ana", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    ana.expect_assign(ticket)
    ana.decline(ticket)
    client.expect(QUEUED, id=ticket)
    client.expect(TRANSFERRED, id=ticket, reason="hila-lost")
    client.expect(QUEUED, id=ticket, role="live")


@rule(S, "a live ticket is never transferred again; unserved, it expires (EXPIRED)")
def live_expires(k):
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[k.skill()], deadline=300)
    client.expect(QUEUED, id=ticket, role="live")
    client.expect(TRANSFERRED, id=ticket, reason="no-hila")
    client.expect(EXPIRED, 3, id=ticket)


@rule(S, "a live agent's DECLINE returns the ticket to the live queue, never to that agent")
def live_decline(k):
    skill = k.skill()
    lou = k.worker("lou", role="live", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill], role="live")
    lou.expect_assign(ticket)
    lou.decline(ticket)
    lou.expect_nothing(0.2)
    max_ = k.worker("max", role="live", skills=[skill])
    max_.expect_assign(ticket, attempt=2, transfer="requested")
