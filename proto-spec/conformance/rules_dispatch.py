"""1-HLP.md "Dispatch": eligibility, order, and the worker commands' stage rules."""

import time

from hlp import ANSWERED, ASSIGN, QUEUED, check, unique
from kit import rule

S = "Dispatch"


def assigned_to(workers, timeout=3):
    """Which of `workers` got the next ASSIGN, and its ticket id."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for worker in workers:
            message = worker.receive(0.02)
            if message is not None and message.command == ASSIGN:
                return worker, message["id"]
    return None, None


@rule(S, "a higher priority is served first; same priority in arrival order")
def priority_first(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill], presence="away")
    client = k.client()
    low, high, high2 = unique("low"), unique("high"), unique("high2")
    client.ask(low, skills=[skill], priority=0)
    client.ask(high, skills=[skill], priority=9)
    client.ask(high2, skills=[skill], priority=9)
    client.expect(QUEUED, id=low, position=0)
    client.expect(QUEUED, id=high, position=0)
    client.expect(QUEUED, id=high2, position=1)
    worker.heartbeat("active")
    order = []
    for _ in range(3):
        message = worker.expect(ASSIGN)
        order.append(message["id"])
        worker.answer(message["id"])
    check(order == [high, high2, low], f"served in order {order}")


@rule(S, "least loaded first, load / capacity compared exactly; ties to the worker idle longest")
def least_loaded(k):
    skill = k.skill()
    a = k.worker("a", skills=[skill], capacity=2)
    b = k.worker("b", skills=[skill], capacity=4)
    client = k.client()
    got = []
    for _ in range(4):
        ticket = unique("t")
        client.ask(ticket, skills=[skill])
        client.expect(QUEUED, id=ticket)
        worker, _ = assigned_to([a, b])
        got.append("a" if worker is a else "b" if worker is b else None)
    # t1: tie 0/2 = 0/4, neither offered yet: registered earliest (a). t2: a 1/2 > b 0/4: b.
    # t3: a 1/2 > b 1/4: b. t4: a 1/2 = b 2/4: idle longest (a, last offered t1).
    check(got == ["a", "b", "b", "a"], f"offers went to {got}, expected a, b, b, a")


@rule(S, "among equally loaded workers, the one idle longest (its last offer oldest) first")
def idle_longest(k):
    skill = k.skill()
    a = k.worker("a", skills=[skill])
    b = k.worker("b", skills=[skill])
    client = k.client()
    tickets = [unique("t") for _ in range(4)]
    client.ask(tickets[0], skills=[skill])
    first, _ = assigned_to([a, b])
    client.ask(tickets[1], skills=[skill])
    second, _ = assigned_to([a, b])
    check(first is a and second is b, "first offers: a (registered earliest), then b")
    a.answer(tickets[0])
    b.answer(tickets[1])
    client.wait_for(ANSWERED, id=tickets[0])
    client.wait_for(ANSWERED, id=tickets[1])
    client.ask(tickets[2], skills=[skill])
    third, _ = assigned_to([a, b])
    check(third is a, "both free, a's last offer is older: a")
    a.answer(tickets[2])
    client.wait_for(ANSWERED, id=tickets[2])
    client.ask(tickets[3], skills=[skill])
    fourth, _ = assigned_to([a, b])
    check(fourth is b, "both free, b's last offer is now older: b")


@rule(S, "a freed worker takes the best waiting ticket across every queue it can serve")
def refill_across_queues(k):
    refunds, billing = k.skill(), k.skill()
    worker = k.worker("ana", skills=[refunds, billing], presence="away")
    client = k.client()
    old_low, new_high = unique("t"), unique("t")
    client.ask(old_low, skills=[refunds], priority=1)
    client.ask(new_high, skills=[billing], priority=5)
    client.expect(QUEUED, id=old_low)
    client.expect(QUEUED, id=new_high)
    worker.heartbeat("active")
    worker.expect(ASSIGN, id=new_high)


@rule(S, "a skill the worker lacks keeps a ticket from it")
def skills_required(k):
    refunds, billing = k.skill(), k.skill()
    worker = k.worker("ana", skills=[refunds])
    client = k.client()
    other = k.worker("bo", skills=[billing])
    ticket = unique("t")
    client.ask(ticket, skills=[billing])
    other.expect_assign(ticket)
    worker.expect_nothing(0.1)


@rule(S, "a declined ticket is never offered to that worker again")
def decline_never_again(k):
    skill = k.skill()
    ana = k.worker("ana", skills=[skill], capacity=2)
    bo = k.worker("bo", skills=[skill], presence="away")
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    ana.expect_assign(ticket)
    ana.decline(ticket)
    ana.expect_nothing(0.2)
    bo.heartbeat("active")
    bo.expect_assign(ticket, attempt=2)


@rule(S, "ACCEPT on a ticket already accepted is 403")
def accept_twice(k):
    client, worker, ticket, skill = k.offered()
    worker.accept(ticket)
    worker.accept(ticket)
    worker.expect_error(403, id=ticket, command=0x21)


@rule(S, "EXTEND on an offered ticket is 403; ANSWER or TRANSFER on a live ticket is 403")
def wrong_stage(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill])
    live = k.worker("lou", role="live", skills=[skill])
    client = k.client()
    ticket, live_ticket = unique("t"), unique("t")
    client.ask(ticket, skills=[skill])
    worker.expect_assign(ticket)
    worker.extend(ticket, 1000)
    worker.expect_error(403, id=ticket, command=0x25)
    client.ask(live_ticket, skills=[skill], role="live")
    live.expect_assign(live_ticket)
    live.answer(live_ticket)
    live.expect_error(403, id=live_ticket, command=0x22)
    live.transfer(live_ticket)
    live.expect_error(403, id=live_ticket, command=0x23)


@rule(S, "a command on a ticket the worker does not hold is 403; on an unknown id, 404")
def not_held(k):
    skill = k.skill()
    holder = k.worker("ana", skills=[skill])
    other = k.worker("bo", skills=[k.skill()])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    holder.expect_assign(ticket)
    other.answer(ticket)
    other.expect_error(403, id=ticket, command=0x22)
    missing = unique("never-asked")
    other.accept(missing)
    other.expect_error(404, id=missing, command=0x21)
    # The holder still has it.
    holder.answer(ticket)
    client.expect(QUEUED, id=ticket)
    client.expect(ANSWERED, id=ticket, worker=holder.name)


@rule(S, "ANSWER option not among the ticket's options is 422 and the ticket stays")
def answer_bad_option(k):
    client, worker, ticket, skill = k.offered(options=["yes", "no"])
    worker.answer(ticket, "option", option="maybe")
    worker.expect_error(422, id=ticket, command=0x22)
    worker.answer(ticket, "option", option="no")
    client.expect(ANSWERED, id=ticket, decision="option", option="no")


@rule(S, "live dispatch prefers a live agent with the skills, else any live agent")
def live_skills_preferred(k):
    skill = k.skill()
    plain = k.worker("plain", role="live")
    skilled = k.worker("skilled", role="live", skills=[skill])
    client = k.client()
    first, second = unique("t"), unique("t")
    client.ask(first, skills=[skill], role="live")
    skilled.expect_assign(first)
    client.ask(second, skills=[skill], role="live")
    plain.expect_assign(second)
