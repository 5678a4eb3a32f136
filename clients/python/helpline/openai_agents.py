"""Helpline for the OpenAI Agents SDK (`pip install "helpline[openai-agents]"`).

- `run(agent, input)`: `Runner.run`, and while the result has `interruptions` (tools made
  with `function_tool(needs_approval=...)`), each one becomes a Helpline ticket and the run
  goes on with the human's decisions. `resolve(result_or_state)` does one round and
  returns the `RunState` to run again (keep it as JSON with `state.to_string()` if the
  process may stop while the human thinks).
- `human_tool()`: a `function_tool` the model calls to ask a human (`human_as_tool`).

Decisions: approve (or option "approve") → `state.approve(item)`; reject (or option
"reject") → `state.reject(item, rejection_message=<the human's reason>)`. The SDK has no
"edit": an edit becomes a reject whose message gives the model the edited arguments
(`EDIT_MESSAGE`), so it calls the tool again with them — and that call is gated again. An
answer in words, on an approval, is not a yes: a reject with the human's words as message.

Ticket ids derive from `conversation` (pass your conversation or session id), the tool
call id, tool name and arguments: resolving the same interruptions again — a run state
loaded from JSON after a restart — finds the same tickets and their answers, and never
asks twice. A ticket sent to live agents, unanswered in time, or cancelled stops the run:
`helpline.Transferred` / `Expired` / `Cancelled` is raised, carrying the run state
(`.state`, no decision applied) and nothing of the pending calls ran.
"""

from __future__ import annotations

import asyncio
import functools
import json
from typing import Any, Iterable, Optional, Union

from agents import Agent, FunctionTool, RunResult, Runner, function_tool
from agents.exceptions import AgentsException
from agents.run_state import RunState

from ._integration import stable_ticket_id, stop_error
from .aio import AsyncClient
from .approval import human_as_tool
from .client import Client, default_client
from .errors import Transferred
from .outcome import ANSWERED, Outcome

EDIT_MESSAGE = ("A human reviewer did not run this call as proposed and edited its arguments. "
                "Call `{name}` again with exactly these arguments: {arguments}")

AnyClient = Union[Client, AsyncClient]


async def ask(client: Optional[AnyClient], prompt: str, **settings: Any) -> Outcome:
    """`ask` on either client kind, without blocking the event loop."""
    client = client if client is not None else default_client()
    if isinstance(client, AsyncClient):
        return await client.ask(prompt, **settings)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(client.ask, prompt, **settings))


def _arguments(item: Any) -> Any:
    try:
        return json.loads(item.arguments) if item.arguments else {}
    except ValueError:
        return item.arguments


def _call_id(item: Any) -> str:
    raw = item.raw_item
    value = raw.get("call_id") if isinstance(raw, dict) else getattr(raw, "call_id", None)
    return str(value or getattr(raw, "id", "") or "")


def _stop(outcome: Outcome, state: RunState) -> Exception:
    error = stop_error(outcome)
    error.state = state
    return error


def apply_decision(state: RunState, item: Any, outcome: Outcome) -> None:
    """Approves or rejects one interruption on `state` after the human's answer."""
    decision = outcome.option if outcome.decision == "option" else outcome.decision
    if decision == "approve":
        state.approve(item)
    elif decision == "edit" and outcome.has_edit:
        edited = json.dumps(outcome.edited, separators=(",", ":"), default=repr)
        state.reject(item, rejection_message=EDIT_MESSAGE.format(name=item.name, arguments=edited))
    else:  # reject, an answer in words, another option: not a yes
        state.reject(item, rejection_message=outcome.text or None)


async def resolve(result: Union[RunResult, RunState], *, client: Optional[AnyClient] = None,
                  conversation: str = "", skills: Iterable[str] = (), options: Iterable[str] = (),
                  role: str = "hila", priority: int = 0, max_wait: float = 60.0,
                  deadline: float = 3600.0, timeout: Optional[float] = None) -> RunState:
    """Asks a human about each interruption of `result` (a `RunResult` or a `RunState`);
    returns the state with every decision applied, for `Runner.run(agent, state)`."""
    state = result.to_state() if hasattr(result, "to_state") else result
    for item in state.get_interruptions():
        arguments = _arguments(item)
        shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items()) if isinstance(arguments, dict) else arguments
        outcome = await ask(
            client, f"Approve {item.name}({shown})?", proposed=arguments,
            ticket_id=stable_ticket_id("oa", conversation, _call_id(item), item.name, item.arguments),
            context={"tool": item.name, "call_id": _call_id(item), "agent": getattr(item.agent, "name", None)},
            skills=tuple(skills), options=tuple(options), role=role, priority=priority, max_wait=max_wait,
            deadline=deadline, timeout=timeout, stop_on_transfer=True)
        if outcome.kind != ANSWERED:
            raise _stop(outcome, state)
        apply_decision(state, item, outcome)
    return state


async def run(agent: Agent, input: Union[str, list, RunState], *, client: Optional[AnyClient] = None,
              conversation: str = "", max_rounds: int = 20, skills: Iterable[str] = (),
              max_wait: float = 60.0, deadline: float = 3600.0, timeout: Optional[float] = None,
              **runner: Any) -> RunResult:
    """`Runner.run(agent, input, **runner)`, then resolves interruptions through Helpline and
    runs again until the result has none."""
    result = await Runner.run(agent, input, **runner)
    for _ in range(max_rounds):
        if not result.interruptions:
            return result
        state = await resolve(result, client=client, conversation=conversation, skills=skills,
                              max_wait=max_wait, deadline=deadline, timeout=timeout)
        result = await Runner.run(agent, state, **runner)
    raise RuntimeError(f"the run still waits for approvals after {max_rounds} rounds")


class TransferredInTool(Transferred, AgentsException):
    """`Transferred`, raised by `human_tool`: an `AgentsException` too, so the SDK lets it
    end the run as it is (it wraps other tool errors in `UserError`)."""


def human_tool(*, skills: Iterable[str] = (), client: Optional[Client] = None, name: str = "ask_human",
               description: Optional[str] = None, **settings: Any) -> FunctionTool:
    """`human_as_tool` as an Agents SDK `function_tool`: the model asks, a human answers.
    A ticket sent to a live agent ends the run with `helpline.Transferred` (the model is
    not asked again): the conversation is theirs now."""
    blocking = human_as_tool(skills=skills, client=client, name=name, description=description, **settings)

    async def ask_human(question: str) -> str:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(None, blocking, question)
        except Transferred as transferred:
            raise TransferredInTool(transferred.outcome) from None

    ask_human.__doc__ = blocking.__doc__
    return function_tool(ask_human, name_override=name, failure_error_function=_reraise_transfer)


def _reraise_transfer(context: Any, error: Exception) -> str:
    """The tool's error handler: a transfer ends the run; any other error reaches the model
    as text, as with the SDK's default handler."""
    if isinstance(error, TransferredInTool):
        raise error
    return f"An error occurred while running the tool. Please try again. Error: {error}"


__all__ = ["EDIT_MESSAGE", "TransferredInTool", "apply_decision", "ask", "human_tool", "resolve", "run"]
