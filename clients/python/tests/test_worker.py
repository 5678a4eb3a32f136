"""Worker against a fake broker: registration, the handler API, heartbeats independent of
handlers, revokes, presence, reconnects with READY holding, hostile input."""

from __future__ import annotations

import os
import threading
import time

import msgpack
import pytest

from helpline import Answer, Decline, Transfer, Worker, wire

from .conftest import WAIT, assign, wait_until, welcome


def start(broker, handler=None, **options) -> tuple:
    values = dict(name="ana", skills=["refunds"], capacity=2, heartbeat=0.1)
    values.update(options)
    worker = Worker(broker.endpoint, handler=handler, **values).start()
    identity, ready = broker.expect(wire.Ready)
    welcome(broker, identity)
    assert worker.registered.wait(WAIT)
    return worker, identity, ready.message


@pytest.fixture
def stoppers():
    workers = []
    yield workers
    for worker in workers:
        worker.stop()


def test_ready_carriesTheRegistration(broker, stoppers):
    worker, _, ready = start(broker, name="ana", skills=["refunds", "es"], capacity=3, role="hila")
    stoppers.append(worker)
    assert ready == wire.Ready(name="ana", role="hila", skills=("refunds", "es"), capacity=3,
                               heartbeat=100, holding=(), presence="active")


def test_assign_isAccepted_handled_andAnswered(broker, stoppers):
    seen = []

    def handler(ticket):
        seen.append((ticket.prompt, ticket.proposed, ticket.options, ticket.customer))
        return Answer.edit({"amount": 120}, text="half")

    worker, identity, _ = start(broker, handler)
    stoppers.append(worker)
    header, body = assign("t-1", wire.pack_ask_body("Refund?", customer={"name": "Ada"}, proposed={"amount": 240}),
                          options=("full", "half"))
    broker.send(identity, header, body)
    _, accept = broker.expect(wire.Accept)
    assert accept.message == wire.Accept(id="t-1", lease=0)
    _, answer = broker.expect(wire.AnswerMessage)
    assert answer.message == wire.AnswerMessage(id="t-1", decision="edit")
    assert msgpack.unpackb(answer.body) == {"text": "half", "edited": {"amount": 120}}
    assert seen == [("Refund?", {"amount": 240}, ("full", "half"), {"name": "Ada"})]
    assert worker.held == ()


@pytest.mark.parametrize("result,expected", [
    (Transfer("angry customer"), wire.TransferMessage(id="t-2", note="angry customer")),
    (Decline("not mine"), wire.DeclineMessage(id="t-2", reason="not mine")),
    (Answer.choose("half"), wire.AnswerMessage(id="t-2", decision="option", option="half")),
])
def test_handlerResult_becomesTheMatchingCommand(broker, stoppers, result, expected):
    worker, identity, _ = start(broker, lambda ticket: result)
    stoppers.append(worker)
    broker.send(identity, *assign("t-2", options=("full", "half")))
    _, envelope = broker.expect(type(expected), skip=(wire.WorkerHeartbeat, wire.Accept))
    assert envelope.message == expected


def test_handlerRaising_declinesWithTheReason(broker, stoppers):
    def handler(ticket):
        raise RuntimeError("console crashed")

    worker, identity, _ = start(broker, handler)
    stoppers.append(worker)
    broker.send(identity, *assign("t-3"))
    _, envelope = broker.expect(wire.DeclineMessage, skip=(wire.WorkerHeartbeat, wire.Accept))
    assert "console crashed" in envelope.message.reason


def test_heartbeatsContinue_whileASlowHandlerRuns(broker, stoppers):
    release = threading.Event()

    def slow(ticket):
        release.wait(WAIT)
        return Answer.approve()

    worker, identity, _ = start(broker, slow)
    stoppers.append(worker)
    broker.send(identity, *assign("t-4"))
    broker.expect(wire.Accept)
    received = broker.quiet(1.5)  # WELCOME heartbeat 250 ms: about six while the handler sleeps
    beats = [e for _, e in received if isinstance(e.message, wire.WorkerHeartbeat)]
    assert len(beats) >= 4
    release.set()
    broker.expect(wire.AnswerMessage)


def test_revoke_dropsTheTicket_andItsLateAnswerIsNeverSent(broker, stoppers):
    release = threading.Event()
    tickets = []

    def handler(ticket):
        tickets.append(ticket)
        release.wait(WAIT)
        return Answer.approve()

    worker, identity, _ = start(broker, handler)
    stoppers.append(worker)
    broker.send(identity, *assign("t-5"))
    broker.expect(wire.Accept)
    broker.send(identity, wire.Revoke(id="t-5", reason="cancelled"))
    assert wait_until(lambda: tickets and tickets[0].revoked.is_set())
    assert tickets[0].revoke_reason == "cancelled"
    release.set()
    later = [e.message for _, e in broker.quiet(0.5)]
    assert not any(isinstance(m, wire.AnswerMessage) for m in later)


def test_ticketRevokedWhileWaitingForABusyPool_neverReachesTheHandler(broker, stoppers):
    # capacity 1: the second offer (after a reconnect or a revoke the broker may offer more
    # than the pool runs at once) waits behind the first ticket's handler.
    release = threading.Event()
    seen = []

    def handler(ticket):
        seen.append(ticket.id)
        release.wait(WAIT)
        return Answer.approve()

    worker, identity, _ = start(broker, handler, capacity=1)
    stoppers.append(worker)
    broker.send(identity, *assign("t-busy"))
    broker.expect(wire.Accept)
    assert wait_until(lambda: seen == ["t-busy"])
    broker.send(identity, *assign("t-queued"))
    broker.expect(wire.Accept)
    broker.send(identity, wire.Revoke(id="t-queued", reason="cancelled"))
    broker.quiet(0.3)
    release.set()
    broker.expect(wire.AnswerMessage)
    broker.quiet(0.3)
    assert seen == ["t-busy"]


def test_setPresence_sendsAHeartbeatWithThePresence(broker, stoppers):
    worker, _, _ = start(broker)
    stoppers.append(worker)
    worker.set_presence("away")
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        _, envelope = broker.expect(wire.WorkerHeartbeat, skip=())
        if envelope.message.presence == "away":
            break
    else:
        pytest.fail("no away heartbeat")


def test_acceptTimeoutRevoke_setsTheConsoleAway(broker, stoppers):
    worker, identity, _ = start(broker, auto_accept=False)
    stoppers.append(worker)
    broker.send(identity, *assign("t-11"))
    ticket = worker.next_ticket(timeout=WAIT)
    broker.send(identity, wire.Revoke(id="t-11", reason="accept-timeout"))
    assert ticket.revoked.wait(WAIT)
    _, beat = broker.expect(wire.WorkerHeartbeat, skip=())
    _, beat = broker.expect(wire.WorkerHeartbeat, skip=())
    assert beat.message.presence == "away"
    worker.set_presence("active")
    assert wait_until(lambda: worker._presence == "active")


def test_explicitApi_withoutAHandler(broker, stoppers):
    worker, identity, _ = start(broker, auto_accept=False)
    stoppers.append(worker)
    broker.send(identity, *assign("t-6", wire.pack_ask_body("Which plan?"), options=("a", "b")))
    ticket = worker.next_ticket(timeout=WAIT)
    assert ticket.prompt == "Which plan?" and ticket.id == "t-6"
    ticket.accept(lease=30)
    _, accept = broker.expect(wire.Accept)
    assert accept.message.lease == 30_000
    ticket.extend(60)
    _, extend = broker.expect(wire.Extend)
    assert extend.message == wire.Extend(id="t-6", lease=60_000)
    ticket.choose("b", text="b is cheaper")
    _, answer = broker.expect(wire.AnswerMessage)
    assert answer.message.option == "b" and msgpack.unpackb(answer.body) == {"text": "b is cheaper"}


def test_liveTicket_acceptEndsIt_noAnswerFollows(broker, stoppers):
    worker, identity, _ = start(broker, lambda ticket: Answer.approve(), role="live")
    stoppers.append(worker)
    broker.send(identity, *assign("t-7", role="live", transfer="no-hila"))
    broker.expect(wire.Accept)
    later = [e.message for _, e in broker.quiet(0.4)]
    assert not any(isinstance(m, wire.AnswerMessage) for m in later) and worker.held == ()


def test_disconnectFromBroker_reconnects_andReadyListsHeldTickets(broker, stoppers):
    release = threading.Event()
    worker, identity, _ = start(broker, lambda ticket: release.wait(WAIT) and Answer.approve())
    stoppers.append(worker)
    broker.send(identity, *assign("t-8"))
    broker.expect(wire.Accept)
    broker.send(identity, wire.BrokerDisconnect(reason="who are you"))
    new_identity, ready = broker.expect(wire.Ready)
    assert new_identity != identity and ready.message.holding == ("t-8",)
    welcome(broker, new_identity, attached=("t-8",))
    release.set()
    from_identity, answer = broker.expect(wire.AnswerMessage)
    assert from_identity == new_identity and answer.message.id == "t-8"


def test_brokerSilence_reconnectsWithBackoff_andWelcomeDroppedRevokes(broker, stoppers):
    release = threading.Event()
    tickets = []

    def handler(ticket):
        tickets.append(ticket)
        release.wait(WAIT)
        return Answer.approve()

    worker, identity, _ = start(broker, handler)
    stoppers.append(worker)
    broker.send(identity, *assign("t-9"))
    broker.expect(wire.Accept)
    broker.restart()  # silence: no heartbeats from the broker any more
    new_identity, ready = broker.expect(wire.Ready, timeout=3)
    assert ready.message.holding == ("t-9",)
    welcome(broker, new_identity, dropped=("t-9",))
    assert wait_until(lambda: tickets[0].revoked.is_set())
    release.set()
    assert not any(isinstance(e.message, wire.AnswerMessage) for _, e in broker.quiet(0.4))
    assert worker.connections >= 2


def test_answerFinishedWhileDisconnected_isSentAfterTheNextReady(broker, stoppers):
    release = threading.Event()
    worker, identity, _ = start(broker, lambda ticket: release.wait(WAIT) and Answer.approve())
    stoppers.append(worker)
    broker.send(identity, *assign("t-12"))
    broker.expect(wire.Accept)
    broker.send(identity, wire.BrokerDisconnect())
    assert wait_until(lambda: worker._socket is None or worker.connections >= 2)
    release.set()
    new_identity, ready = broker.expect(wire.Ready)
    assert ready.message.holding == ("t-12",)
    _, answer = broker.expect(wire.AnswerMessage)
    assert answer.message.id == "t-12"


def test_hostileBytesFromTheBroker_areIgnored(broker, stoppers):
    worker, identity, _ = start(broker, lambda ticket: Answer.approve())
    stoppers.append(worker)
    for bad in ([os.urandom(9)], [b"HLPW01"], [b"HLPC01", b"\x12", b"\x80"], [b"HLPW01", b"\x31", b"\xc1"],
                [b"HLPW01", b"\x31", msgpack.packb({"id": "x"})], [b"HLPW01", b"\x20", b"\x80"],
                [b"HLPW01", b"\x31", b"\xdd\xff\xff\xff\xff"], [b"HLPW01", b"\x32", b"\x80", b"x"]):
        broker.send_raw(identity, bad)
    broker.send(identity, *assign("t-10"))
    _, answer = broker.expect(wire.AnswerMessage, skip=(wire.WorkerHeartbeat, wire.Accept))
    assert answer.message.id == "t-10"
    assert worker.rejected_messages >= 8


@pytest.mark.parametrize("command", [wire.Command.READY, None], ids=["ready-refused", "revoked"])
def test_registrationRefused401_stopsInsteadOfReconnecting(broker, command):
    worker = Worker(broker.endpoint, name="eve", skills=["refunds"], capacity=1, heartbeat=0.1).start()
    try:
        identity, _ = broker.expect(wire.Ready)
        broker.send(identity, wire.Error(code=401, text="key grants no hila", command=command), signature=b"HLPW01")
        broker.send(identity, wire.BrokerDisconnect(reason="unauthorized"))
        assert wait_until(lambda: not worker._thread.is_alive())
        assert worker.refusal is not None and worker.refusal.code == 401
        assert not any(isinstance(e.message, wire.Ready) for _, e in broker.quiet(0.5))
        assert worker.connections == 1
    finally:
        worker.stop()


def test_answerRefused503_isSentAgain_andOfferedAgain_isAnsweredWithoutTheHandler(broker, stoppers):
    calls = []

    def handler(ticket):
        calls.append(ticket.id)
        return Answer.approve()

    # Heartbeats of 1 s: the fake broker sends none, and the retry must come before the
    # worker thinks it dead (liveness 3).
    worker = Worker(broker.endpoint, handler=handler, name="ana", skills=["refunds"], capacity=2, heartbeat=1.0).start()
    stoppers.append(worker)
    identity, _ = broker.expect(wire.Ready)
    welcome(broker, identity, heartbeat=1000)
    assert worker.registered.wait(WAIT)
    broker.send(identity, *assign("t-503"))
    _, first = broker.expect(wire.AnswerMessage, skip=(wire.WorkerHeartbeat, wire.Accept))
    assert first.message.id == "t-503"
    # The journal could not record it: the same answer comes again after the retry delay.
    broker.send(identity, wire.Error(code=503, text="journal unwritable", id="t-503", command=wire.Command.ANSWER),
                signature=b"HLPW01")
    _, again = broker.expect(wire.AnswerMessage, skip=(wire.WorkerHeartbeat,), timeout=3)
    assert again.message.id == "t-503"
    # Offered again (the broker lost it): the stored answer goes out, the human is not asked twice.
    broker.send(identity, *assign("t-503"))
    _, third = broker.expect(wire.AnswerMessage, skip=(wire.WorkerHeartbeat, wire.Accept))
    assert third.message.id == "t-503"
    assert calls == ["t-503"]


def test_stop_sendsDisconnect(broker):
    worker, _, _ = start(broker)
    worker.stop()
    broker.expect(wire.WorkerDisconnect)


def test_badRegistration_isRefusedLocally():
    with pytest.raises(wire.WireError) as caught:
        Worker("tcp://127.0.0.1:1", name="", skills=[])
    assert caught.value.code == 422
