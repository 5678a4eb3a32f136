"""1-HLP.md "Clients" and "Deadlines": CANCEL, idempotent ASK, RESUME, retention."""

import time

from hlp import ANSWERED, ASSIGNED, CANCELLED, EXPIRED, QUEUED, REVOKE, TRANSFERRED, check, unique
from kit import rule

S = "Clients"


@rule(S, "CANCEL from the reply connection: REVOKE cancelled to the holder, CANCELLED")
def cancel_own(k):
    client, worker, ticket, skill = k.offered()
    client.cancel(ticket)
    worker.expect(REVOKE, id=ticket, reason="cancelled")
    client.expect(CANCELLED, id=ticket)
    client.expect_nothing(0.1)


@rule(S, "CANCEL from another connection: CANCELLED to it and to the reply connection")
def cancel_other(k):
    asker, other = k.client("asker"), k.client("other")
    ticket = unique("t")
    asker.ask(ticket, skills=[k.skill()], role="live")
    asker.expect(QUEUED, id=ticket)
    other.cancel(ticket)
    other.expect(CANCELLED, id=ticket)
    asker.expect(CANCELLED, id=ticket)


@rule(S, "CANCEL of a finished ticket repeats its stored outcome; of an unknown id, 404 with the id")
def cancel_finished_unknown(k):
    client, worker, ticket, skill = k.offered()
    worker.answer(ticket, "reject")
    client.wait_for(ANSWERED, id=ticket)
    client.cancel(ticket)
    client.expect(ANSWERED, id=ticket, decision="reject")
    missing = unique("never-asked")
    client.cancel(missing)
    client.expect_error(404, id=missing, command=0x02)


@rule(S, "idempotent ASK: the same id and content gives the state report, never a second ticket")
def ask_again_same(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill], capacity=2)
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill], priority=3)
    client.expect(QUEUED, id=ticket, stage="offered")
    worker.expect_assign(ticket)
    client.ask(ticket, skills=[skill], priority=3)
    client.expect(QUEUED, id=ticket, stage="offered", position=0)
    worker.expect_nothing(0.2)


@rule(S, "idempotent ASK: the same id with other content is 409, and nothing changes")
def ask_again_conflict(k):
    client = k.client()
    ticket = unique("t")
    skill = k.skill()
    client.ask(ticket, skills=[skill], role="live")
    client.expect(QUEUED, id=ticket)
    client.ask(ticket, skills=[skill], role="live", priority=4)
    client.expect_error(409, id=ticket, command=0x01)
    client.ask(ticket, skills=[skill], role="live", body=b"\x81\xa6prompt\xa5other")
    client.expect_error(409, id=ticket, command=0x01)


@rule(S, "idempotent ASK of a finished ticket repeats its outcome; the asking connection becomes the reply connection")
def ask_again_finished(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill])
    first, second = k.client("first"), k.client("second")
    ticket = unique("t")
    first.ask(ticket, skills=[skill])
    first.expect(QUEUED, id=ticket)
    worker.expect_assign(ticket)
    second.ask(ticket, skills=[skill])
    second.expect(QUEUED, id=ticket)
    worker.accept(ticket)
    second.expect(ASSIGNED, id=ticket, role="hila")
    worker.answer(ticket, body=b"\x81\xa4text\xa2ok")
    answered = second.expect(ANSWERED, id=ticket)
    first.expect_nothing(0.1)
    third = k.client("third")
    third.ask(ticket, skills=[skill])
    again = third.expect(ANSWERED, id=ticket)
    check(again.body == answered.body == b"\x81\xa4text\xa2ok", "stored outcome lost its body")


@rule("Deadlines", "a waiting ticket expires deadline ms after its ASK: EXPIRED")
def deadline_waiting(k):
    skill = k.skill()
    k.worker("ana", skills=[skill], presence="away")
    client = k.client()
    ticket = unique("t")
    started = time.monotonic()
    client.ask(ticket, skills=[skill], deadline=300)
    client.expect(QUEUED, id=ticket)
    client.expect(EXPIRED, 3, id=ticket)
    check(time.monotonic() - started >= 0.25, "expired before its deadline")


@rule("Deadlines", "a repeated ASK does not restart max_wait or deadline")
def deadline_not_restarted(k):
    skill = k.skill()
    k.worker("ana", skills=[skill], presence="away")
    client = k.client()
    ticket = unique("t")
    started = time.monotonic()
    client.ask(ticket, skills=[skill], deadline=1000)
    client.expect(QUEUED, id=ticket)
    time.sleep(0.6)
    client.ask(ticket, skills=[skill], deadline=1000)
    client.expect(QUEUED, id=ticket)
    client.expect(EXPIRED, 3, id=ticket)
    # Expired about 1.0 s after the first ASK; restarted, it would be 1.6 s.
    check(time.monotonic() - started < 1.35, "the repeated ASK restarted the deadline")


@rule(S, "RESUME after a reconnect: state, stored outcome or 404 per id, in order; later events follow")
def resume(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill], capacity=2)
    old = k.client("before")
    open_, finished, transferred, unknown = unique("open"), unique("done"), unique("moved"), unique("unknown")
    old.ask(open_, skills=[skill])
    worker.expect_assign(open_)
    old.ask(finished, skills=[skill])
    worker.expect_assign(finished)
    worker.answer(finished, "approve")
    old.ask(transferred, skills=[k.skill()])
    old.wait_for(ANSWERED, id=finished)
    old.wait_for(TRANSFERRED, id=transferred)
    old.close()
    new = k.client("after")
    new.resume(open_, finished, transferred, unknown)
    new.expect(QUEUED, id=open_, role="hila", stage="offered", position=0)
    new.expect(ANSWERED, id=finished, decision="approve")
    new.expect(TRANSFERRED, id=transferred, reason="no-hila")
    new.expect(QUEUED, id=transferred, role="live")
    new.expect_error(404, id=unknown, command=0x03)
    worker.accept(open_)
    new.expect(ASSIGNED, id=open_, role="hila")
    new.asked = [open_, transferred]


@rule(S, "retention: a finished outcome is kept for the retention period, then the id is unknown")
def retention(k):
    client, worker, ticket, skill = k.offered()
    worker.answer(ticket)
    client.wait_for(ANSWERED, id=ticket)
    client.resume(ticket)
    client.expect(ANSWERED, id=ticket)
    time.sleep(k.settings.retention_ms / 1000 + 0.5)
    client.resume(ticket)
    client.expect_error(404, id=ticket)
    # The id may be used again: a new ticket.
    client.ask(ticket, skills=[skill])
    client.expect(QUEUED, id=ticket, stage="offered")
    worker.expect_assign(ticket, attempt=1)
