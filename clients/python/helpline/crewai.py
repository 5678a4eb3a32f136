"""Helpline for CrewAI (`pip install "helpline[crewai]"`).

- `HelplineHumanInput`: CrewAI's human-input provider (`Task(human_input=True)`), installed
  with `use_helpline()`. The task's answer goes to a human as a ticket (`proposed`):
  approve (or option "approve") accepts it; an answer in words, or a reject with a reason,
  is feedback the agent revises with (then the human is asked again); an edit is the final
  answer itself. A transfer, expiry or cancel raises `Transferred` / `Expired` /
  `Cancelled` out of `kickoff()`: the crew stops (after CrewAI's own retries of the task,
  `max_retry_limit`, which raise again without asking anyone).
- `tool_gate(tools=[...])`: a `before_tool_call` hook: a human approves each call of those
  tools; approve runs it, edit runs it with the edited arguments, anything else blocks it
  (CrewAI tells the model "Tool execution blocked by hook"). CrewAI swallows errors raised
  by hooks, so a transfer also blocks the call and is kept in the gate's `transferred`:
  check it after `kickoff()`.

Ticket ids of the review derive from `conversation`, the task and the answer under review,
so a crew re-run with the same conversation id finds the ticket it raised.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from typing import Any, Callable, Iterable, List, Optional

from crewai.core.providers.human_input import SyncHumanInputProvider, set_provider
from crewai.hooks import before_tool_call

from ._integration import answered, portable, stable_ticket_id
from .client import Client, default_client
from .outcome import ANSWERED, CANCELLED, EXPIRED, Outcome

REJECTED_FEEDBACK = "A human reviewer rejected this answer. Revise it."


class HelplineHumanInput(SyncHumanInputProvider):
    """CrewAI's human feedback on a task's answer, from a Helpline human."""

    def __init__(self, *, client: Optional[Client] = None, skills: Iterable[str] = (),
                 conversation: Optional[str] = None, role: str = "hila", priority: int = 0,
                 max_wait: float = 60.0, deadline: float = 3600.0, timeout: Optional[float] = None):
        self.client = client
        self.conversation = conversation or str(uuid.uuid4())
        self.settings = dict(skills=tuple(skills), role=role, priority=priority, max_wait=max_wait,
                             deadline=deadline, timeout=timeout)
        self.outcomes: List[Outcome] = []
        self.stopped: Optional[Outcome] = None

    def review(self, answer: Any, context: Any, round_number: int) -> Outcome:
        """One ticket about the answer; the human's outcome (raises unless answered).
        CrewAI retries a task that raised (`max_retry_limit`): once a ticket was transferred
        (or expired, cancelled), every retry raises again at once, asking nobody."""
        if self.stopped is not None:
            return answered(self.stopped)
        text = self._get_output_string(answer)
        task = getattr(context, "task", None)
        description = getattr(task, "description", None)
        client = self.client if self.client is not None else default_client()
        outcome = client.ask(
            f"Review the answer to: {description}" if description else "Review the agent's answer",
            ticket_id=stable_ticket_id("crewai", self.conversation, description, round_number, text),
            proposed=text, context={"task": description, "agent": getattr(getattr(context, "agent", None), "role", None),
                                    "expected_output": portable(getattr(task, "expected_output", None))},
            stop_on_transfer=True, **self.settings)
        self.outcomes.append(outcome)
        if outcome.kind != ANSWERED:
            self.stopped = outcome
        return answered(outcome)

    @staticmethod
    def feedback(outcome: Outcome) -> Optional[str]:
        """The feedback string for CrewAI ("" accepts the answer), or None for an edit."""
        decision = outcome.option if outcome.decision == "option" else outcome.decision
        if decision == "approve":
            return ""
        if decision == "edit" and outcome.has_edit:
            return None
        if decision == "reject":
            return outcome.text or REJECTED_FEEDBACK
        return outcome.text or ""

    @staticmethod
    def _edited(answer: Any, outcome: Outcome) -> Any:
        edited = outcome.edited if isinstance(outcome.edited, str) else json.dumps(outcome.edited, default=repr)
        return dataclasses.replace(answer, output=edited, text=edited)  # AgentFinish is a dataclass

    def handle_feedback(self, formatted_answer: Any, context: Any) -> Any:
        answer, round_number = formatted_answer, 0
        while context.ask_for_human_input:
            outcome = self.review(answer, context, round_number)
            feedback = self.feedback(outcome)
            if feedback is None:
                context.ask_for_human_input = False
                return self._edited(answer, outcome)
            if context._is_training_mode():
                return self._handle_training_feedback(answer, feedback, context)
            if feedback.strip() == "":
                context.ask_for_human_input = False
                break
            context.messages.append(context._format_feedback_message(feedback))
            answer = context._invoke_loop()
            round_number += 1
        return answer

    async def handle_feedback_async(self, formatted_answer: Any, context: Any) -> Any:
        answer, round_number = formatted_answer, 0
        while context.ask_for_human_input:
            outcome = await asyncio.to_thread(self.review, answer, context, round_number)
            feedback = self.feedback(outcome)
            if feedback is None:
                context.ask_for_human_input = False
                return self._edited(answer, outcome)
            if context._is_training_mode():
                return await self._handle_training_feedback_async(answer, feedback, context)
            if feedback.strip() == "":
                context.ask_for_human_input = False
                break
            context.messages.append(context._format_feedback_message(feedback))
            answer = await context._ainvoke_loop()
            round_number += 1
        return answer


def use_helpline(**settings: Any) -> HelplineHumanInput:
    """Makes Helpline CrewAI's human-input provider in this context; returns it."""
    provider = HelplineHumanInput(**settings)
    set_provider(provider)
    return provider


class ToolGate:
    """The `before_tool_call` hook `tool_gate` registers; `outcomes` and `transferred`
    tell what the humans decided."""

    def __init__(self, client: Optional[Client], settings: dict):
        self.client = client
        self.settings = settings
        self.outcomes: List[Outcome] = []
        self.transferred: Optional[Outcome] = None

    def __call__(self, context: Any) -> Optional[bool]:
        arguments = dict(context.tool_input)
        shown = ", ".join(f"{key}={value!r}" for key, value in arguments.items())
        client = self.client if self.client is not None else default_client()
        outcome = client.ask(
            f"Approve {context.tool_name}({shown})?", proposed=portable(arguments),
            context={"tool": context.tool_name, "agent": getattr(context.agent, "role", None)},
            ticket_id=f"crewai-{uuid.uuid4()}", stop_on_transfer=True, **self.settings)
        self.outcomes.append(outcome)
        if outcome.kind != ANSWERED:
            if outcome.kind not in (EXPIRED, CANCELLED):
                self.transferred = outcome
            return False
        decision = outcome.option if outcome.decision == "option" else outcome.decision
        if decision == "approve":
            return None
        if decision == "edit" and isinstance(outcome.edited, dict):
            context.tool_input.update(outcome.edited)  # in place: CrewAI runs the tool with this dict
            return None
        return False


def tool_gate(*, tools: Optional[List[str]] = None, agents: Optional[List[str]] = None,
              client: Optional[Client] = None, skills: Iterable[str] = (), role: str = "hila",
              priority: int = 0, max_wait: float = 60.0, deadline: float = 3600.0,
              timeout: Optional[float] = None) -> ToolGate:
    """Registers a `before_tool_call` hook asking a human before each call of `tools` (all
    tools when None) by `agents`; returns it (unregister with CrewAI's
    `unregister_before_tool_call_hook(gate)`)."""
    gate = ToolGate(client, dict(skills=tuple(skills), role=role, priority=priority, max_wait=max_wait,
                                 deadline=deadline, timeout=timeout))
    hook: Callable = before_tool_call(tools=tools, agents=agents)(gate)
    return hook


__all__ = ["HelplineHumanInput", "REJECTED_FEEDBACK", "ToolGate", "tool_gate", "use_helpline"]
