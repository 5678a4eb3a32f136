"""`helpline.openai_agents` against the real broker, with the Agents SDK's own scripted model
(`agents.testing.ScriptedModel`) and a scripted human answering through `helpline.Worker`."""

from __future__ import annotations

import asyncio
import json

import pytest

pytest.importorskip("agents")

from agents import Agent, Runner, function_tool, set_tracing_disabled  # noqa: E402
from agents.run_state import RunState  # noqa: E402
from agents.testing import ScriptedModel, assistant_message, function_call  # noqa: E402

from helpline import Answer, AsyncClient, Transfer, Transferred  # noqa: E402
from helpline import openai_agents as hl  # noqa: E402

from ..test_integration import WAIT  # noqa: E402
from .conftest import run_example  # noqa: E402

set_tracing_disabled(True)


def refund_agent(refunds: list, *steps) -> tuple:
    @function_tool(needs_approval=True)
    def refund(order: str, amount: int) -> str:
        """Refund an order."""
        refunds.append((order, amount))
        return f"Refunded {amount} EUR on order {order}."

    model = ScriptedModel([
        [function_call("refund", {"order": "1182", "amount": 240}, call_id="call-1")],
        *steps,
        [assistant_message("Done.")],
    ])
    return Agent(name="support", model=model, tools=[refund]), model


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, WAIT * 3))


def tool_outputs(model) -> list:
    return [item["output"] for call in model.calls for item in call.input
            if isinstance(item, dict) and item.get("type") == "function_call_output"]


def test_approve_runsTheTool(human, client):
    refunds = []
    human.decide = lambda ticket: Answer.approve()
    agent, model = refund_agent(refunds)
    result = run(hl.run(agent, "Refund order 1182, it arrived broken.", client=client, conversation="c-1",
                        timeout=WAIT))
    assert result.final_output == "Done."
    assert refunds == [("1182", 240)]
    (ticket,) = human.tickets
    assert ticket.proposed == {"order": "1182", "amount": 240}
    assert ticket.prompt == "Approve refund(order='1182', amount=240)?"
    assert ticket.context["tool"] == "refund" and ticket.context["call_id"] == "call-1"


def test_reject_givesTheModelTheReason(human, client):
    refunds = []
    human.decide = lambda ticket: Answer.reject("no photo of the damage")
    agent, model = refund_agent(refunds)
    run(hl.run(agent, "Refund order 1182.", client=client, conversation="c-2", timeout=WAIT))
    assert refunds == []
    assert tool_outputs(model) == ["no photo of the damage"]


def test_edit_isARejectCarryingTheEditedArguments_asDocumented(human, client):
    """The SDK has no edit: the model is told the arguments; when it calls again with them,
    that call is gated again (here approved), and runs with the edit."""
    refunds = []
    decisions = iter([Answer.edit({"order": "1182", "amount": 120}), Answer.approve()])
    human.decide = lambda ticket: next(decisions)
    agent, model = refund_agent(refunds, [function_call("refund", {"order": "1182", "amount": 120},
                                                        call_id="call-2")])
    run(hl.run(agent, "Refund order 1182.", client=client, conversation="c-3", timeout=WAIT))
    (told,) = tool_outputs(model)[:1]
    assert told == hl.EDIT_MESSAGE.format(name="refund", arguments=json.dumps({"order": "1182", "amount": 120},
                                                                              separators=(",", ":")))
    assert refunds == [("1182", 120)]
    assert len(human.tickets) == 2


def test_transfer_stopsTheRun_withItsState(human, client):
    refunds = []
    human.decide = lambda ticket: Transfer("wants a person")
    agent, model = refund_agent(refunds)
    with pytest.raises(Transferred) as stopped:
        run(hl.run(agent, "Refund order 1182.", client=client, conversation="c-4", timeout=WAIT))
    assert refunds == []
    assert stopped.value.outcome.transfer_note == "wants a person"
    assert [item.name for item in stopped.value.state.get_interruptions()] == ["refund"]


def test_resumedRunState_fromJson_raisesNoSecondTicket(helpline_broker, human):
    """The human answered, the process stopped before running on; the state saved as JSON is
    loaded by another process, whose resolve() finds the ticket and its answer."""
    refunds = []
    human.decide = lambda ticket: Answer.approve()
    agent, model = refund_agent(refunds)

    async def scenario():
        first = await Runner.run(agent, "Refund order 1182.")
        saved = first.to_state().to_string()
        async with AsyncClient(helpline_broker.endpoint, heartbeat=0.25) as before_crash:
            await hl.resolve(first, client=before_crash, conversation="c-5", timeout=WAIT)
        # ... the process stops here; another one loads the saved state ...
        async with AsyncClient(helpline_broker.endpoint, heartbeat=0.25) as after_restart:
            state = await RunState.from_string(agent, saved)
            state = await hl.resolve(state, client=after_restart, conversation="c-5", timeout=WAIT)
            return await Runner.run(agent, state)

    result = run(scenario())
    assert result.final_output == "Done."
    assert refunds == [("1182", 240)]
    assert len(human.tickets) == 1


def test_humanTool_answersTheModel(human, client):
    human.decide = lambda ticket: Answer.reply("Yes, courier is fine.")
    model = ScriptedModel([[function_call("ask_human", {"question": "May I send it by courier?"}, call_id="q-1")],
                           [assistant_message("Sending by courier.")]])
    agent = Agent(name="support", model=model, tools=[hl.human_tool(client=client, skills=[])])
    result = run(Runner.run(agent, "Ship order 7."))
    assert result.final_output == "Sending by courier."
    assert tool_outputs(model) == ["Yes, courier is fine."]
    assert human.tickets[0].prompt == "May I send it by courier?"


def test_humanTool_transfer_endsTheRun(human, client):
    human.decide = lambda ticket: Transfer("angry customer")
    model = ScriptedModel([[function_call("ask_human", {"question": "Refund?"}, call_id="q-2")],
                           [assistant_message("never reached")]])
    agent = Agent(name="support", model=model, tools=[hl.human_tool(client=client)])
    with pytest.raises(Transferred):
        run(Runner.run(agent, "I want a person."))
    assert len(model.calls) == 1  # the model was not asked again


def test_example_tellsTheModelTheReason(helpline_broker, human):
    human.decide = lambda ticket: Answer.reject("no photo of the damage")
    out = run_example("openai_agents/refund_agent.py", helpline_broker.endpoint)
    assert "tool_call_output_item: no photo of the damage" in out
