"""What the framework integrations share: ticket ids that survive a re-run, MessagePack-safe
copies of framework objects, and waiting on a ticket while something else keeps time."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any, AsyncIterator, Union

from .approval import _portable
from .errors import Cancelled, Expired, HumanDecision, Transferred
from .outcome import ANSWERED, CANCELLED, EXPIRED, Event, Outcome

# Ticket ids are at most 128 bytes (HLP/1 "Limits"): a prefix and a 40-hex digest fit any key.
_DIGEST_HEX = 40


def stable_ticket_id(prefix: str, *parts: Any) -> str:
    """A ticket id that is the same whenever `parts` are: a re-run of the same step asks
    with the same id, so the broker answers with the ticket it already has (idempotent ASK)
    instead of creating a second one."""
    key = json.dumps([str(part) for part in parts], separators=(",", ":"))
    return f"{prefix}-{hashlib.sha256(key.encode()).hexdigest()[:_DIGEST_HEX]}"


def portable(value: Any) -> Any:
    """A MessagePack-friendly copy (containers kept, other objects as their repr())."""
    return _portable(value)


async def pump_updates(stream: AsyncIterator[Union[Event, Outcome]], sink: "asyncio.Queue") -> None:
    """Copies a ticket's stream into `sink`, and its error too, so the consumer may wait on
    the queue with a timeout without cancelling the stream (which would cancel the ticket)."""
    try:
        async for item in stream:
            await sink.put(item)
    except asyncio.CancelledError:
        raise
    except BaseException as error:  # handed to the consumer, raised there
        await sink.put(error)


def stop_error(outcome: Outcome) -> HumanDecision:
    """The exception that stops an agent whose ticket ended without an answer: `Expired`,
    `Cancelled`, or `Transferred` (sent to live agents, or taken over)."""
    if outcome.kind == EXPIRED:
        return Expired(outcome)
    if outcome.kind == CANCELLED:
        return Cancelled(outcome)
    return Transferred(outcome)


def answered(outcome: Outcome) -> Outcome:
    """`outcome` if a human answered; otherwise raises `stop_error(outcome)`."""
    if outcome.kind != ANSWERED:
        raise stop_error(outcome)
    return outcome
