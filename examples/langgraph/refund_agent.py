"""A LangChain v1 agent whose refunds a human approves through Helpline.

The model is LangChain's scripted fake (no LLM): it asks for `refund(order="1182",
amount=240)`. `HumanInTheLoopMiddleware` pauses the agent on that call; `helpline.langgraph.run`
turns the pause into a ticket and resumes the agent with the human's decision (approve,
edit the amount, reject with a reason, or answer in words for the tool).

    make run                                   # terminal 1: the broker
    .build/release/helpline console --name ana # terminal 2: the human
    pip install "clients/python[langgraph]"
    python examples/langgraph/refund_agent.py  # terminal 3: this agent
"""

from __future__ import annotations

from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from helpline import HumanDecision
from helpline import langgraph as helpline_langgraph


class ScriptedModel(GenericFakeChatModel):
    def bind_tools(self, tools, **kwargs):
        return self


@tool
def refund(order: str, amount: int) -> str:
    """Refund an order."""
    return f"Refunded {amount} EUR on order {order}."


def main() -> None:
    model = ScriptedModel(messages=iter([
        AIMessage(content="", tool_calls=[{"name": "refund", "args": {"order": "1182", "amount": 240}, "id": "call-1"}]),
        AIMessage(content="I have handled your refund request."),
    ]))
    agent = create_agent(model, tools=[refund], checkpointer=InMemorySaver(), middleware=[
        HumanInTheLoopMiddleware(interrupt_on={"refund": {"allowed_decisions": ["approve", "edit", "reject"]}})])
    config = {"configurable": {"thread_id": "customer-42"}}
    try:
        result = helpline_langgraph.run(
            agent, {"messages": [{"role": "user", "content": "My parcel arrived broken, refund order 1182."}]},
            config)
    except HumanDecision as stopped:  # Transferred / Expired / Cancelled: the agent stops here
        print(f"stopped: {stopped}")
        return
    for message in result["messages"]:
        print(f"{message.type:>6}: {message.content or message.tool_calls}")


if __name__ == "__main__":
    main()
