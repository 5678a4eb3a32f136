"""Client against a fake broker: wire transcripts of each ticket path, reconnects, hostile
input. The blocking `ask` runs in the background; the test thread plays the broker."""

from __future__ import annotations

import os
import time

import msgpack
import pytest

from helpline import Client, HelplineError, HelplineTimeout, wire
from helpline.session import ClientSession

from .conftest import WAIT, wait_until


@pytest.fixture
def client(broker):
    c = Client(broker.endpoint, heartbeat=0.1, liveness=3)
    yield c
    c.close()


def answer_body(**fields):
    return msgpack.packb(fields)


def test_ask_whenQueuedThenAnswered_returnsTheAnswerAndReportsProgress(broker, client, background):
    events = []
    pending = background(client.ask, "Refund 240 EUR?", skills=["refunds"], options=["full", "half"],
                         context={"order": 1182}, customer={"name": "Ada"}, proposed={"amount": 240},
                         priority=3, max_wait=30, deadline=600, ticket_id="t-1", on_event=events.append)
    identity, envelope = broker.expect(wire.Ask)
    assert envelope.message == wire.Ask(id="t-1", skills=("refunds",), role="hila", priority=3,
                                        options=("full", "half"), max_wait=30_000, deadline=600_000)
    assert msgpack.unpackb(envelope.body) == {
        "prompt": "Refund 240 EUR?", "context": {"order": 1182}, "customer": {"name": "Ada"},
        "proposed": {"amount": 240}}
    broker.send(identity, wire.Queued(id="t-1", role="hila", stage="waiting", position=2))
    broker.send(identity, wire.Assigned(id="t-1", worker="ana", role="hila"))
    broker.send(identity, wire.Answered(id="t-1", decision="edit", worker="ana", elapsed=1500),
                answer_body(text="half is enough", edited={"amount": 120}))
    outcome = pending.result(WAIT)
    assert outcome.kind == "answered" and outcome.decision == "edit" and outcome.approved
    assert outcome.edited == {"amount": 120} and outcome.text == "half is enough"
    assert outcome.worker == "ana" and outcome.elapsed == 1.5 and not outcome.transferred
    assert [(e.kind, e.position, e.worker) for e in events] == [("queued", 2, None), ("assigned", None, "ana")]


def test_ask_generatesAUuid4TicketId(broker, client, background):
    pending = background(client.ask, "ok?")
    identity, envelope = broker.expect(wire.Ask)
    ticket_id = envelope.message.id
    assert len(ticket_id) == 36 and ticket_id[14] == "4"
    broker.send(identity, wire.Answered(id=ticket_id, decision="approve", worker="w", elapsed=1))
    assert pending.result(WAIT).ticket_id == ticket_id


def test_ask_whenTransferredThenTakenOver_endsTakenOver(broker, client, background):
    events = []
    pending = background(client.ask, "help", ticket_id="t-2", on_event=events.append)
    identity, _ = broker.expect(wire.Ask)
    broker.send(identity, wire.Queued(id="t-2", role="hila", stage="waiting", position=0))
    broker.send(identity, wire.TransferredMessage(id="t-2", reason="no-hila"))
    broker.send(identity, wire.Queued(id="t-2", role="live", stage="waiting", position=0))
    broker.send(identity, wire.Assigned(id="t-2", worker="lee", role="live"))
    outcome = pending.result(WAIT)
    assert outcome.kind == "taken_over" and outcome.worker == "lee"
    assert outcome.transfer_reason == "no-hila" and outcome.transferred
    assert [e.kind for e in events] == ["queued", "transferred", "queued"]


def test_ask_whenTransferredThenExpired_endsExpired(broker, client, background):
    pending = background(client.ask, "help", ticket_id="t-3")
    identity, _ = broker.expect(wire.Ask)
    broker.send(identity, wire.TransferredMessage(id="t-3", reason="hila", note="needs a manager"))
    broker.send(identity, wire.ExpiredMessage(id="t-3"))
    outcome = pending.result(WAIT)
    assert outcome.kind == "expired" and outcome.transfer_note == "needs a manager"


def test_ask_stopOnTransfer_returnsAtTheTransfer(broker, client, background):
    pending = background(client.ask, "help", ticket_id="t-4", stop_on_transfer=True)
    identity, _ = broker.expect(wire.Ask)
    broker.send(identity, wire.TransferredMessage(id="t-4", reason="max-wait"))
    outcome = pending.result(WAIT)
    assert outcome.kind == "transferred" and outcome.transfer_reason == "max-wait"
    assert "t-4" not in client.open_tickets


def test_cancel_sendsCancel_andAskEndsCancelled(broker, client, background):
    pending = background(client.ask, "help", ticket_id="t-5")
    identity, _ = broker.expect(wire.Ask)
    client.cancel("t-5")
    _, envelope = broker.expect(wire.Cancel)
    assert envelope.message.id == "t-5"
    broker.send(identity, wire.CancelledMessage(id="t-5"))
    assert pending.result(WAIT).kind == "cancelled"


def test_ask_whenBrokerRefuses_raisesHelplineErrorWithItsCode(broker, client, background):
    pending = background(client.ask, "help", ticket_id="t-6")
    identity, _ = broker.expect(wire.Ask)
    broker.send(identity, wire.Error(code=409, text="id reused", id="t-6", command=1), signature=wire.CLIENT)
    with pytest.raises(HelplineError) as caught:
        pending.result(WAIT)
    assert caught.value.code == 409 and caught.value.ticket_id == "t-6"


def test_ask_invalidRequest_failsLocallyWith422(client):
    with pytest.raises(HelplineError) as caught:
        client.ask("x", priority=12)
    assert caught.value.code == 422
    with pytest.raises(HelplineError):
        client.ask("x", skills="refunds")  # a bare string is not a list of skills


def test_ask_localTimeout_cancelsTheTicket(broker, client):
    with pytest.raises(HelplineTimeout):
        client.ask("help", ticket_id="t-7", timeout=0.3)
    # The broker did not read while `ask` blocked, so the client may also have reconnected.
    _, envelope = broker.expect(wire.Cancel, skip=(wire.Ask, wire.Resume, wire.ClientHeartbeat))
    assert envelope.message.id == "t-7"
    assert client.open_tickets == ()


def test_ask_whenNoQueuedArrives_sendsTheSameAskAgain(broker, background):
    with Client(broker.endpoint, heartbeat=0.1) as client:
        client._async._session.ack_timeout = 0.3
        pending = background(client.ask, "help", ticket_id="t-8", deadline=60)
        _, first = broker.expect(wire.Ask)
        identity, again = broker.expect(wire.Ask, timeout=2)
        assert again.message == first.message and again.body == first.body
        broker.send(identity, wire.Answered(id="t-8", decision="approve", worker="w", elapsed=1))
        assert pending.result(WAIT).kind == "answered"


def test_ask_afterBrokerRestart_resumesAndReportsOneOutcome(broker, client, background):
    pending = background(client.ask, "help", ticket_id="t-9")
    identity, _ = broker.expect(wire.Ask)
    broker.send(identity, wire.Queued(id="t-9", role="hila", stage="waiting", position=0))
    time.sleep(0.2)
    broker.restart()  # everything in flight is lost; the client must notice and RESUME
    identity, envelope = broker.expect(wire.Resume)
    assert envelope.message.ids == ("t-9",)
    answered = wire.Answered(id="t-9", decision="reject", worker="ana", elapsed=9)
    broker.send(identity, answered, answer_body(text="policy"))
    broker.send(identity, answered, answer_body(text="a repeat"))  # a RESUME crossing it
    outcome = pending.result(WAIT)
    assert outcome.kind == "answered" and outcome.text == "policy"
    # The repeat is dropped; the next ticket is unaffected by it.
    pending = background(client.ask, "again", ticket_id="t-10")
    identity, _ = broker.expect(wire.Ask)
    broker.send(identity, wire.ExpiredMessage(id="t-10"))
    assert pending.result(WAIT).kind == "expired"


def test_ask_whenBrokerSilent_reconnectsWithANewSocketAndResumes(broker, client, background):
    broker.answer_heartbeats = False
    pending = background(client.ask, "help", ticket_id="t-11")
    first, _ = broker.expect(wire.Ask)
    identity, envelope = broker.expect(wire.Resume, timeout=3)
    assert identity != first, "a new socket: the broker sees a new connection"
    assert envelope.message.ids == ("t-11",)
    assert client._async.reconnects >= 1
    broker.send(identity, wire.Answered(id="t-11", decision="approve", worker="w", elapsed=1))
    assert pending.result(WAIT).kind == "answered"


def test_resume_whenBrokerLostTheTicket_asksAgainWithTheSameContent(broker, client, background):
    pending = background(client.ask, "help", ticket_id="t-12", skills=["x"])
    _, asked = broker.expect(wire.Ask)
    broker.restart()
    identity, _ = broker.expect(wire.Resume)
    broker.send(identity, wire.Error(code=404, text="unknown", id="t-12", command=3), signature=wire.CLIENT)
    _, again = broker.expect(wire.Ask)
    assert again.message == asked.message and again.body == asked.body
    broker.send(identity, wire.Answered(id="t-12", decision="approve", worker="w", elapsed=1))
    assert pending.result(WAIT).kind == "answered"


def test_cancelDrawing404_asksAgainThenCancels_andReportsTheBrokersEnd(broker, client, background):
    # The ASK may still be on its way on a replaced socket: a 404 to CANCEL is not the end.
    pending = background(client.ask, "help", ticket_id="t-14")
    _, asked = broker.expect(wire.Ask)
    client.cancel("t-14")
    identity, _ = broker.expect(wire.Cancel)
    broker.send(identity, wire.Error(code=404, text="unknown", id="t-14", command=wire.Command.CANCEL), signature=wire.CLIENT)
    _, again = broker.expect(wire.Ask)
    assert again.message == asked.message and again.body == asked.body
    broker.expect(wire.Cancel)
    # The first ASK got there after all, and a human answered it before the CANCEL.
    broker.send(identity, wire.Answered(id="t-14", decision="approve", worker="w", elapsed=1))
    assert pending.result(WAIT).kind == "answered"


def test_cancelDrawing404_twice_endsAsCancelled(broker, client, background):
    pending = background(client.ask, "help", ticket_id="t-15")
    broker.expect(wire.Ask)
    client.cancel("t-15")
    identity, _ = broker.expect(wire.Cancel)
    broker.send(identity, wire.Error(code=404, text="unknown", id="t-15", command=wire.Command.CANCEL), signature=wire.CLIENT)
    broker.expect(wire.Ask)
    broker.expect(wire.Cancel)
    broker.send(identity, wire.Error(code=404, text="unknown", id="t-15", command=wire.Command.CANCEL), signature=wire.CLIENT)
    assert pending.result(WAIT).kind == "cancelled"


def test_status_returnsTheReport(broker, client, background):
    pending = background(client.status)
    identity, _ = broker.expect(wire.Status)
    report = wire.Report(uptime=10, counts={"waiting": 1}, queues=(), workers=())
    broker.send(identity, report)
    assert pending.result(WAIT) == report


def _hostile_frames():
    yield [os.urandom(7)]
    yield [b"HLPC01"]
    yield [b"HLPC02", b"\x12", b"\x80"]
    yield [b"HLPW01", b"\x31", b"\x80"]                         # a worker message
    yield [b"HLPC01", b"\x01", wire.encode(wire.Ask(id="t-13"))[2]]  # a client command
    yield [b"HLPC01", b"\xff", b"\x80"]
    yield [b"HLPC01", b"\x12", b"\xdf\xff\xff\xff\xff"]           # count bomb
    yield [b"HLPC01", b"\x12", msgpack.packb({"id": "t-13", "decision": "maybe", "worker": "w", "elapsed": 1})]
    yield [b"HLPC01", b"\x12", msgpack.packb({"id": "t-13", "decision": "option", "worker": "w", "elapsed": 1})]
    yield [b"HLPC01", b"\x14", msgpack.packb({"id": 13})]
    yield [b"HLPC01", b"\x14", b"\x81" + b"\x91" * 100 + b"\x00"]  # nesting
    yield [b"HLPC01", b"\x10", b"\x80", b"", b"", b""]
    yield [b"HLPC01", b"\x07", msgpack.packb({"code": 999, "text": "x", "id": "t-13"})]
    yield [b"HLPC01", b"\x12", msgpack.packb({"id": "t-13", "decision": "approve", "worker": "w", "elapsed": 1}),
           b"\xc1 not msgpack"]  # a valid ANSWERED with an undecodable body still counts


def test_hostileBytesFromTheBroker_doNotCrashTheClient(broker, client, background):
    pending = background(client.ask, "help", ticket_id="t-13")
    identity, _ = broker.expect(wire.Ask)
    frames = list(_hostile_frames())
    for bad in frames[:-1]:
        broker.send_raw(identity, bad)
    broker.send_raw(identity, frames[-1])
    outcome = pending.result(WAIT)
    assert outcome.kind == "answered" and outcome.text is None and outcome.body == b"\xc1 not msgpack"
    assert wait_until(lambda: client._async._session.rejected_messages >= len(frames) - 2)


def test_session_reportsEachOutcomeOnce():
    session = ClientSession()
    session.ask(wire.Ask(id="a"), None, now=0.0)
    answered = wire.encode(wire.Answered(id="a", decision="approve", worker="w", elapsed=1))
    first = session.receive(answered, now=0.1)
    again = session.receive(answered, now=0.2)
    expired = session.receive(wire.encode(wire.ExpiredMessage(id="a")), now=0.3)
    assert [u.kind for _, u in first.updates] == ["answered"]
    assert again.updates == [] and expired.updates == []


def test_session_dropsRepeatedIdenticalEvents_andResumesInChunksOf256():
    session = ClientSession()
    for index in range(300):
        session.ask(wire.Ask(id=f"t{index}"), None, now=0.0)
    queued = wire.encode(wire.Queued(id="t0", role="hila", stage="waiting", position=4))
    assert len(session.receive(queued, 0.1).updates) == 1
    assert session.receive(queued, 0.2).updates == []
    resumes = session.reconnected(1.0).sends
    assert [len(wire.decode(f, wire.CLIENT_TO_BROKER).message.ids) for f in resumes] == [256, 44]


def test_session_heartbeatsOnlyWhileTicketsAreOpen_andAsksForReconnectAfterSilence():
    session = ClientSession(heartbeat=1.0, liveness=3)
    assert session.tick(0.0).sends == [] and session.next_timer(0.0) is None
    session.ask(wire.Ask(id="a"), None, now=0.0)
    session.receive(wire.encode(wire.Queued(id="a", role="hila", stage="waiting", position=0)), 0.0)
    assert [wire.decode(f, wire.CLIENT_TO_BROKER).message for f in session.tick(1.0).sends] == [wire.ClientHeartbeat()]
    assert not session.tick(2.5).reconnect
    assert session.tick(3.0).reconnect


def test_manyThreads_askAtOnce_overOneClient(broker, client, background):
    pending = [background(client.ask, f"q{i}", ticket_id=f"m{i}") for i in range(8)]
    identities = set()
    for _ in range(8):
        identity, envelope = broker.expect(wire.Ask)
        identities.add(identity)
        broker.send(identity, wire.Answered(id=envelope.message.id, decision="answer", worker="w", elapsed=1),
                    wire.pack_answer_body(envelope.message.id))
    assert len(identities) == 1
    assert [p.result(WAIT).text for p in pending] == [f"m{i}" for i in range(8)]
