"""Helpline for LangGraph and LangChain v1 agents: the human behind `interrupt()`.

Two ways in (`pip install "helpline[langgraph]"`):

- The resume driver: `run(graph, input, config)` runs the graph; whenever it pauses on
  `interrupt()`, each pending interrupt becomes a Helpline ticket and the graph resumes with
  `Command(resume=...)` carrying the human's decision. `resolve(graph, config)` does one round
  (for a driver of your own). Works with any checkpointer, from any process.
- The blocking helpers, called inside a node: `ask(question)` returns the human's `Outcome`,
  `review(request)` returns the decision for a HITL request, without pausing the graph.

`HumanInTheLoopMiddleware` requests map one to one: each action request (batched mode) or
tool approval (per-call mode) is one ticket whose options are its `allowed_decisions`, and
the human's decision becomes the middleware's:

| Helpline answer                    | middleware decision                                 |
|------------------------------------|-----------------------------------------------------|
| approve (or option "approve")      | `{"type": "approve"}`                               |
| edit, with edited args             | `{"type": "edit", "edited_action": {name, args}}`   |
| reject (reason as text)            | `{"type": "reject", "message": reason}`             |
| answer (free text), option "respond" | `{"type": "respond", "message": text}`            |

A decision that the action's `allowed_decisions` do not allow (LangChain would refuse it)
becomes a reject that tells the model what the human said, when reject is allowed, and
`DecisionNotAllowed` otherwise. Any other interrupt value is a question: a string, or a dict
with `question` (and optional `options`, `skills`, `context`); it resumes with a dict
`{"decision", "text", "option", "edited"}`.

Ticket ids derive from the thread and the interrupt id (inside a node: the thread, the
node's task and the question), so re-running a node, or the driver after a crash, finds the
ticket it already raised (and its answer) instead of asking the human twice.

A ticket sent to live agents (transfer), unanswered in time, or cancelled stops the run:
`helpline.Transferred`, `Expired` or `Cancelled` is raised; the graph stays paused at its
interrupt (its checkpoint intact), nothing of the pending action ran.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional, Sequence

from langgraph.types import Command, Interrupt

from ._integration import answered, portable, stable_ticket_id
from .client import Client, default_client
from .errors import HelplineError
from .outcome import Outcome

HITL_DECISIONS = ("approve", "edit", "reject", "respond")
# Helpline decisions -> HITL decision types ("option" is the option's label).
_HITL_TYPE = {"approve": "approve", "edit": "edit", "reject": "reject", "answer": "respond"}


class DecisionNotAllowed(HelplineError):
    """The human's decision is not among the action's `allowed_decisions`, and rejecting
    (the safe fallback) is not allowed either."""

    def __init__(self, decision: str, action: str, allowed: Sequence[str], ticket_id: str):
        super().__init__(422, f"decision {decision!r} is not allowed for {action!r} (allowed: {list(allowed)})",
                         ticket_id)


class Asker:
    """The ticket settings shared by every question a driver or helper asks."""

    def __init__(self, client: Optional[Client] = None, *, skills: Iterable[str] = (), role: str = "hila",
                 priority: int = 0, max_wait: float = 60.0, deadline: float = 3600.0,
                 timeout: Optional[float] = None):
        self.client = client
        self.skills = tuple(skills)
        self.role = role
        self.priority = priority
        self.max_wait = max_wait
        self.deadline = deadline
        self.timeout = timeout

    def ask(self, ticket_id: str, prompt: str, *, options: Sequence[str] = (), skills: Optional[Iterable[str]] = None,
            context: Any = None, proposed: Any = None) -> Outcome:
        """Asks (or finds the ticket already asked with this id) and returns its outcome;
        raises when the ticket did not end in an answer."""
        client = self.client if self.client is not None else default_client()
        extra = {} if proposed is None else {"proposed": portable(proposed)}
        outcome = client.ask(prompt, ticket_id=ticket_id, options=tuple(options),
                             skills=tuple(skills) if skills is not None else self.skills,
                             context=portable(context), role=self.role, priority=self.priority,
                             max_wait=self.max_wait, deadline=self.deadline, timeout=self.timeout,
                             stop_on_transfer=True, **extra)
        return answered(outcome)


# -- HITL middleware requests ----------------------------------------------------------------


def is_hitl_request(value: Any) -> bool:
    """A batched `HITLRequest` (`action_requests` + `review_configs`)."""
    return isinstance(value, dict) and "action_requests" in value and "review_configs" in value


def is_tool_approval(value: Any) -> bool:
    """A per-call `ToolApprovalRequest`."""
    return isinstance(value, dict) and value.get("type") == "tool_approval" and "name" in value


def allowed_from_schema(schema: Any) -> List[str]:
    """The decision types a per-call interrupt's `response_schema` allows (all four when it
    has none)."""
    if not isinstance(schema, dict):
        return list(HITL_DECISIONS)
    mapping = (schema.get("discriminator") or {}).get("mapping")
    if isinstance(mapping, dict) and mapping:
        return [name for name in mapping if name in HITL_DECISIONS]
    const = ((schema.get("properties") or {}).get("type") or {}).get("const")
    if const in HITL_DECISIONS:
        return [const]
    return list(HITL_DECISIONS)


def _action_prompt(action: Dict[str, Any]) -> str:
    if action.get("description"):
        return str(action["description"])
    shown = ", ".join(f"{key}={value!r}" for key, value in (action.get("args") or {}).items())
    return f"Approve {action.get('name')}({shown})?"


def hitl_decision(outcome: Outcome, action: Dict[str, Any], allowed: Sequence[str]) -> Dict[str, Any]:
    """The middleware decision for a human's answer to one action (see the module's table)."""
    name = action.get("name")
    kind = outcome.option if outcome.decision == "option" else _HITL_TYPE.get(outcome.decision or "")
    decision: Optional[Dict[str, Any]] = None
    if kind == "approve":
        decision = {"type": "approve"}
    elif kind == "edit":
        edited = outcome.edited if outcome.has_edit else _json_object(outcome.text)
        if isinstance(edited, dict) and "args" in edited and isinstance(edited["args"], dict):
            decision = {"type": "edit", "edited_action": {"name": edited.get("name", name), "args": edited["args"]}}
        elif isinstance(edited, dict):
            decision = {"type": "edit", "edited_action": {"name": name, "args": edited}}
    elif kind == "reject":
        decision = {"type": "reject", **({"message": outcome.text} if outcome.text else {})}
    elif kind == "respond":
        decision = {"type": "respond", "message": outcome.text or ""}
    if decision is not None and decision["type"] in allowed:
        return decision
    if "reject" in allowed:
        said = outcome.text or (json.dumps(outcome.edited, default=repr) if outcome.has_edit else "")
        shown = kind or outcome.decision
        return {"type": "reject",
                "message": f"The reviewer answered {shown!r}, which is not allowed for this action" +
                           (f": {said}" if said else "") + ". The action was not run."}
    raise DecisionNotAllowed(str(kind or outcome.decision), str(name), allowed, outcome.ticket_id)


def _json_object(text: Optional[str]) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def reply_value(outcome: Outcome) -> Dict[str, Any]:
    """What a plain question interrupt resumes with."""
    return {"decision": outcome.decision, "text": outcome.text, "option": outcome.option,
            "edited": outcome.edited if outcome.has_edit else None}


def answer_interrupt(value: Any, key: str, asker: Asker, schema: Any = None) -> Any:
    """The resume value for one interrupt value, asking one ticket per action; `key` is the
    stable part of the ticket ids (thread + interrupt id, or thread + task + question)."""
    if is_hitl_request(value):
        configs = {config.get("action_name"): config for config in value["review_configs"]}
        decisions = []
        for index, action in enumerate(value["action_requests"]):
            allowed = list((configs.get(action.get("name")) or {}).get("allowed_decisions") or HITL_DECISIONS)
            outcome = asker.ask(stable_ticket_id("lg", key, index), _action_prompt(action), options=allowed,
                                proposed=action.get("args"),
                                context={"action": action.get("name"), "allowed_decisions": allowed})
            decisions.append(hitl_decision(outcome, action, allowed))
        return {"decisions": decisions}
    if is_tool_approval(value):
        allowed = allowed_from_schema(schema)
        outcome = asker.ask(stable_ticket_id("lg", key), _action_prompt(value), options=allowed,
                            proposed=value.get("args"),
                            context={"action": value.get("name"), "tool_call_id": value.get("tool_call_id"),
                                     "allowed_decisions": allowed})
        return hitl_decision(outcome, value, allowed)
    if isinstance(value, dict) and "question" in value:
        outcome = asker.ask(stable_ticket_id("lg", key), str(value["question"]),
                            options=tuple(value.get("options") or ()), skills=value.get("skills"),
                            context=value.get("context"), proposed=value.get("proposed"))
    else:
        outcome = asker.ask(stable_ticket_id("lg", key), value if isinstance(value, str) else json.dumps(
            portable(value), default=repr), context=None if isinstance(value, str) else value)
    return reply_value(outcome)


# -- The resume driver -------------------------------------------------------------------------


def _thread(config: Dict[str, Any]) -> str:
    thread = (config.get("configurable") or {}).get("thread_id")
    if thread is None:
        raise ValueError("the graph's config needs configurable.thread_id (and the graph a checkpointer)")
    return str(thread)


def pending(graph: Any, config: Dict[str, Any]) -> Sequence[Interrupt]:
    """The graph's pending interrupts for this thread."""
    return tuple(graph.get_state(config).interrupts)


def resolve(graph: Any, config: Dict[str, Any], *, client: Optional[Client] = None, **settings: Any) -> Dict[str, Any]:
    """Asks a human about each pending interrupt; returns `{interrupt id: resume value}` for
    `Command(resume=...)`. Asking again (another process, after a crash) reuses the tickets."""
    asker = Asker(client, **settings)
    thread = _thread(config)
    return {interrupt.id: answer_interrupt(interrupt.value, f"{thread}/{interrupt.id}", asker,
                                           getattr(interrupt, "response_schema", None))
            for interrupt in pending(graph, config)}


def run(graph: Any, input: Any, config: Dict[str, Any], *, client: Optional[Client] = None,
        max_rounds: int = 100, **settings: Any) -> Any:
    """Invokes the graph, then resumes it with the human's decisions until it finishes
    without a pending interrupt; returns the last `invoke` result. `input` None resumes a
    thread that is already paused. Settings: `skills`, `role`, `priority`, `max_wait`,
    `deadline`, `timeout` (see `Client.ask`)."""
    result = graph.invoke(input, config) if input is not None else None
    for _ in range(max_rounds):
        if not pending(graph, config):
            return result
        result = graph.invoke(Command(resume=resolve(graph, config, client=client, **settings)), config)
    raise RuntimeError(f"the graph still waits for a human after {max_rounds} rounds")


# -- Blocking helpers for use inside a node ----------------------------------------------------


def _node_key(key: Optional[str], content: Any) -> str:
    from langgraph.config import get_config

    configurable = get_config().get("configurable") or {}
    thread = configurable.get("thread_id")
    task = configurable.get("checkpoint_ns", "")
    if thread is None:
        raise ValueError("ask()/review() inside a node need configurable.thread_id (and a checkpointer)")
    return f"{thread}/{task}/{key if key is not None else json.dumps(portable(content), sort_keys=True, default=repr)}"


def ask(question: str, *, options: Sequence[str] = (), context: Any = None, proposed: Any = None,
        skills: Optional[Iterable[str]] = None, key: Optional[str] = None, client: Optional[Client] = None,
        **settings: Any) -> Outcome:
    """Inside a node: asks a human and blocks until the answer. The ticket id derives from
    the thread, the node's task and the question (or `key`), so when the node runs again
    (LangGraph re-runs a node from its start on resume) the same question gets the same
    ticket, and its stored answer, at once. Ask two identical questions in one node with
    different `key`s. Raises `Transferred`, `Expired`, `Cancelled` as `run` does."""
    asker = Asker(client, **settings)
    content = [question, list(options), context, proposed]
    return asker.ask(stable_ticket_id("lg", _node_key(key, content)), question, options=options, skills=skills,
                     context=context, proposed=proposed)


def review(request: Any, *, key: Optional[str] = None, client: Optional[Client] = None,
           response_schema: Any = None, **settings: Any) -> Any:
    """Inside a node (or a middleware): the human's answer to a HITL request, in the form
    `Command(resume=...)` would carry it: a `HITLResponse` for an `HITLRequest`, a decision
    for a `ToolApprovalRequest`, a reply dict for a question."""
    return answer_interrupt(request, _node_key(key, request), Asker(client, **settings), response_schema)


__all__ = ["Asker", "DecisionNotAllowed", "allowed_from_schema", "answer_interrupt", "ask", "hitl_decision",
           "is_hitl_request", "is_tool_approval", "pending", "reply_value", "resolve", "review", "run"]
