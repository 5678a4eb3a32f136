"""A CrewAI crew whose refunds, and final answer, a human reviews through Helpline.

The LLM is scripted (a `BaseLLM` returning fixed ReAct text: no LLM, no API key): the
agent calls `refund(order="1182", amount=240)`, gated by `tool_gate` (approve, edit the
arguments, or reject), then gives its answer, which the task's `human_input=True` sends
to a human too (approve, or answer with feedback for the agent to revise).

    make run                                   # terminal 1: the broker
    .build/release/helpline console --name ana # terminal 2: the human
    pip install "clients/python[crewai]"
    python examples/crewai/refund_crew.py      # terminal 3: the crew
"""

from __future__ import annotations

import os

os.environ.setdefault("CREWAI_TRACING_ENABLED", "false")

from crewai import Agent, Crew, Task  # noqa: E402
from crewai.llms.base_llm import BaseLLM  # noqa: E402
from crewai.tools import tool  # noqa: E402

from helpline.crewai import tool_gate, use_helpline  # noqa: E402


class ScriptedLLM(BaseLLM):
    replies: list = []

    def call(self, messages, tools=None, callbacks=None, available_functions=None, from_task=None,
             from_agent=None, response_model=None, **kwargs):
        return self.replies.pop(0) if self.replies else "Thought: done\nFinal Answer: The claim is settled."

    def supports_function_calling(self) -> bool:
        return False


@tool("refund")
def refund(order: str, amount: int) -> str:
    """Refund an order."""
    return f"Refunded {amount} EUR on order {order}."


def main() -> None:
    gate = tool_gate(tools=["refund"])
    use_helpline()
    llm = ScriptedLLM(model="scripted", replies=[
        'Thought: the parcel broke\nAction: refund\nAction Input: {"order": "1182", "amount": 240}',
        "Thought: done\nFinal Answer: I refunded order 1182.",
    ])
    agent = Agent(role="support", goal="Settle claims", backstory="Support desk", llm=llm, tools=[refund])
    task = Task(description="Settle the claim on order 1182 (parcel arrived broken)", expected_output="one sentence",
                agent=agent, human_input=True)
    result = Crew(agents=[agent], tasks=[task]).kickoff()
    if gate.transferred is not None:
        print(f"a live agent took the claim over: {gate.transferred.transfer_note}")
    print(f"final: {result.raw}")


if __name__ == "__main__":
    main()
