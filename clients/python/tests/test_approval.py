"""require_approval and human_as_tool, with the fake broker playing the human's side."""

from __future__ import annotations

import asyncio

import msgpack
import pytest

from helpline import (
    AsyncClient, Client, Expired, Rejected, Transferred, human_as_tool, require_approval, wire,
)

from .conftest import WAIT


@pytest.fixture
def client(broker):
    c = Client(broker.endpoint, heartbeat=0.2)
    yield c
    c.close()


def make_refund(client, calls, **options):
    @require_approval(skills=["refunds"], client=client, when=lambda order, amount, **_: amount > 100, **options)
    def refund(order: str, amount: int, note: str = "") -> str:
        calls.append((order, amount, note))
        return f"refunded {amount} on {order}"

    return refund


def human(broker, reply, body=None):
    """Waits for the ASK and answers it; returns the ASK envelope."""
    identity, envelope = broker.expect(wire.Ask)
    message = reply(envelope.message.id)
    broker.send(identity, message, body)
    return envelope


def test_approve_runsTheFunction_andTheHumanSawTheCall(broker, client, background):
    calls = []
    refund = make_refund(client, calls)
    pending = background(refund, "o-1", 240)
    ask = human(broker, lambda i: wire.Answered(id=i, decision="approve", worker="ana", elapsed=5))
    assert pending.result(WAIT) == "refunded 240 on o-1"
    assert calls == [("o-1", 240, "")]
    assert ask.message.skills == ("refunds",)
    body = msgpack.unpackb(ask.body)
    assert body["proposed"] == {"order": "o-1", "amount": 240, "note": ""}
    assert "refund" in body["prompt"] and body["context"] == {"function": "make_refund.<locals>.refund"}


def test_lowRiskCall_runsWithoutAsking(broker, client):
    calls = []
    assert make_refund(client, calls)("o-2", 20) == "refunded 20 on o-2"
    assert calls == [("o-2", 20, "")]
    assert broker.recv_raw(timeout=0.2) is None


def test_reject_raisesRejectedWithTheReason_andDoesNotRun(broker, client, background):
    calls = []
    pending = background(make_refund(client, calls), "o-3", 500)
    human(broker, lambda i: wire.Answered(id=i, decision="reject", worker="ana", elapsed=5),
          wire.pack_answer_body("over the monthly limit"))
    with pytest.raises(Rejected) as caught:
        pending.result(WAIT)
    assert caught.value.reason == "over the monthly limit" and calls == []


def test_edit_runsWithTheHumansArguments(broker, client, background):
    calls = []
    pending = background(make_refund(client, calls), "o-4", 500)
    human(broker, lambda i: wire.Answered(id=i, decision="edit", worker="ana", elapsed=5),
          wire.pack_answer_body(edited={"amount": 250, "note": "half: goodwill", "bogus": 1}))
    assert pending.result(WAIT) == "refunded 250 on o-4"
    assert calls == [("o-4", 250, "half: goodwill")]


def test_option_runs_andPassesTheLabelWhenAsked(broker, client, background):
    seen = []

    @require_approval(options=["card", "voucher"], client=client)
    def pay(amount, human_option=None):
        seen.append((amount, human_option))

    pending = background(pay, 10)
    human(broker, lambda i: wire.Answered(id=i, decision="option", option="voucher", worker="ana", elapsed=5))
    pending.result(WAIT)
    assert seen == [(10, "voucher")]


def test_transfer_raisesTransferredAtOnce(broker, client, background):
    calls = []
    pending = background(make_refund(client, calls), "o-5", 500)
    human(broker, lambda i: wire.TransferredMessage(id=i, reason="hila", note="angry customer"))
    with pytest.raises(Transferred) as caught:
        pending.result(WAIT)
    assert caught.value.note == "angry customer" and caught.value.reason == "hila" and calls == []


def test_takenOver_raisesTransferred_whenWaitingForLive(broker, client, background):
    calls = []
    pending = background(make_refund(client, calls, wait_for_live=True), "o-6", 500)
    identity, envelope = broker.expect(wire.Ask)
    broker.send(identity, wire.TransferredMessage(id=envelope.message.id, reason="no-hila"))
    broker.send(identity, wire.Assigned(id=envelope.message.id, worker="lee", role="live"))
    with pytest.raises(Transferred):
        pending.result(WAIT)
    assert calls == []


def test_expired_raisesExpired(broker, client, background):
    pending = background(make_refund(client, []), "o-7", 500)
    human(broker, lambda i: wire.ExpiredMessage(id=i))
    with pytest.raises(Expired):
        pending.result(WAIT)


def test_asyncFunction_withAsyncClient(broker):
    async def main():
        async with AsyncClient(broker.endpoint, heartbeat=0.2) as client:
            @require_approval(client=client, prompt="Send {count} emails?")
            async def send(count):
                return count * 2

            pending = asyncio.ensure_future(send(3))
            identity, envelope = await asyncio.to_thread(broker.expect, wire.Ask)
            assert msgpack.unpackb(envelope.body)["prompt"] == "Send 3 emails?"
            broker.send(identity, wire.Answered(id=envelope.message.id, decision="approve", worker="w", elapsed=1))
            assert await pending == 6

    asyncio.run(asyncio.wait_for(main(), WAIT * 2))


def test_humanAsTool_returnsTheAnswerText_andLooksLikeATool(broker, client, background):
    tool = human_as_tool(skills=["billing"], client=client, name="ask_billing_expert")
    assert tool.__name__ == "ask_billing_expert" and "question" in tool.__doc__
    assert tool.__annotations__ == {"question": str, "return": str}
    pending = background(tool, "Can I waive the fee?")
    ask = human(broker, lambda i: wire.Answered(id=i, decision="answer", worker="ana", elapsed=5),
                wire.pack_answer_body("Yes, once per year."))
    assert pending.result(WAIT) == "Yes, once per year."
    assert ask.message.skills == ("billing",) and msgpack.unpackb(ask.body)["prompt"] == "Can I waive the fee?"


def test_humanAsTool_saysWhenNobodyAnswered(broker, client, background):
    pending = background(human_as_tool(client=client), "anyone?")
    human(broker, lambda i: wire.ExpiredMessage(id=i))
    assert pending.result(WAIT) == "No human answered in time."
