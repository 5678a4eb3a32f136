"""Helpline for AG2 (`pip install "helpline[ag2]"`).

AG2 Classic (the `autogen` package): `HelplineUserProxyAgent` is a `UserProxyAgent` whose
human is reached through Helpline. `human_input_mode` works as AG2 documents it (ALWAYS:
asked at every turn; TERMINATE: at the end or when auto-replies run out; NEVER: never);
the human's answer becomes the reply AG2 expects:

| Helpline answer                   | reply to AG2                                       |
|-----------------------------------|----------------------------------------------------|
| answer (free text)                | that text: the human's message to the other agent  |
| approve, option "auto-reply"      | `""`: skip, AG2's auto-reply                        |
| reject, option "exit"             | `"exit"`: end the conversation                     |
| edit                              | the edited content (a string, or JSON): the reply  |
| another option                    | its label (and the human's text after a colon)      |
| transfer, expiry, cancel          | `"exit"`; `transferred` / `last_outcome` tell which |

Each ticket carries AG2's prompt, the conversation so far as its transcript, and the last
message as `proposed`. Ticket ids derive from `conversation` (default: a fresh id per
agent) and the number of messages so far, so an agent rebuilt with the same conversation
id and history (a process restarted mid-chat) finds the ticket it already raised.

AG2 1.x (the `ag2` package): `hitl_hook(...)` returns a hook for `Agent(hitl_hook=...)`:
a question a tool puts to the human (`context.input(...)`) and a tool approval asked by
the `approval_required` middleware each become a ticket, and the human's answer the reply
(see `hitl_reply`).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any, Dict, Iterable, List, Optional

from ._integration import answered, portable, stable_ticket_id
from .client import Client, default_client
from .outcome import ANSWERED, CANCELLED, EXPIRED, Outcome

AUTO_REPLY = "auto-reply"
EXIT = "exit"


def classic_reply(outcome: Outcome) -> str:
    """The string AG2 Classic's `get_human_input` returns for a human's answer."""
    if outcome.kind != ANSWERED:
        return EXIT
    if outcome.decision == "option":
        if outcome.option == AUTO_REPLY:
            return ""
        if outcome.option == EXIT:
            return EXIT
        return outcome.option + (f": {outcome.text}" if outcome.text else "")
    if outcome.decision == "approve":
        return ""
    if outcome.decision == "reject":
        return EXIT
    if outcome.decision == "edit" and outcome.has_edit:
        edited = outcome.edited
        return edited if isinstance(edited, str) else json.dumps(edited, default=repr)
    return outcome.text or ""


def _transcript(chat_messages: Dict[Any, List[Dict[str, Any]]]) -> List[Dict[str, Any]]:
    transcript = []
    for partner, messages in chat_messages.items():
        for message in messages:
            transcript.append({"with": getattr(partner, "name", str(partner)), "role": message.get("role"),
                               "name": message.get("name"), "content": portable(message.get("content"))})
    return transcript


try:
    from autogen import UserProxyAgent as _UserProxyAgent
except ImportError:  # AG2 Classic not installed: only `hitl_hook` (AG2 1.x) is available
    _UserProxyAgent = None


if _UserProxyAgent is None:
    def HelplineUserProxyAgent(*args: Any, **kwargs: Any):  # noqa: N802 - stands in for the class
        raise ImportError('HelplineUserProxyAgent needs AG2 Classic: pip install "helpline[ag2]"')
else:
    class HelplineUserProxyAgent(_UserProxyAgent):
        """An AG2 Classic `UserProxyAgent` whose human answers through Helpline.

        >>> proxy = HelplineUserProxyAgent("customer_proxy", human_input_mode="ALWAYS",
        ...                                skills=["refunds"], code_execution_config=False)
        >>> proxy.initiate_chat(assistant, message="Refund order 1182")
        """

        def __init__(self, name: str, *, client: Optional[Client] = None, skills: Iterable[str] = (),
                     conversation: Optional[str] = None, role: str = "hila", priority: int = 0,
                     max_wait: float = 60.0, deadline: float = 3600.0, timeout: Optional[float] = None,
                     options: Iterable[str] = (AUTO_REPLY, EXIT), **kwargs: Any):
            super().__init__(name, **kwargs)
            self.helpline_client = client
            self.helpline_settings = dict(skills=tuple(skills), role=role, priority=priority, max_wait=max_wait,
                                          deadline=deadline, timeout=timeout, options=tuple(options))
            self.conversation = conversation or str(uuid.uuid4())
            self.last_outcome: Optional[Outcome] = None
            self.transferred: Optional[Outcome] = None

        def ask_helpline(self, prompt: str) -> str:
            """One ticket for AG2's prompt; the reply AG2 expects (see the module's table)."""
            count = sum(len(messages) for messages in self.chat_messages.values())
            messages = [m for chat in self.chat_messages.values() for m in chat]
            last = messages[-1].get("content") if messages else None
            client = self.helpline_client if self.helpline_client is not None else default_client()
            outcome = client.ask(
                prompt, ticket_id=stable_ticket_id("ag2", self.conversation, self.name, count),
                transcript=_transcript(self.chat_messages), proposed=portable(last),
                context={"agent": self.name, "human_input_mode": self.human_input_mode},
                stop_on_transfer=True, **self.helpline_settings)
            self.last_outcome = outcome
            if outcome.kind not in (ANSWERED, EXPIRED, CANCELLED):
                self.transferred = outcome
            return classic_reply(outcome)

        def get_human_input(self, prompt: str, *, iostream: Any = None) -> str:
            reply = self.ask_helpline(prompt)
            process = getattr(self, "_process_human_input", None)
            if process is not None:
                processed = process(reply)
                reply = reply if processed is None else processed
            history = getattr(self, "_human_input", None)
            if history is not None:
                history.append(reply)
            return reply

        async def a_get_human_input(self, prompt: str, *, iostream: Any = None) -> str:
            return await asyncio.to_thread(self.get_human_input, prompt)


def hitl_reply(outcome: Outcome, approval: bool) -> str:
    """The string an AG2 1.x hook returns for a human's answer. For a tool approval
    (`approval_required` middleware, which runs the tool on "yes" or "always"): approve ->
    "yes", reject and anything else -> "no" (AG2 then gives the model its fixed
    `denied_message`; the human's reason stays in the ticket's outcome), option "always" ->
    "always". For a question: the human's text, an option's label, an edit's content."""
    decision = outcome.option if outcome.decision == "option" else outcome.decision
    if approval:
        return {"approve": "yes", "always": "always"}.get(decision or "", "no")
    if outcome.decision == "option":
        return outcome.option + (f": {outcome.text}" if outcome.text else "")
    if outcome.decision == "edit" and outcome.has_edit:
        edited = outcome.edited
        return edited if isinstance(edited, str) else json.dumps(edited, default=repr)
    return outcome.text or outcome.decision or ""


def hitl_hook(*, client: Optional[Client] = None, skills: Iterable[str] = (), options: Iterable[str] = (),
              conversation: Optional[str] = None, role: str = "hila", priority: int = 0,
              max_wait: float = 60.0, deadline: float = 3600.0, timeout: Optional[float] = None):
    """A hook for AG2 1.x `Agent(hitl_hook=...)`: each human-input request (a tool's
    `context.input(...)`, a `ToolApprovalRequest` from `approval_required`) is a ticket;
    the hook returns `hitl_reply`. A tool approval's ticket id derives from `conversation`
    and the model's tool call id, so the same call is never asked about twice. A transfer,
    expiry or cancel raises `Transferred` / `Expired` / `Cancelled`, which AG2 reports as
    the human channel failing (`HumanInputError`): the turn ends, the tool did not run."""
    conversation = conversation or str(uuid.uuid4())

    async def ask_helpline(event) -> str:
        call_id = getattr(event, "tool_call_id", None)
        approval = call_id is not None
        key = ("approval", call_id) if approval else ("question", getattr(event, "id", None) or uuid.uuid4())
        allowed = tuple(options) or (("always",) if approval and "always" in event.content.lower() else ())
        asker = client if client is not None else default_client()
        outcome = await asyncio.to_thread(
            asker.ask, event.content, ticket_id=stable_ticket_id("ag2", conversation, *key),
            context={"tool_call_id": call_id} if approval else None, options=allowed, skills=tuple(skills),
            role=role, priority=priority, max_wait=max_wait, deadline=deadline, timeout=timeout,
            stop_on_transfer=True)
        return hitl_reply(answered(outcome), approval)

    return ask_helpline


__all__ = ["AUTO_REPLY", "EXIT", "HelplineUserProxyAgent", "classic_reply", "hitl_hook", "hitl_reply"]
