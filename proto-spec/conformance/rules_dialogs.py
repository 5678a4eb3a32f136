"""1-HLP.md "Dialogs": each script, run once as written."""

from hlp import ANSWERED, ASSIGNED, DISCONNECT, HEARTBEAT, QUEUED, WELCOME, WORKER, check, unique
from kit import rule

BODY = b"\x82\xa6prompt\xb0Refund order 77?\xa8proposed\xa6refund"
ANSWER_BODY = b"\x81\xa4text\xa8approved"


@rule("Dialogs, HLP/Client", "HEARTBEAT is answered with HEARTBEAT on HLPC01")
def client_heartbeat(k):
    client = k.client()
    client.send(HEARTBEAT)
    reply = client.expect(HEARTBEAT)
    check(reply.signature == b"HLPC01" and reply.header == {}, f"reply {reply!r}")


@rule("Dialogs, HLP/Client", "STATUS is answered with REPORT (uptime, counts, queues, workers)")
def client_status(k):
    report = k.client().status()
    for key, kind in (("uptime", int), ("counts", dict), ("queues", list), ("workers", list)):
        check(isinstance(report.get(key), kind), f"REPORT {key} is {report.get(key)!r}")


@rule("Dialogs, HLP/Client", "ASK, QUEUED, ASSIGNED (hila), ANSWERED: bodies byte for byte")
def answered_by_hila(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, body=BODY, skills=[skill], options=["refund", "deny"])
    client.expect(QUEUED, id=ticket, role="hila", stage="offered", position=0)
    assign = worker.expect_assign(ticket, role="hila", skills=[skill], options=["refund", "deny"], attempt=1)
    check(assign.body == BODY, "ASSIGN does not carry the ASK body byte for byte")
    worker.accept(ticket)
    assigned = client.expect(ASSIGNED, id=ticket, role="hila")
    worker.answer(ticket, "option", option="refund", body=ANSWER_BODY)
    answered = client.expect(ANSWERED, id=ticket, decision="option", option="refund", worker=assigned["worker"])
    check(answered.body == ANSWER_BODY, "ANSWERED does not carry the ANSWER body byte for byte")
    check(isinstance(answered.get("elapsed"), int), "ANSWERED has no elapsed")


@rule("Dialogs, HLP/Client", "ASK role live: QUEUED (live), then ASSIGNED (live) ends the ticket")
def asked_live(k):
    skill = k.skill()
    live = k.worker("lou", role="live", skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill], role="live")
    client.expect(QUEUED, id=ticket, role="live", stage="offered")
    live.expect_assign(ticket, role="live", transfer="requested")
    live.accept(ticket)
    client.expect(ASSIGNED, id=ticket, role="live")
    client.expect_nothing(0.1)


@rule("Dialogs, HLP/Worker", "READY is answered with WELCOME: heartbeat 250-30,000, liveness >= 1")
def ready_welcome(k):
    worker = k.worker("w", heartbeat=100)
    welcome = worker.welcome
    check(welcome.signature == WORKER, "WELCOME not on HLPW01")
    check(250 <= welcome["heartbeat"] <= 30000, f"WELCOME heartbeat {welcome['heartbeat']}")
    check(welcome["liveness"] >= 1 and isinstance(welcome["accept_timeout"], int), f"WELCOME {welcome.header}")


@rule("Heartbeating", "the broker sends HEARTBEAT to a registered worker once per interval")
def broker_heartbeats(k):
    worker = k.worker("w", heartbeat=250)
    interval = worker.welcome["heartbeat"] / 1000
    for _ in range(2):
        message = worker.receive(interval * 2.5, skip_heartbeats=False)
        check(message is not None and message.command == HEARTBEAT, f"no HEARTBEAT within 2.5 intervals: {message!r}")
        worker.heartbeat()


@rule("Dialogs, HLP/Worker", "a worker command before READY draws DISCONNECT")
def unregistered_worker(k):
    worker = k.raw(WORKER, "stranger")
    worker.heartbeat()
    worker.expect(DISCONNECT)
    worker.accept(unique("t"))
    worker.expect(DISCONNECT)


@rule("Opening and closing", "a DISCONNECT from an unregistered connection is ignored")
def stranger_disconnect(k):
    worker = k.raw(WORKER, "stranger")
    worker.send(DISCONNECT)
    worker.expect_nothing(0.2)


@rule("Dialogs, HLP/Worker", "reconnect: READY holding is answered with attached and dropped")
def reconnect_holding(k):
    skill = k.skill()
    name = unique("ana")
    first = k.worker("ana", name=name, skills=[skill])
    client = k.client()
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    first.expect_assign(ticket)
    first.accept(ticket)
    client.expect(QUEUED, id=ticket)
    client.expect(ASSIGNED, id=ticket, role="hila")
    stale = unique("t")
    second = k.raw(WORKER, "ana again")
    second.ready(name, skills=[skill], holding=[ticket, stale], expect_welcome=False)
    welcome = second.expect(WELCOME)
    check(welcome.get("attached", []) == [ticket], f"attached {welcome.get('attached')}")
    check(welcome.get("dropped", []) == [stale], f"dropped {welcome.get('dropped')}")
    # The ticket is still this worker's, accepted: it answers it.
    second.answer(ticket)
    client.expect(ANSWERED, id=ticket, worker=name)
    first.expect_nothing(0.1)


@rule("Dialogs, HLP/Client", "REPORT lists a registered worker with load, capacity and presence")
def report_lists_worker(k):
    name = unique("ana")
    k.worker("ana", name=name, skills=[k.skill()], capacity=3)
    report = k.client().status()
    entries = [w for w in report["workers"] if w.get("name") == name]
    check(len(entries) == 1, f"worker {name} listed {len(entries)} times")
    entry = entries[0]
    check(entry["role"] == "hila" and entry["load"] == 0 and entry["capacity"] == 3 and entry["presence"] == "active",
          f"entry {entry}")
    check(isinstance(report["counts"].get("workers", 0), int), "counts.workers")
