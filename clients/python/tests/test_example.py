"""examples/python/refund_agent.py against the fake broker: each path the agent honours."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from helpline import wire

from .conftest import WAIT

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "python" / "refund_agent.py"


@pytest.fixture
def agent(broker, monkeypatch):
    monkeypatch.setenv("HELPLINE_ENDPOINT", broker.endpoint)
    spec = importlib.util.spec_from_file_location("refund_agent", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    module.client.close()


def test_smallRefund_needsNoHuman(agent, broker):
    assert agent.handle_customer("1", 40, "late") == "Refunded 40 EUR on order 1."
    assert broker.recv_raw(timeout=0.2) is None


@pytest.mark.parametrize("reply,body,said", [
    (lambda i: wire.Answered(id=i, decision="approve", worker="ana", elapsed=1), None,
     "Refunded 240 EUR on order 1182."),
    (lambda i: wire.Answered(id=i, decision="edit", worker="ana", elapsed=1),
     wire.pack_answer_body(edited={"amount": 120}), "Refunded 120 EUR on order 1182."),
    (lambda i: wire.Answered(id=i, decision="reject", worker="ana", elapsed=1),
     wire.pack_answer_body("no proof of damage"), "I cannot refund this order: no proof of damage."),
    (lambda i: wire.TransferredMessage(id=i, reason="hila"), None,
     "I am handing you over to a colleague who will take it from here."),
    (lambda i: wire.ExpiredMessage(id=i), None,
     "Nobody could confirm the refund in time; we will contact you by e-mail."),
], ids=["approve", "edit", "reject", "transfer", "expired"])
def test_largeRefund_honoursTheHuman(agent, broker, background, reply, body, said):
    pending = background(agent.handle_customer, "1182", 240, "damaged")
    identity, envelope = broker.expect(wire.Ask)
    assert envelope.message.skills == ("refunds",)
    broker.send(identity, reply(envelope.message.id), body)
    assert pending.result(WAIT) == said
