"""`helpline.crewai` against the real broker, with a scripted CrewAI LLM (a `BaseLLM`
returning fixed ReAct text: no LLM) and a scripted human answering through `helpline.Worker`.
CrewAI is about 1 GB installed: these tests run with `make -C clients/python test-crewai`
only, not in `make test`; elsewhere they are skipped."""

from __future__ import annotations

import os
import tempfile

import pytest

# CrewAI writes under ~/.config and ~/.local/share at import: keep that out of the home folder.
_HOME = tempfile.mkdtemp(prefix="helpline-crewai-")
os.environ.setdefault("CREWAI_TRACING_ENABLED", "false")
os.environ.setdefault("OTEL_SDK_DISABLED", "true")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")

pytest.importorskip("crewai")

from crewai import Agent, Crew, Task  # noqa: E402
from crewai.core.providers.human_input import SyncHumanInputProvider, set_provider  # noqa: E402
from crewai.hooks import unregister_before_tool_call_hook  # noqa: E402
from crewai.llms.base_llm import BaseLLM  # noqa: E402
from crewai.tools import tool  # noqa: E402

from helpline import Answer, Transfer, Transferred  # noqa: E402
from helpline.crewai import REJECTED_FEEDBACK, tool_gate, use_helpline  # noqa: E402

from ..test_integration import WAIT  # noqa: E402
from .conftest import run_example  # noqa: E402


class ScriptedLLM(BaseLLM):
    """CrewAI's LLM interface, answering with the next scripted ReAct text."""

    replies: list = []
    seen: list = []

    def call(self, messages, tools=None, callbacks=None, available_functions=None, from_task=None,
             from_agent=None, response_model=None, **kwargs):
        self.seen.append(messages)
        return self.replies.pop(0)

    def supports_function_calling(self) -> bool:
        return False


REFUND_CALL = 'Thought: refund it\nAction: refund\nAction Input: {"order": "1182", "amount": 240}'


def final(text: str) -> str:
    return f"Thought: done\nFinal Answer: {text}"


def crew(replies, refunds, human_input=False):
    @tool("refund")
    def refund(order: str, amount: int) -> str:
        """Refund an order."""
        refunds.append((order, amount))
        return f"Refunded {amount} EUR on order {order}."

    llm = ScriptedLLM(model="scripted", replies=list(replies), seen=[])
    agent = Agent(role="support", goal="Settle claims", backstory="Support desk", llm=llm, tools=[refund])
    task = Task(description="Settle the claim on order 1182", expected_output="one sentence", agent=agent,
                human_input=human_input)
    return Crew(agents=[agent], tasks=[task]), llm


@pytest.fixture
def gate(client):
    hooks = []

    def install():
        hooks.append(tool_gate(tools=["refund"], client=client, timeout=WAIT))
        return hooks[-1]

    yield install
    for hook in hooks:
        unregister_before_tool_call_hook(hook)


@pytest.fixture
def feedback(client):
    provider = use_helpline(client=client, timeout=WAIT)
    yield provider
    set_provider(SyncHumanInputProvider())


def test_gate_approve_runsTheTool(human, gate):
    refunds = []
    human.decide = lambda ticket: Answer.approve()
    gate()
    crew([REFUND_CALL, final("Refunded.")], refunds)[0].kickoff()
    assert refunds == [("1182", 240)]
    assert human.tickets[0].proposed == {"order": "1182", "amount": 240}


def test_gate_edit_runsWithTheEditedArguments(human, gate):
    refunds = []
    human.decide = lambda ticket: Answer.edit({"amount": 120})
    gate()
    crew([REFUND_CALL, final("Refunded.")], refunds)[0].kickoff()
    assert refunds == [("1182", 120)]


def test_gate_reject_blocksTheTool(human, gate):
    refunds = []
    human.decide = lambda ticket: Answer.reject("no photo")
    gate()
    team, llm = crew([REFUND_CALL, final("Not refunded.")], refunds)
    team.kickoff()
    assert refunds == []
    assert any("blocked" in str(seen) for seen in llm.seen)


def test_gate_transfer_blocksTheTool_andIsKept(human, gate):
    refunds = []
    human.decide = lambda ticket: Transfer("wants a person")
    hook = gate()
    crew([REFUND_CALL, final("Handed over.")], refunds)[0].kickoff()
    assert refunds == []
    assert hook.transferred is not None and hook.transferred.transfer_note == "wants a person"


def test_review_approve_acceptsTheAnswer(human, feedback):
    human.decide = lambda ticket: Answer.approve()
    result = crew([final("Refund 240 EUR.")], [], human_input=True)[0].kickoff()
    assert result.raw == "Refund 240 EUR."
    assert human.tickets[0].proposed == "Refund 240 EUR."


def test_review_words_areFeedback_thenAskedAgain(human, feedback):
    decisions = iter([Answer.reply("Offer 120 EUR instead."), Answer.approve()])
    human.decide = lambda ticket: next(decisions)
    team, llm = crew([final("Refund 240 EUR."), final("Refund 120 EUR.")], [], human_input=True)
    assert team.kickoff().raw == "Refund 120 EUR."
    assert "Offer 120 EUR instead." in str(llm.seen[-1])
    assert [t.proposed for t in human.tickets] == ["Refund 240 EUR.", "Refund 120 EUR."]


def test_review_reject_isFeedbackToRevise(human, feedback):
    decisions = iter([Answer.reject(), Answer.approve()])
    human.decide = lambda ticket: next(decisions)
    team, llm = crew([final("Refund 240 EUR."), final("Refund 120 EUR.")], [], human_input=True)
    assert team.kickoff().raw == "Refund 120 EUR."
    assert REJECTED_FEEDBACK in str(llm.seen[-1])


def test_review_edit_isTheFinalAnswer(human, feedback):
    human.decide = lambda ticket: Answer.edit("Refund 100 EUR and apologise.")
    team, llm = crew([final("Refund 240 EUR.")], [], human_input=True)
    assert team.kickoff().raw == "Refund 100 EUR and apologise."
    assert len(llm.seen) == 1


def test_review_transfer_stopsTheCrew_retriesAskNobody(human, feedback):
    """CrewAI retries a task that raised (twice by default): each retry stops at once."""
    human.decide = lambda ticket: Transfer("wants a person")
    with pytest.raises(Transferred):
        crew([final("Refund 240 EUR.")] * 3, [], human_input=True)[0].kickoff()
    assert len(human.tickets) == 1


def test_example_gatesAndReviews(helpline_broker, human):
    human.decide = lambda ticket: Answer.edit({"amount": 120}) if ticket.prompt.startswith("Approve") \
        else Answer.approve()
    out = run_example("crewai/refund_crew.py", helpline_broker.endpoint)
    assert "final: I refunded order 1182." in out
    assert [t.prompt.split("(")[0] for t in human.tickets] == ["Approve refund", "Review the answer to: Settle the claim on order 1182 "]
