"""`helpline.langgraph` against the real broker: a LangChain v1 agent with
`HumanInTheLoopMiddleware` on LangChain's own fake chat model, and a hand-made graph whose
node asks a human; a scripted human answers through `helpline.Worker`."""

from __future__ import annotations

import pytest

pytest.importorskip("langgraph")
pytest.importorskip("langchain")

from langchain.agents import create_agent  # noqa: E402
from langchain.agents.middleware import HumanInTheLoopMiddleware  # noqa: E402
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel  # noqa: E402
from langchain_core.messages import AIMessage, ToolMessage  # noqa: E402
from langchain_core.tools import tool  # noqa: E402
from langgraph.checkpoint.memory import InMemorySaver  # noqa: E402
from langgraph.graph import END, START, StateGraph  # noqa: E402
from langgraph.types import Command, interrupt  # noqa: E402
from typing_extensions import TypedDict  # noqa: E402

from helpline import Answer, Client, Transfer, Transferred  # noqa: E402
from helpline import langgraph as hl  # noqa: E402

from ..test_integration import WAIT  # noqa: E402
from .conftest import run_example  # noqa: E402


class FakeModel(GenericFakeChatModel):
    """LangChain's scripted chat model; `create_agent` binds tools, which it ignores."""

    def bind_tools(self, tools, **kwargs):
        return self


def refund_agent(refunds: list, mode: str = "batched", allowed=("approve", "edit", "reject", "respond")):
    @tool
    def refund(order: str, amount: int) -> str:
        """Refund an order."""
        refunds.append((order, amount))
        return f"Refunded {amount} EUR on order {order}."

    model = FakeModel(messages=iter([
        AIMessage(content="", tool_calls=[{"name": "refund", "args": {"order": "1182", "amount": 240},
                                           "id": "call-1"}]),
        AIMessage(content="All done."),
    ]))
    return create_agent(model, tools=[refund], checkpointer=InMemorySaver(), middleware=[
        HumanInTheLoopMiddleware(interrupt_on={"refund": {"allowed_decisions": list(allowed)}},
                                 interrupt_mode=mode)])


def start(thread: str):
    return {"messages": [{"role": "user", "content": "Refund order 1182, it arrived broken."}]}, \
        {"configurable": {"thread_id": thread}}


def tool_message(result) -> ToolMessage:
    (message,) = [m for m in result["messages"] if isinstance(m, ToolMessage)]
    return message


@pytest.mark.parametrize("mode", ["batched", "per_call"])
def test_approve_runsTheTool_asProposed(human, client, mode):
    refunds = []
    human.decide = lambda ticket: Answer.approve()
    result = hl.run(refund_agent(refunds, mode), *start(f"t-approve-{mode}"), client=client, timeout=WAIT)
    assert refunds == [("1182", 240)]
    assert result["messages"][-1].content == "All done."
    (ticket,) = human.tickets
    assert ticket.proposed == {"order": "1182", "amount": 240}
    assert ticket.options == ("approve", "edit", "reject", "respond")  # allowed_decisions
    assert ticket.context["action"] == "refund"


@pytest.mark.parametrize("mode", ["batched", "per_call"])
def test_reject_skipsTheTool_andTellsTheModelWhy(human, client, mode):
    refunds = []
    human.decide = lambda ticket: Answer.reject("no photo of the damage")
    result = hl.run(refund_agent(refunds, mode), *start(f"t-reject-{mode}"), client=client, timeout=WAIT)
    assert refunds == []
    message = tool_message(result)
    assert message.status == "error" and "no photo of the damage" in message.content


@pytest.mark.parametrize("mode", ["batched", "per_call"])
def test_edit_runsTheTool_withTheHumansArguments(human, client, mode):
    refunds = []
    human.decide = lambda ticket: Answer.edit({"order": "1182", "amount": 120})
    hl.run(refund_agent(refunds, mode), *start(f"t-edit-{mode}"), client=client, timeout=WAIT)
    assert refunds == [("1182", 120)]


def test_answer_isTheMiddlewaresRespond(human, client):
    refunds = []
    human.decide = lambda ticket: Answer.reply("Refunds over 200 EUR need a photo: ask for one.")
    result = hl.run(refund_agent(refunds), *start("t-respond"), client=client, timeout=WAIT)
    assert refunds == []
    message = tool_message(result)
    assert message.status == "success" and message.content == "Refunds over 200 EUR need a photo: ask for one."


def test_allowedDecisions_areTheOptions_andAnEditNotAllowed_becomesAReject(human, client):
    refunds = []
    human.decide = lambda ticket: Answer.edit({"order": "1182", "amount": 120})
    result = hl.run(refund_agent(refunds, "per_call", allowed=("approve", "reject")), *start("t-narrow"),
                    client=client, timeout=WAIT)
    assert human.tickets[0].options == ("approve", "reject")
    assert refunds == []  # LangChain would have refused the edit; the tool did not run
    assert "not allowed" in tool_message(result).content and "120" in tool_message(result).content


def test_optionButton_approves(human, client):
    refunds = []
    human.decide = lambda ticket: Answer.choose("approve")
    hl.run(refund_agent(refunds), *start("t-option"), client=client, timeout=WAIT)
    assert refunds == [("1182", 240)]


def test_transfer_stopsTheRun_graphStaysPaused(human, client):
    refunds = []
    human.decide = lambda ticket: Transfer("customer is angry")
    agent = refund_agent(refunds)
    thread = start("t-transfer")
    with pytest.raises(Transferred) as stopped:
        hl.run(agent, *thread, client=client, timeout=WAIT)
    assert stopped.value.outcome.transfer_note == "customer is angry"
    assert refunds == []
    assert len(hl.pending(agent, thread[1])) == 1  # still paused at its interrupt, checkpoint intact


def test_driverRerun_afterACrash_reusesTheTicket(helpline_broker, human):
    """A driver that dies after the human answered, before it resumed: the next driver finds
    the same ticket (same thread + interrupt id) and its answer; the human is asked once."""
    refunds = []
    human.decide = lambda ticket: Answer.approve()
    agent = refund_agent(refunds)
    inputs, config = start("t-crash")
    agent.invoke(inputs, config)
    with Client(helpline_broker.endpoint, heartbeat=0.25) as first:
        decisions = hl.resolve(agent, config, client=first, timeout=WAIT)
    # ... the process dies here, before Command(resume=...) ...
    with Client(helpline_broker.endpoint, heartbeat=0.25) as second:
        assert hl.resolve(agent, config, client=second, timeout=WAIT) == decisions
        hl.run(agent, None, config, client=second, timeout=WAIT)
    assert len(human.tickets) == 1
    assert refunds == [("1182", 240)]


class Claim(TypedDict, total=False):
    order: str
    advice: str
    confirmed: str


def test_nodeRerun_reusesItsTicket_neverAsksTwice(human, client):
    """The node asks a human (blocking), then pauses on interrupt(); on resume LangGraph runs
    the node again from its start: its ask() finds the same ticket and the stored answer."""
    runs = []
    human.decide = lambda ticket: Answer.reply("Offer a voucher.")

    def handle(state: Claim) -> Claim:
        runs.append(state["order"])
        advice = hl.ask(f"How do we settle order {state['order']}?", client=client, timeout=WAIT)
        confirmed = interrupt({"advice": advice.text})
        return {"advice": advice.text, "confirmed": confirmed}

    builder = StateGraph(Claim)
    builder.add_node("handle", handle)
    builder.add_edge(START, "handle")
    builder.add_edge("handle", END)
    graph = builder.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t-node"}}
    graph.invoke({"order": "1182"}, config)
    result = graph.invoke(Command(resume="yes"), config)
    assert runs == ["1182", "1182"]  # the node did run twice
    assert result == {"order": "1182", "advice": "Offer a voucher.", "confirmed": "yes"}
    assert len(human.tickets) == 1


def test_questionInterrupt_resumesWithTheReply(human, client):
    human.decide = lambda ticket: Answer.choose("courier", "today")

    def pick(state: Claim) -> Claim:
        return {"advice": interrupt({"question": "Courier or post?", "options": ["courier", "post"]})["option"]}

    builder = StateGraph(Claim)
    builder.add_node("pick", pick)
    builder.add_edge(START, "pick")
    builder.add_edge("pick", END)
    graph = builder.compile(checkpointer=InMemorySaver())
    result = hl.run(graph, {"order": "7"}, {"configurable": {"thread_id": "t-question"}}, client=client,
                    timeout=WAIT)
    assert result["advice"] == "courier"
    assert human.tickets[0].options == ("courier", "post")


def test_example_refundsWhatTheHumanEdited(helpline_broker, human):
    human.decide = lambda ticket: Answer.edit({"order": "1182", "amount": 120})
    out = run_example("langgraph/refund_agent.py", helpline_broker.endpoint)
    assert "Refunded 120 EUR on order 1182." in out
