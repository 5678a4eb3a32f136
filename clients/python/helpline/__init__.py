"""Helpline: route help requests from AI agents to the humans who unblock them.

Agents use `Client` (or `AsyncClient`), `require_approval` and `human_as_tool`; human
consoles and bots use `Worker`. `helpline.wire` is the HLP/1 codec.
"""

from .aio import AsyncClient
from .approval import human_as_tool, require_approval
from .client import Client, default_client
from .curve import CurveKeys
from .errors import (
    ArgumentError,
    Cancelled,
    ClientClosed,
    ErrorCode,
    Expired,
    HelplineError,
    HelplineTimeout,
    HumanDecision,
    Rejected,
    Transferred,
    WireError,
)
from .outcome import Event, Outcome
from .ticket import Answer, Decline, Ticket, Transfer
from .worker import Worker

__version__ = "0.1.0"

__all__ = [
    "Answer", "ArgumentError", "AsyncClient", "Cancelled", "Client", "ClientClosed", "CurveKeys", "Decline",
    "ErrorCode", "Event", "Expired", "HelplineError", "HelplineTimeout", "HumanDecision",
    "Outcome", "Rejected", "Ticket", "Transfer", "Transferred", "WireError", "Worker",
    "default_client", "human_as_tool", "require_approval",
]
