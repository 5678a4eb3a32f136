"""Agent-side helpers: `require_approval` (a human gates a function) and `human_as_tool`
(a human as a tool an LLM can call)."""

from __future__ import annotations

import asyncio
import functools
import inspect
from typing import Any, Callable, Dict, Iterable, Optional

from .aio import AsyncClient
from .client import Client, default_client
from .errors import ArgumentError, Cancelled, Expired, Rejected, Transferred
from .outcome import ANSWERED, CANCELLED, EXPIRED, Outcome

# Parameter a gated function may declare to learn which offered option the human chose.
OPTION_PARAMETER = "human_option"
_SCALARS = (str, int, float, bool, type(None))


def _portable(value: Any) -> Any:
    """A MessagePack-friendly copy of an argument: containers kept, others as repr()."""
    if isinstance(value, _SCALARS) or isinstance(value, bytes):
        return value
    if isinstance(value, dict):
        return {str(key): _portable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_portable(item) for item in value]
    return repr(value)


def _describe(function: Callable, arguments: Dict[str, Any]) -> str:
    shown = ", ".join(f"{name}={value!r}" for name, value in arguments.items())
    return f"Approve {function.__name__}({shown})?"


def _prompt(prompt, function: Callable, arguments: Dict[str, Any]) -> str:
    if prompt is None:
        return _describe(function, arguments)
    if callable(prompt):
        return prompt(**arguments)
    return prompt.format(**arguments)


def _apply_outcome(outcome: Outcome, signature: inspect.Signature, bound: inspect.BoundArguments):
    """The (args, kwargs) to run with, or the exception that stops the call."""
    if outcome.kind == ANSWERED and outcome.decision in ("approve", "edit", "option"):
        arguments = dict(bound.arguments)
        if outcome.decision == "edit" and outcome.has_edit:
            edited = outcome.edited
            if isinstance(edited, dict):
                arguments.update({k: v for k, v in edited.items() if k in signature.parameters})
            elif len(signature.parameters) == 1:
                arguments[next(iter(signature.parameters))] = edited
            else:
                raise ArgumentError(f"the human's edit is not a dict of arguments: {edited!r}")
        if outcome.decision == "option" and OPTION_PARAMETER in signature.parameters:
            arguments[OPTION_PARAMETER] = outcome.option
        rebound = signature.bind_partial()
        rebound.arguments.update(arguments)
        return rebound.args, rebound.kwargs
    if outcome.kind == ANSWERED:
        # `reject`, and a free-text `answer` to an approval question: not a yes.
        return Rejected(outcome)
    if outcome.kind == EXPIRED:
        return Expired(outcome)
    if outcome.kind == CANCELLED:
        return Cancelled(outcome)
    return Transferred(outcome)  # taken over, or transferred (stop_on_transfer)


def require_approval(*, skills: Iterable[str] = (), options: Iterable[str] = (),
                     when: Optional[Callable[..., bool]] = None,
                     client: Optional[Any] = None, prompt: Any = None, role: str = "hila",
                     priority: int = 0, max_wait: float = 60.0, deadline: float = 3600.0,
                     timeout: Optional[float] = None, context: Any = None,
                     wait_for_live: bool = False) -> Callable:
    """Decorator: ask a human before the function runs.

    The call's arguments go to the human as `proposed`. Approved -> the function runs;
    edited -> it runs with the human's edits (a dict of argument overrides); an offered
    option chosen -> it runs, with `human_option=<label>` if it declares that parameter;
    rejected -> `Rejected` (with `.reason`); sent to a live agent -> `Transferred` at once
    (unless `wait_for_live`: then when taken over); no human in time -> `Expired`.
    `when(**arguments)` returning False runs the function without asking.
    Works on plain and `async def` functions; `client` is a `Client` or `AsyncClient`
    (default: `default_client()`).
    """
    skills, options = tuple(skills), tuple(options)

    def decorate(function: Callable) -> Callable:
        signature = inspect.signature(function)

        def request(bound: inspect.BoundArguments) -> Dict[str, Any]:
            arguments = dict(bound.arguments)
            return dict(
                skills=skills, options=options, role=role, priority=priority,
                max_wait=max_wait, deadline=deadline, timeout=timeout,
                stop_on_transfer=not wait_for_live,
                prompt=_prompt(prompt, function, arguments),
                proposed=_portable(arguments),
                context=context if context is not None else {"function": function.__qualname__})

        def bind(args, kwargs) -> Optional[inspect.BoundArguments]:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            if when is not None and not when(**bound.arguments):
                return None
            return bound

        if inspect.iscoroutinefunction(function):
            @functools.wraps(function)
            async def gated_async(*args, **kwargs):
                bound = bind(args, kwargs)
                if bound is None:
                    return await function(*args, **kwargs)
                asker = client if client is not None else default_client()
                request_kwargs = request(bound)
                question = request_kwargs.pop("prompt")
                if isinstance(asker, AsyncClient):
                    outcome = await asker.ask(question, **request_kwargs)
                else:
                    loop = asyncio.get_running_loop()
                    outcome = await loop.run_in_executor(
                        None, functools.partial(asker.ask, question, **request_kwargs))
                result = _apply_outcome(outcome, signature, bound)
                if isinstance(result, Exception):
                    raise result
                return await function(*result[0], **result[1])

            return gated_async

        @functools.wraps(function)
        def gated(*args, **kwargs):
            bound = bind(args, kwargs)
            if bound is None:
                return function(*args, **kwargs)
            asker = client if client is not None else default_client()
            if isinstance(asker, AsyncClient):
                raise ArgumentError("an AsyncClient gates `async def` functions; use a Client here")
            request_kwargs = request(bound)
            outcome = asker.ask(request_kwargs.pop("prompt"), **request_kwargs)
            result = _apply_outcome(outcome, signature, bound)
            if isinstance(result, Exception):
                raise result
            return function(*result[0], **result[1])

        return gated

    return decorate


def _answer_text(outcome: Outcome) -> str:
    if outcome.kind == EXPIRED:
        return "No human answered in time."
    if outcome.kind == CANCELLED:
        return "The question was withdrawn before a human answered."
    if outcome.decision == "option":
        return outcome.option + (f": {outcome.text}" if outcome.text else "")
    if outcome.decision in ("approve", "reject", "edit") and not outcome.text:
        return {"approve": "Approved.", "reject": "Rejected.", "edit": f"Edited: {outcome.edited!r}"}[outcome.decision]
    label = {"approve": "Approved", "reject": "Rejected", "edit": "Edited"}.get(outcome.decision)
    return f"{label}: {outcome.text}" if label else (outcome.text or "")


def human_as_tool(*, skills: Iterable[str] = (), client: Optional[Client] = None,
                  name: str = "ask_human", description: Optional[str] = None,
                  options: Iterable[str] = (), role: str = "hila", priority: int = 0,
                  max_wait: float = 60.0, deadline: float = 600.0,
                  timeout: Optional[float] = None) -> Callable[[str], str]:
    """A tool an LLM can call: a question in, a human's answer (text) out.

    The returned function has a `__name__`, a docstring and type hints, which is what
    tool-calling frameworks read to build the tool schema. If the ticket goes to a live
    agent it raises `Transferred`: the conversation is theirs now.
    """
    skills, options = tuple(skills), tuple(options)
    doc = description or (
        "Ask a human expert a question and wait for their answer. Use it when you are unsure, "
        "when a policy needs a human decision, or when the customer asks for a person.")

    def ask_human(question: str) -> str:
        asker = client if client is not None else default_client()
        outcome = asker.ask(question, skills=skills, options=options, role=role,
                            priority=priority, max_wait=max_wait, deadline=deadline,
                            timeout=timeout, stop_on_transfer=True)
        if outcome.kind not in (ANSWERED, EXPIRED, CANCELLED):
            raise Transferred(outcome)
        return _answer_text(outcome)

    ask_human.__name__ = ask_human.__qualname__ = name
    # Real types, not the strings `from __future__ import annotations` leaves: some tool
    # frameworks read __annotations__ directly to build the schema.
    ask_human.__annotations__ = {"question": str, "return": str}
    ask_human.__doc__ = f"{doc}\n\nArgs:\n    question: The question for the human, with the context they need.\n\nReturns:\n    The human's answer."
    return ask_human
