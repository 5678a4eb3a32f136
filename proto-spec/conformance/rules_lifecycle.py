"""1-HLP.md "Ticket Lifecycle": every row of the transition table."""

import time

from hlp import ANSWERED, ASSIGNED, CANCELLED, EXPIRED, QUEUED, REVOKE, TRANSFERRED, check, unique
from kit import rule

S = "Ticket Lifecycle"


@rule(S, "ASK hila, a capable HILA busy: [WAITING hila], QUEUED waiting with its position")
def ask_waits(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill])
    client = k.client()
    first, second, third = unique("t"), unique("t"), unique("t")
    client.ask(first, skills=[skill])
    client.expect(QUEUED, id=first, role="hila", stage="offered", position=0)
    worker.expect_assign(first)
    client.ask(second, skills=[skill])
    client.expect(QUEUED, id=second, role="hila", stage="waiting", position=0)
    client.ask(third, skills=[skill])
    client.expect(QUEUED, id=third, role="hila", stage="waiting", position=1)


@rule(S, "ASK hila, no capable HILA: QUEUED (live), then TRANSFERRED no-hila")
def ask_no_hila(k):
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[k.skill()])
    client.expect(QUEUED, id=ticket, role="live", stage="waiting")
    client.expect(TRANSFERRED, id=ticket, reason="no-hila")


@rule(S, "ASK hila, max_wait 0, a capable HILA: QUEUED (live), TRANSFERRED max-wait; no HILA sees it")
def ask_max_wait_zero(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill], max_wait=0)
    client.expect(QUEUED, id=ticket, role="live")
    client.expect(TRANSFERRED, id=ticket, reason="max-wait")
    worker.expect_nothing(0.3)


@rule(S, "ASK live: QUEUED (live), no TRANSFERRED")
def ask_live(k):
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[k.skill()], role="live")
    client.expect(QUEUED, id=ticket, role="live", stage="waiting")
    client.expect_nothing(0.2)


@rule(S, "offer, ACCEPT, ANSWER: ASSIGN, ASSIGNED (hila), ANSWERED")
def accept_then_answer(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    client.expect(QUEUED, id=ticket, stage="offered")
    worker.expect_assign(ticket)
    worker.accept(ticket)
    client.expect(ASSIGNED, id=ticket, role="hila")
    worker.answer(ticket, "reject")
    client.expect(ANSWERED, id=ticket, decision="reject")


@rule(S, "[OFFERED hila] ANSWER (implicit accept): ANSWERED only, never ASSIGNED")
def implicit_accept(k):
    client, worker, ticket, skill = k.offered()
    worker.answer(ticket)
    client.expect(ANSWERED, id=ticket, decision="approve")
    client.expect_nothing(0.1)


@rule(S, "[OFFERED live] ACCEPT: ASSIGNED (live), the outcome")
def live_accept(k):
    skill = k.skill()
    live = k.worker("lou", role="live", skills=[skill], capacity=2)
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill], role="live")
    client.expect(QUEUED, id=ticket, role="live")
    live.expect_assign(ticket, role="live")
    live.accept(ticket)
    client.expect(ASSIGNED, id=ticket, role="live")
    # The ticket left the live agent's load at once.
    report = client.status()
    entry = [w for w in report["workers"] if w["name"] == live.name]
    check(entry and entry[0]["load"] == 0, f"load after take-over: {entry}")


@rule(S, "OFFERED, accept timeout: REVOKE accept-timeout, offered again (attempt 2)")
def accept_timeout(k):
    skill = k.skill()
    idle = k.worker("idle", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    idle.expect_assign(ticket)
    other = k.worker("other", skills=[skill])
    timeout = idle.welcome["accept_timeout"] / 1000
    idle.expect(REVOKE, timeout + 2, id=ticket, reason="accept-timeout")
    other.expect_assign(ticket, attempt=2)


@rule(S, "OFFERED or ACCEPTED, DECLINE: back to WAITING, offered to another worker")
def decline(k):
    skill = k.skill()
    first = k.worker("first", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    first.expect_assign(ticket)
    second = k.worker("second", skills=[skill])
    first.accept(ticket)
    first.decline(ticket)
    second.expect_assign(ticket, attempt=2)


@rule(S, "[ACCEPTED hila], lease runs out: REVOKE lease-expired, back to WAITING (front)")
def lease(k):
    client, worker, ticket, skill = k.offered()
    worker.accept(ticket, lease=300)
    started = time.monotonic()
    worker.expect(REVOKE, 3, id=ticket, reason="lease-expired")
    check(time.monotonic() - started >= 0.25, "revoked before the lease ran out")
    # Back at the front of its queue: the freed worker is offered it again.
    worker.expect_assign(ticket, attempt=2)


@rule(S, "[ACCEPTED hila], EXTEND renews the lease from its receipt")
def extend(k):
    client, worker, ticket, skill = k.offered()
    worker.accept(ticket, lease=600)
    time.sleep(0.2)
    worker.extend(ticket, 800)   # runs out about 1.0 s after ACCEPT, not 0.6 s
    worker.expect_nothing(0.55)  # the first lease would have run out by now
    worker.expect(REVOKE, 2, id=ticket, reason="lease-expired")


@rule(S, "OFFERED or ACCEPTED, holder lost (DISCONNECT): back to WAITING, re-dispatched at once")
def holder_lost(k):
    client, first, ticket, skill = k.offered(accept=True)
    second = k.worker("second", skills=[skill])
    first.disconnect()
    second.expect_assign(ticket, attempt=2)


@rule(S, "[WAITING hila], max_wait passes: TRANSFERRED max-wait, then QUEUED (live)")
def max_wait_waiting(k):
    skill = k.skill()
    busy = k.worker("busy", skills=[skill])
    client = k.client()
    hold, ticket = unique("t"), unique("t")
    client.ask(hold, skills=[skill])
    busy.expect_assign(hold)
    busy.accept(hold)
    client.expect(QUEUED, id=hold)
    client.expect(ASSIGNED, id=hold)
    client.ask(ticket, skills=[skill], max_wait=300)
    client.expect(QUEUED, id=ticket, role="hila", stage="waiting")
    client.expect(TRANSFERRED, 3, id=ticket, reason="max-wait")
    client.expect(QUEUED, id=ticket, role="live", stage="waiting")


@rule(S, "[OFFERED hila], max_wait passes: REVOKE max-wait to the HILA, TRANSFERRED max-wait")
def max_wait_offered(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill], max_wait=300)
    client.expect(QUEUED, id=ticket, stage="offered")
    worker.expect_assign(ticket)
    worker.expect(REVOKE, 3, id=ticket, reason="max-wait")
    client.expect(TRANSFERRED, 3, id=ticket, reason="max-wait")
    client.expect(QUEUED, id=ticket, role="live")


@rule(S, "[ACCEPTED hila] is never transferred by max-wait")
def max_wait_accepted(k):
    client, worker, ticket, skill = k.offered(accept=True, max_wait=400)
    client.expect_nothing(0.6)
    worker.expect_nothing(0.05)


@rule(S, "[ACCEPTED hila] TRANSFER: TRANSFERRED hila with the note, QUEUED (live), live ASSIGN with note")
def transfer(k):
    skill = k.skill()
    hila = k.worker("ana", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    hila.expect_assign(ticket)
    hila.accept(ticket)
    client.expect(QUEUED, id=ticket)
    client.expect(ASSIGNED, id=ticket)
    live = k.worker("lou", role="live", skills=[skill])
    hila.transfer(ticket, note="please call")
    client.expect(TRANSFERRED, id=ticket, reason="hila", note="please call")
    client.expect(QUEUED, id=ticket, role="live", stage="offered", position=0)
    live.expect_assign(ticket, role="live", transfer="hila", note="please call")


@rule(S, "[WAITING hila], no capable HILA remains: TRANSFERRED hila-lost")
def hila_lost(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill])
    client = k.client()
    held, waiting = unique("t"), unique("t")
    client.ask(held, skills=[skill])
    worker.expect_assign(held)
    client.ask(waiting, skills=[skill])
    client.expect(QUEUED, id=held)
    client.expect(QUEUED, id=waiting, stage="waiting")
    worker.disconnect()
    reasons = {}
    for _ in range(4):
        message = client.receive(2)
        if message is None:
            break
        if message.command == TRANSFERRED:
            reasons[message["id"]] = message["reason"]
    check(reasons == {held: "hila-lost", waiting: "hila-lost"}, f"transfers: {reasons}")


@rule(S, "any open state, CANCEL: REVOKE cancelled to the holder, CANCELLED")
def cancel_held(k):
    client, worker, ticket, skill = k.offered(accept=True)
    client.cancel(ticket)
    worker.expect(REVOKE, id=ticket, reason="cancelled")
    client.expect(CANCELLED, id=ticket)


@rule(S, "any open state, deadline passes: REVOKE expired to the holder, EXPIRED")
def deadline_held(k):
    client, worker, ticket, skill = k.offered(accept=True, deadline=300)
    worker.expect(REVOKE, 3, id=ticket, reason="expired")
    client.expect(EXPIRED, 3, id=ticket)


@rule(S, "[OFFERED hila] TRANSFER (without ACCEPT): TRANSFERRED hila, then QUEUED (live)")
def transfer_offered(k):
    client, worker, ticket, _ = k.offered()
    worker.transfer(ticket)
    message = client.expect(TRANSFERRED, id=ticket, reason="hila")
    check("note" not in message.header, f"a note appeared: {message.header}")
    client.expect(QUEUED, id=ticket, role="live")


@rule(S, "[OFFERED live], accept timeout or holder lost: back to [WAITING live], offered again")
def live_offer_returns(k):
    skill = k.skill()
    first = k.worker("lou", role="live", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill], role="live")
    first.expect_assign(ticket, attempt=1)
    second = k.worker("max", role="live", skills=[skill])
    first.expect(REVOKE, first.welcome["accept_timeout"] / 1000 + 2, id=ticket, reason="accept-timeout")
    second.expect_assign(ticket, attempt=2, transfer="requested")
    third = k.worker("ned", role="live", skills=[skill])
    second.disconnect()
    third.expect_assign(ticket, attempt=3)
    third.accept(ticket)
    client.wait_for(ASSIGNED, id=ticket, role="live", worker=third.name)
