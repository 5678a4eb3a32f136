"""1-HLP.md "Absent humans" and "Heartbeating": dead consoles, silent ones, nobody at the
desk, and presence."""

import time

from hlp import ASSIGN, DISCONNECT, QUEUED, REVOKE, check, unique
from kit import rule

S = "Absent humans"


def presence_of(client, name):
    entries = [w for w in client.status()["workers"] if w["name"] == name]
    return entries[0]["presence"] if entries else None


def await_presence(client, name, presence, seconds=2.0):
    """Until REPORT shows `presence` for the worker: a HEARTBEAT and another peer's
    command travel on different connections, so their order at the broker is not fixed."""
    deadline = time.monotonic() + seconds
    while presence_of(client, name) != presence:
        check(time.monotonic() < deadline, f"REPORT never showed {name} {presence}")
        time.sleep(0.02)


@rule(S, "dropped connection: a console whose socket closes loses its tickets at once")
def socket_drop(k):
    client, dropped, ticket, skill = k.offered(accept=True)
    other = k.worker("other", skills=[skill])
    started = time.monotonic()
    dropped.close()
    # Well before liveness x heartbeat (the worker proposed 30 s): the transport saw it.
    other.expect_assign(ticket, timeout=5, attempt=2)
    check(time.monotonic() - started < 5, "re-offered only after heartbeats ran out")


@rule(S, "dead console: nothing for liveness x heartbeat, its tickets are re-offered; it is told DISCONNECT")
def silent_console(k):
    skill = k.skill()
    silent = k.worker("silent", skills=[skill], heartbeat=100)
    dead_after = silent.welcome["liveness"] * silent.welcome["heartbeat"] / 1000
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    silent.expect_assign(ticket)
    silent.accept(ticket)  # accepted, so only its death can take the ticket back
    started = time.monotonic()
    other = k.worker("other", skills=[skill])
    other.expect_assign(ticket, timeout=dead_after + 3, attempt=2)
    check(time.monotonic() - started >= dead_after * 0.8 - 0.2, "re-offered before liveness x heartbeat")
    silent.heartbeat()
    silent.wait_for(DISCONNECT)


@rule(S, "accept timeout: REVOKE accept-timeout, the worker is set away and offered nothing new")
def accept_timeout_away(k):
    skill = k.skill()
    idle = k.worker("idle", skills=[skill])
    client = k.client()
    first, second = unique("t"), unique("t")
    client.ask(first, skills=[skill])
    idle.expect_assign(first)
    idle.expect(REVOKE, idle.welcome["accept_timeout"] / 1000 + 2, id=first, reason="accept-timeout")
    check(presence_of(client, idle.name) == "away", "REPORT does not show the worker away")
    client.ask(second, skills=[skill])
    idle.expect_nothing(0.2)


@rule(S, "accept timeout: the first HEARTBEAT after the REVOKE does not end the away; the next active one does")
def accept_timeout_crossing_heartbeat(k):
    skill = k.skill()
    idle = k.worker("idle", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    idle.expect_assign(ticket)
    idle.expect(REVOKE, idle.welcome["accept_timeout"] / 1000 + 2, id=ticket, reason="accept-timeout")
    idle.heartbeat("active")  # as if sent before the console read the REVOKE
    idle.expect_nothing(0.2)
    check(presence_of(client, idle.name) == "away", "the first HEARTBEAT after the REVOKE ended the away")
    idle.heartbeat("active")
    idle.expect_assign(ticket, attempt=2)


@rule(S, "away keeps its tickets (they can still be answered) and gets nothing new; active takes waiting work")
def away(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill], capacity=2)
    client = k.client()
    held, waiting = unique("t"), unique("t")
    client.ask(held, skills=[skill])
    worker.expect_assign(held)
    worker.accept(held)
    worker.heartbeat("away")
    client.wait_for(QUEUED, id=held)
    await_presence(client, worker.name, "away")
    client.ask(waiting, skills=[skill])
    client.wait_for(QUEUED, id=waiting, stage="waiting")
    worker.expect_nothing(0.2)
    worker.answer(held)
    worker.expect_nothing(0.2)
    worker.heartbeat("active")
    worker.expect(ASSIGN, id=waiting)


@rule("Heartbeating", "any command from a registered worker counts as a heartbeat")
def any_command_counts(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill], heartbeat=100, capacity=100)
    interval = worker.welcome["heartbeat"] / 1000
    dead_after = worker.welcome["liveness"] * interval
    client = k.client()
    # Send EXTEND-free, presence-free traffic: DECLINE of a ticket it holds, repeatedly.
    deadline = time.monotonic() + dead_after * 2
    while time.monotonic() < deadline:
        ticket = unique("t")
        client.ask(ticket, skills=[skill])
        worker.expect_assign(ticket)
        worker.answer(ticket)
        time.sleep(interval / 2)
    worker.answer(unique("gone"))  # 404, not DISCONNECT: still registered
    message = worker.receive(2)
    check(message is not None and message.command != DISCONNECT, f"worker was declared dead: {message!r}")
