"""Errors of the Helpline SDK: the closed set of HLP/1 wire codes, and the agent-facing ones.

Every error a broker can send, and every one the codec raises, is a `HelplineError` whose
`code` is one of `ErrorCode` (1-HLP.md §Error Codes). Errors raised on this side only
(a local timeout, a closed client) carry `code=None`.
"""

from __future__ import annotations

import enum
from typing import Optional


class ErrorCode(enum.IntEnum):
    """The closed set of HLP/1 error codes, listed once (ErrorCode.swift)."""

    MALFORMED = 400
    UNAUTHORIZED = 401
    FORBIDDEN = 403
    UNKNOWN_TICKET = 404
    CONFLICT = 409
    TOO_LARGE = 413
    INVALID = 422
    TOO_MANY = 429
    UNAVAILABLE = 503
    UNSUPPORTED_VERSION = 505

    @property
    def label(self) -> str:
        """The spec's lower-case name: `malformed`, `unknown-ticket`..."""
        return self.name.lower().replace("_", "-")


class HelplineError(Exception):
    """A refusal: from the broker (an ERROR message), from the codec, or local (`code` None)."""

    def __init__(self, code: Optional[int], text: str = "", ticket_id: Optional[str] = None):
        self.code: Optional[ErrorCode] = ErrorCode(code) if code is not None else None
        self.text = text
        self.ticket_id = ticket_id
        prefix = f"{int(self.code)} {self.code.label}" if self.code is not None else "error"
        where = f" (ticket {ticket_id})" if ticket_id else ""
        super().__init__(f"{prefix}: {text}{where}")


class ArgumentError(HelplineError, ValueError, TypeError):
    """A call with an argument the SDK refuses before anything is sent (code 422 invalid).

    The one kind of argument error of the SDK. It is also a `ValueError` and a `TypeError`,
    so code written against the built-in exceptions some calls raised before keeps working.
    """

    def __init__(self, text: str, ticket_id: Optional[str] = None):
        super().__init__(ErrorCode.INVALID, text, ticket_id)


class WireError(HelplineError):
    """A message that breaks HLP/1: raised by the codec, never by the network."""


class HelplineTimeout(HelplineError, TimeoutError):
    """No outcome arrived within the caller's local `timeout`."""

    def __init__(self, text: str, ticket_id: Optional[str] = None):
        super().__init__(None, text, ticket_id)


class ClientClosed(HelplineError):
    """The client was closed while a call was waiting on it."""

    def __init__(self, text: str = "client closed", ticket_id: Optional[str] = None):
        super().__init__(None, text, ticket_id)


class HumanDecision(Exception):
    """Base of the exceptions `require_approval` raises instead of running the function."""

    def __init__(self, message: str, outcome):
        super().__init__(message)
        self.outcome = outcome


class Rejected(HumanDecision):
    """The human rejected the action; `reason` is what they wrote (may be empty)."""

    def __init__(self, outcome):
        self.reason = outcome.text or ""
        super().__init__(f"rejected by {outcome.worker or 'a human'}: {self.reason}".rstrip(": "), outcome)


class Transferred(HumanDecision):
    """The ticket went to live agents: hand the customer over, do not go on alone."""

    def __init__(self, outcome):
        self.reason = outcome.transfer_reason
        self.note = outcome.transfer_note
        super().__init__(f"transferred to a live agent ({self.reason})", outcome)


class Expired(HumanDecision):
    """No human answered before the ticket's deadline."""

    def __init__(self, outcome):
        super().__init__("no human answered before the deadline", outcome)


class Cancelled(HumanDecision):
    """The ticket was cancelled before a human answered."""

    def __init__(self, outcome):
        super().__init__("the ticket was cancelled", outcome)
