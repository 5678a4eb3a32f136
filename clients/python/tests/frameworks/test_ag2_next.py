"""`helpline.ag2.hitl_hook` against the real broker: an AG2 1.x agent on AG2's own scripted
model (`ag2.testing.TestConfig`), a tool gated by `approval_required`, a tool that asks the
human, and a scripted human answering through `helpline.Worker`."""

from __future__ import annotations

import asyncio
import json

import pytest

pytest.importorskip("ag2")

from ag2 import Agent, Context, tool  # noqa: E402
from ag2.events import ToolCallEvent  # noqa: E402
from ag2.exceptions import HumanInputError  # noqa: E402
from ag2.middleware.builtin.tools.approval import approval_required  # noqa: E402
from ag2.testing import TestConfig  # noqa: E402

from helpline import Answer, Transfer, Transferred  # noqa: E402
from helpline.ag2 import hitl_hook  # noqa: E402

from ..test_integration import WAIT  # noqa: E402


def agent(client, refunds: list, *turns, conversation="c-1") -> Agent:
    @tool(middleware=[approval_required(denied_message="The refund was not approved.")])
    def refund(order: str, amount: int) -> str:
        """Refund an order."""
        refunds.append((order, amount))
        return f"Refunded {amount} EUR on order {order}."

    @tool
    async def ask_customer_service(question: str, context: Context) -> str:
        """Ask a human colleague."""
        return await context.input(question)

    call = ToolCallEvent("refund", id="call-1", arguments=json.dumps({"order": "1182", "amount": 240}))
    return Agent("support", config=TestConfig(*(turns or (call, "Done."))), tools=[refund, ask_customer_service],
                 hitl_hook=hitl_hook(client=client, conversation=conversation, timeout=WAIT))


def ask(agent: Agent, text: str):
    async def scenario():
        reply = await agent.ask(text)
        return await reply.content()
    return asyncio.run(asyncio.wait_for(scenario(), WAIT * 3))


def test_approve_runsTheGatedTool(human, client):
    refunds = []
    human.decide = lambda ticket: Answer.approve()
    assert ask(agent(client, refunds), "Refund order 1182.") == "Done."
    assert refunds == [("1182", 240)]
    (ticket,) = human.tickets
    assert "refund" in ticket.prompt and ticket.context == {"tool_call_id": "call-1"}
    assert ticket.options == ("always",)  # approval_required allows "always" by default


def test_reject_skipsTheGatedTool(human, client):
    refunds = []
    human.decide = lambda ticket: Answer.reject("no photo")
    assert ask(agent(client, refunds), "Refund order 1182.") == "Done."
    assert refunds == []


def test_edit_isNotAYes_forAnApproval(human, client):
    """AG2's approval knows yes / no / always only: an edit does not run the tool (as documented)."""
    refunds = []
    human.decide = lambda ticket: Answer.edit({"order": "1182", "amount": 120})
    ask(agent(client, refunds), "Refund order 1182.")
    assert refunds == []


def test_questionFromATool_getsTheHumansWords(human, client):
    refunds = []
    human.decide = lambda ticket: Answer.reply("Offer a voucher.")
    question = ToolCallEvent("ask_customer_service", id="call-2", arguments=json.dumps({"question": "Voucher?"}))
    assert ask(agent(client, refunds, question, "Offering a voucher."), "Order 7 is late.") == "Offering a voucher."
    assert human.tickets[0].prompt == "Voucher?"


def test_transfer_endsTheTurn_toolNotRun(human, client):
    refunds = []
    human.decide = lambda ticket: Transfer("wants a person")
    with pytest.raises(HumanInputError) as stopped:
        ask(agent(client, refunds), "Refund order 1182.")
    assert isinstance(stopped.value.__cause__, Transferred)
    assert refunds == []


def test_sameToolCall_askedAgain_raisesNoSecondTicket(human, client):
    """The same conversation and model call id (a run replayed after a restart): one ticket."""
    refunds = []
    human.decide = lambda ticket: Answer.approve()
    ask(agent(client, refunds, conversation="c-replay"), "Refund order 1182.")
    ask(agent(client, refunds, conversation="c-replay"), "Refund order 1182.")
    assert len(human.tickets) == 1
    assert refunds == [("1182", 240), ("1182", 240)]
