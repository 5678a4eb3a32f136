"""What an agent learns about its ticket: progress `Event`s, then exactly one `Outcome`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

# Outcome kinds. Every ticket ends in exactly one of the first four (1-HLP.md §Ticket Lifecycle).
ANSWERED = "answered"
TAKEN_OVER = "taken_over"
EXPIRED = "expired"
CANCELLED = "cancelled"
# Only when the caller asked to stop at a transfer (`stop_on_transfer=True`): the ticket goes
# on waiting for a live agent at the broker, the agent has stopped waiting for it.
TRANSFERRED = "transferred"


@dataclass(frozen=True)
class Event:
    """Progress on an open ticket: `queued` (with position), `assigned` (a HILA accepted it)
    or `transferred` (it now waits for a live agent: `reason`, `note`)."""

    kind: str
    ticket_id: str
    role: Optional[str] = None
    stage: Optional[str] = None
    position: Optional[int] = None
    worker: Optional[str] = None
    reason: Optional[str] = None
    note: Optional[str] = None


@dataclass(frozen=True)
class Outcome:
    """How a ticket ended.

    `kind` is `answered` (see `decision`: approve, reject, edit, answer, option), `taken_over`
    (a live agent took the conversation over), `expired` (no human before the deadline, also
    after a transfer) or `cancelled`. `text` and `edited` come from the answer body;
    `transfer_reason`/`transfer_note` are set when the ticket went through a transfer.
    """

    ticket_id: str
    kind: str
    decision: Optional[str] = None
    option: Optional[str] = None
    text: Optional[str] = None
    edited: Any = None
    has_edit: bool = False
    worker: Optional[str] = None
    elapsed: Optional[float] = None
    transfer_reason: Optional[str] = None
    transfer_note: Optional[str] = None
    body: Optional[bytes] = None

    @property
    def approved(self) -> bool:
        """A HILA said go ahead, as proposed (`approve`) or edited (`edit`)."""
        return self.kind == ANSWERED and self.decision in ("approve", "edit")

    @property
    def rejected(self) -> bool:
        return self.kind == ANSWERED and self.decision == "reject"

    @property
    def transferred(self) -> bool:
        """The ticket went to live agents at some point (then taken over, or expired)."""
        return self.transfer_reason is not None
