"""An OpenAI Agents SDK agent whose refunds a human approves through Helpline.

The model is the SDK's scripted test model (no LLM, no API key): it calls
`refund(order="1182", amount=240)`, a tool made with `needs_approval=True`, then answers.
`helpline.openai_agents.run` turns the pending approval into a ticket and runs on with the
human's decision. An edit reaches the model as a rejection carrying the edited arguments
(the SDK has no "edit"); here the script then calls the tool with them, gated again.

    make run                                       # terminal 1: the broker
    .build/release/helpline console --name ana     # terminal 2: the human
    pip install "clients/python[openai-agents]"
    python examples/openai_agents/refund_agent.py  # terminal 3: this agent
"""

from __future__ import annotations

import asyncio
import uuid

from agents import Agent, function_tool, set_tracing_disabled
from agents.testing import ScriptedModel, assistant_message, function_call

from helpline import HumanDecision
from helpline import openai_agents as helpline_agents


@function_tool(needs_approval=True)
def refund(order: str, amount: int) -> str:
    """Refund an order."""
    return f"Refunded {amount} EUR on order {order}."


async def main() -> None:
    set_tracing_disabled(True)  # no API key: nothing to export traces to
    model = ScriptedModel([
        [function_call("refund", {"order": "1182", "amount": 240}, call_id="call-1")],
        [assistant_message("I have handled your refund request.")],
    ])
    agent = Agent(name="support", model=model, tools=[refund, helpline_agents.human_tool()])
    try:
        result = await helpline_agents.run(agent, "My parcel arrived broken, refund order 1182.",
                                           conversation=f"customer-42-{uuid.uuid4()}")
    except HumanDecision as stopped:  # Transferred / Expired / Cancelled: the agent stops here
        print(f"stopped: {stopped}")
        return
    for item in result.new_items:
        print(f"{item.type}: {getattr(item, 'output', '') or ''}")
    print(f"final: {result.final_output}")


if __name__ == "__main__":
    asyncio.run(main())
