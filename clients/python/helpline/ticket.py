"""What a worker's handler sees (`Ticket`) and returns (`Answer`, `Transfer`, `Decline`)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from . import wire

_UNSET = wire._UNSET


@dataclass(frozen=True)
class Answer:
    """A HILA's decision: approve, reject, edit (with `edited` content), answer (free
    `text`) or option (one of the ticket's `options`)."""

    decision: str
    option: Optional[str] = None
    text: Optional[str] = None
    edited: Any = _UNSET

    @classmethod
    def approve(cls, text: Optional[str] = None) -> "Answer":
        return cls("approve", text=text)

    @classmethod
    def reject(cls, reason: Optional[str] = None) -> "Answer":
        return cls("reject", text=reason)

    @classmethod
    def edit(cls, edited: Any, text: Optional[str] = None) -> "Answer":
        return cls("edit", text=text, edited=edited)

    @classmethod
    def reply(cls, text: str) -> "Answer":
        return cls("answer", text=text)

    @classmethod
    def choose(cls, option: str, text: Optional[str] = None) -> "Answer":
        return cls("option", option=option, text=text)

    def to_wire(self, ticket_id: str) -> Tuple[wire.AnswerMessage, Optional[bytes]]:
        """The ANSWER header and its conventional body (`text`, `edited`)."""
        message = wire.AnswerMessage(id=ticket_id, decision=self.decision, option=self.option)
        return message, wire.pack_answer_body(self.text, self.edited)


@dataclass(frozen=True)
class Transfer:
    """Send the ticket to live agents, with a note for them."""

    note: Optional[str] = None


@dataclass(frozen=True)
class Decline:
    """Give the ticket back: another human gets it, this one never again."""

    reason: Optional[str] = None


class Ticket:
    """A ticket offered to this worker: the ASSIGN header fields, the client's body, and the
    explicit commands. `revoked` is set when the broker takes it back (then drop it)."""

    def __init__(self, assign: wire.Assign, body: Optional[bytes], worker):
        self.id = assign.id
        self.role = assign.role
        self.skills = assign.skills
        self.priority = assign.priority
        self.options = assign.options
        self.age = assign.age / 1000.0
        self.accept_timeout = assign.accept_timeout / 1000.0
        self.deadline = assign.deadline / 1000.0
        self.attempt = assign.attempt
        self.transfer_reason = assign.transfer
        self.note = assign.note
        self.body = body
        self.content = wire.unpack_body(body) or {}
        self.accepted = False
        self.revoked = threading.Event()
        self.revoke_reason: Optional[str] = None
        self._done = threading.Event()
        self._errors: List[wire.Error] = []
        self._worker = worker

    # The ASK body conventions (1-HLP.md §Body Conventions): absent fields are None.
    @property
    def prompt(self) -> Optional[str]:
        return self.content.get("prompt")

    @property
    def context(self) -> Any:
        return self.content.get("context")

    @property
    def transcript(self) -> Any:
        return self.content.get("transcript")

    @property
    def customer(self) -> Any:
        return self.content.get("customer")

    @property
    def proposed(self) -> Any:
        return self.content.get("proposed")

    def _revoke(self, reason: str) -> None:
        self.revoke_reason = reason
        self.revoked.set()

    def accept(self, lease: float = 0) -> None:
        self._worker.accept(self.id, lease)

    def answer(self, answer: Answer) -> None:
        self._worker.answer(self.id, answer)

    def approve(self, text: Optional[str] = None) -> None:
        self.answer(Answer.approve(text))

    def reject(self, reason: Optional[str] = None) -> None:
        self.answer(Answer.reject(reason))

    def edit(self, edited: Any, text: Optional[str] = None) -> None:
        self.answer(Answer.edit(edited, text))

    def reply(self, text: str) -> None:
        self.answer(Answer.reply(text))

    def choose(self, option: str, text: Optional[str] = None) -> None:
        self.answer(Answer.choose(option, text))

    def transfer(self, note: Optional[str] = None) -> None:
        self._worker.transfer(self.id, note)

    def decline(self, reason: Optional[str] = None) -> None:
        self._worker.decline(self.id, reason)

    def extend(self, lease: float) -> None:
        self._worker.extend(self.id, lease)

    def __repr__(self) -> str:
        return f"Ticket(id={self.id!r}, role={self.role!r}, skills={self.skills!r}, prompt={self.prompt!r})"
