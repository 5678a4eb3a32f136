"""An AG2 Classic chat whose user proxy is a human reached through Helpline.

The assistant has no LLM (`llm_config=False`, scripted replies). The proxy runs with
`human_input_mode="ALWAYS"`: at each turn a human sees the chat and answers in words (the
proxy's reply), approves (empty: AG2's auto-reply), or rejects / picks "exit" (the chat
ends). A transfer to a live agent ends the chat too.

    make run                                   # terminal 1: the broker
    .build/release/helpline console --name ana # terminal 2: the human
    pip install "clients/python[ag2]"
    python examples/ag2/refund_chat.py         # terminal 3: the agents
"""

from __future__ import annotations

from autogen import Agent, ConversableAgent

from helpline.ag2 import HelplineUserProxyAgent

SCRIPT = iter([
    "I can refund 240 EUR on order 1182. Shall I?",
    "Refund sent. Anything else?",
])


def scripted_reply(recipient, messages=None, sender=None, config=None):
    return True, next(SCRIPT, "TERMINATE")


def main() -> None:
    assistant = ConversableAgent("assistant", llm_config=False, human_input_mode="NEVER")
    assistant.register_reply([Agent, None], scripted_reply)
    customer = HelplineUserProxyAgent("customer_proxy", human_input_mode="ALWAYS", code_execution_config=False,
                                      skills=[], max_consecutive_auto_reply=3)
    customer.initiate_chat(assistant, message="My parcel arrived broken (order 1182).", max_turns=4)
    if customer.transferred is not None:
        print(f"a live agent took the chat over: {customer.transferred.transfer_note}")


if __name__ == "__main__":
    main()
