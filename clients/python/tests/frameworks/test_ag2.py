"""`helpline.ag2` against the real broker: AG2 Classic agents with `llm_config=False` and
scripted replies (no LLM), a scripted human answering through `helpline.Worker`."""

from __future__ import annotations

import pytest

autogen = pytest.importorskip("autogen")

from autogen import Agent, ConversableAgent  # noqa: E402

from helpline import Answer, Transfer  # noqa: E402
from helpline.ag2 import HelplineUserProxyAgent  # noqa: E402

from ..test_integration import WAIT  # noqa: E402
from .conftest import run_example  # noqa: E402


def scripted_assistant(*lines: str) -> ConversableAgent:
    """An assistant with no LLM: it says `lines` in turn, then TERMINATE."""
    assistant = ConversableAgent("assistant", llm_config=False, human_input_mode="NEVER")
    script = iter(lines)

    def reply(recipient, messages=None, sender=None, config=None):
        return True, next(script, "TERMINATE")

    assistant.register_reply([Agent, None], reply)
    return assistant


def proxy(client, mode="ALWAYS", conversation=None) -> HelplineUserProxyAgent:
    return HelplineUserProxyAgent("customer_proxy", client=client, human_input_mode=mode, conversation=conversation,
                                  code_execution_config=False, timeout=WAIT, max_consecutive_auto_reply=2)


def said_to_assistant(assistant, user) -> list:
    return [m["content"] for m in assistant.chat_messages[user] if m.get("role") == "user"]


def test_humanWords_areTheReply_andReject_exits(human, client):
    decisions = iter([Answer.reply("Make it 120 EUR."), Answer.reject("enough")])
    human.decide = lambda ticket: next(decisions)
    assistant = scripted_assistant("I propose a refund of 240 EUR on order 1182.", "Refunding 120 EUR.")
    user = proxy(client)
    user.initiate_chat(assistant, message="My parcel arrived broken.", max_turns=5)
    assert said_to_assistant(assistant, user) == ["My parcel arrived broken.", "Make it 120 EUR."]
    first, second = human.tickets
    assert first.proposed == "I propose a refund of 240 EUR on order 1182."
    assert "exit" in first.prompt and first.options == ("auto-reply", "exit")
    assert [line["content"] for line in first.transcript] == [
        "My parcel arrived broken.", "I propose a refund of 240 EUR on order 1182."]
    assert user.last_outcome.decision == "reject" and user.last_outcome.text == "enough"


def test_approve_isAnEmptyReply_soAG2AutoReplies(human, client):
    decisions = iter([Answer.approve(), Answer.choose("exit")])
    human.decide = lambda ticket: next(decisions)
    assistant = scripted_assistant("Shall I refund 240 EUR?", "Done.")
    user = proxy(client)
    user.initiate_chat(assistant, message="Refund order 1182.", max_turns=5)
    # Empty human input: AG2's own auto-reply went (UserProxyAgent's default is ""): the
    # conversation went on to the assistant's second line, which the human ended.
    assert [m["content"] for m in user.chat_messages[assistant] if m.get("name") == "assistant"] == [
        "Shall I refund 240 EUR?", "Done."]
    assert len(human.tickets) == 2


def test_edit_isTheHumansCorrectedReply(human, client):
    decisions = iter([Answer.edit("Refund 120 EUR, not 240."), Answer.reject()])
    human.decide = lambda ticket: next(decisions)
    assistant = scripted_assistant("Refund 240 EUR?", "OK, 120 EUR.")
    user = proxy(client)
    user.initiate_chat(assistant, message="Refund order 1182.", max_turns=5)
    assert said_to_assistant(assistant, user)[1] == "Refund 120 EUR, not 240."
    assert human.tickets[0].proposed == "Refund 240 EUR?"


def test_transfer_endsTheChatCleanly(human, client):
    human.decide = lambda ticket: Transfer("wants a person")
    assistant = scripted_assistant("Refund 240 EUR?", "never said")
    user = proxy(client)
    result = user.initiate_chat(assistant, message="I want a person.", max_turns=5)
    assert user.transferred is not None and user.transferred.transfer_note == "wants a person"
    assert [m["content"] for m in result.chat_history] == ["I want a person.", "Refund 240 EUR?"]
    assert len(human.tickets) == 1


def test_terminateMode_asksOnlyAtTheEnd(human, client):
    human.decide = lambda ticket: Answer.choose("exit")
    assistant = scripted_assistant("Working on it.", "Still working.", "Done.")
    user = proxy(client, mode="TERMINATE")
    user.initiate_chat(assistant, message="Refund order 1182.", max_turns=10)
    (ticket,) = human.tickets  # asked once, when the auto-replies ran out (2) — not at every turn
    assert said_to_assistant(assistant, user)[0] == "Refund order 1182."


def test_restartedProxy_sameConversation_raisesNoSecondTicket(human, client):
    """The process stopped after the human answered; the agents are rebuilt with the same
    conversation id and replay the same history: the proxy finds the same ticket."""
    human.decide = lambda ticket: Answer.reply("Make it 120 EUR.") if len(human.tickets) == 1 else Answer.reject()
    for _ in range(2):
        assistant = scripted_assistant("Refund 240 EUR?")
        user = proxy(client, conversation="chat-1182")
        user.initiate_chat(assistant, message="Refund order 1182.", max_turns=2)
        assert said_to_assistant(assistant, user) == ["Refund order 1182.", "Make it 120 EUR."]
    assert len(human.tickets) == 1


def test_example_chatsUntilTheHumanEndsIt(helpline_broker, human):
    decisions = iter([Answer.reply("Yes please."), Answer.choose("exit")])
    human.decide = lambda ticket: next(decisions)
    out = run_example("ag2/refund_chat.py", helpline_broker.endpoint)
    assert "Yes please." in out and "Refund sent. Anything else?" in out
    assert len(human.tickets) == 2
