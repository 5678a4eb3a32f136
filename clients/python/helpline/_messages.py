"""HLP/1 messages: one frozen dataclass per command and direction, whose fields are the
header's keys and whose `FIELDS` table (key, kind, presence) is the spec's table for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Dict, Optional, Tuple

from ._fields import (
    OPTIONAL,
    Counts,
    Field,
    Name,
    Names,
    Records,
    Sized,
    Text,
    UInt,
    Vocab,
    check_types,
    check_values,
    to_map,
)
from ._protocol import (
    CLIENT, DECISIONS, DEFAULT_CAPACITY, DEFAULT_DEADLINE_MS, DEFAULT_HEARTBEAT_MS,
    DEFAULT_MAX_WAIT_MS, DEFAULT_PRIORITY, DEFAULT_ROLE,
    DEADLINE_RANGE_MS, FROM_BROKER, HEARTBEAT_RANGE_MS, LEASE_RANGE_MS, MAX_CAPACITY,
    MAX_HOLDING, MAX_NAME_BYTES, MAX_OPTION_BYTES, MAX_OPTIONS, MAX_PRIORITY,
    MAX_RESUME_IDS, MAX_SKILL_BYTES, MAX_SKILLS, MAX_TEXT_BYTES, MAX_TICKET_ID_BYTES,
    MAX_WAIT_RANGE_MS, PRESENCES, REVOKE_REASONS, ROLES, STAGES, TO_BROKER,
    TRANSFER_REASONS, WORKER, Command,
)
from .errors import ErrorCode, WireError

__all__ = [
    "Message",
    "Ask",
    "Cancel",
    "Resume",
    "Status",
    "ClientHeartbeat",
    "Queued",
    "Assigned",
    "Answered",
    "TransferredMessage",
    "ExpiredMessage",
    "CancelledMessage",
    "ReportQueue",
    "ReportWorker",
    "Report",
    "Error",
    "BrokerHeartbeat",
    "Ready",
    "WorkerHeartbeat",
    "Accept",
    "AnswerMessage",
    "TransferMessage",
    "DeclineMessage",
    "Extend",
    "WorkerDisconnect",
    "Welcome",
    "Assign",
    "Revoke",
    "BrokerDisconnect",
]

# -- Field kinds shared by many messages --------------------------------------------------------

# Peers send names (non-empty, no control characters); the broker's echoes are only sized.
_TICKET = Name(MAX_TICKET_ID_BYTES)
_WORKER_NAME = Name(MAX_NAME_BYTES)
_SKILLS = Names(Name(MAX_SKILL_BYTES), MAX_SKILLS)
_OPTIONS = Names(Name(MAX_OPTION_BYTES), MAX_OPTIONS)
_OPTION = Name(MAX_OPTION_BYTES)
_TICKET_ECHO = Sized(MAX_TICKET_ID_BYTES)
_WORKER_ECHO = Sized(MAX_NAME_BYTES)
_SKILLS_ECHO = Names(Text(MAX_SKILL_BYTES), MAX_SKILLS)
_OPTIONS_ECHO = Names(Text(MAX_OPTION_BYTES), MAX_OPTIONS)
_TEXT = Text(MAX_TEXT_BYTES)
_ROLE = Vocab(ROLES)
_PRESENCE = Vocab(PRESENCES)
_DECISION = Vocab(DECISIONS)
_PRIORITY = UInt(0, MAX_PRIORITY)
_MS = UInt()
_HELD = Names(_TICKET, MAX_HOLDING)
_HELD_ECHO = Names(_TICKET_ECHO, MAX_HOLDING)


class Message:
    """Base of every HLP/1 message: a dataclass whose fields are the header's keys."""

    COMMAND: ClassVar[Command]
    DIRECTION: ClassVar[str]
    SIGNATURES: ClassVar[Tuple[bytes, ...]]
    FIELDS: ClassVar[Tuple[Field, ...]] = ()

    def header(self) -> Dict[str, Any]:
        """The canonical header map, keys in table order."""
        return to_map(self)

    def validate(self) -> None:
        """Raises `WireError` when a field breaks a rule of the spec."""
        header = self.header()
        check_types(self.FIELDS, header)
        check_values(self.FIELDS, header)
        self._check_rules()

    def _check_rules(self) -> None:
        """Rules that span fields (e.g. ANSWER `option` iff decision is `option`)."""


def _message(command, direction, signatures, fields):
    """Class decorator: a frozen dataclass registered as the message for (signature,
    command, direction)."""

    def wrap(cls):
        cls.COMMAND = command
        cls.DIRECTION = direction
        cls.SIGNATURES = signatures
        cls.FIELDS = tuple(fields)
        cls = dataclass(frozen=True)(cls)
        for signature in signatures:
            _REGISTRY[(signature, command, direction)] = cls
        return cls

    return wrap


_REGISTRY: Dict[Tuple[bytes, Command, str], type] = {}
_C = (CLIENT,)
_W = (WORKER,)
_BOTH = (CLIENT, WORKER)


def _distinct_options(message) -> None:
    if len(set(message.options)) != len(message.options):
        raise WireError(ErrorCode.INVALID, "`options`: entries must be distinct")


def _option_iff_decision(message) -> None:
    if message.decision == "option" and message.option is None:
        raise WireError(ErrorCode.INVALID, "`option`: required when decision is `option`")
    if message.decision != "option" and message.option is not None:
        raise WireError(ErrorCode.INVALID, "`option`: only allowed when decision is `option`")


# -- Client -> broker ---------------------------------------------------------------------------


@_message(Command.ASK, TO_BROKER, _C, [
    Field("id", _TICKET),
    Field("skills", _SKILLS, ()),
    Field("role", _ROLE, DEFAULT_ROLE),
    Field("priority", _PRIORITY, DEFAULT_PRIORITY),
    Field("options", _OPTIONS, ()),
    Field("max_wait", UInt(*MAX_WAIT_RANGE_MS), DEFAULT_MAX_WAIT_MS),
    Field("deadline", UInt(*DEADLINE_RANGE_MS), DEFAULT_DEADLINE_MS),
])
class Ask(Message):
    """Raise a ticket; the body (prompt, context...) follows."""

    id: str
    skills: Tuple[str, ...] = ()
    role: str = DEFAULT_ROLE
    priority: int = DEFAULT_PRIORITY
    options: Tuple[str, ...] = ()
    max_wait: int = DEFAULT_MAX_WAIT_MS
    deadline: int = DEFAULT_DEADLINE_MS

    def _check_rules(self):
        _distinct_options(self)


@_message(Command.CANCEL, TO_BROKER, _C, [Field("id", _TICKET)])
class Cancel(Message):
    """Withdraw an open ticket."""

    id: str


@_message(Command.RESUME, TO_BROKER, _C, [
    Field("ids", Names(_TICKET, MAX_RESUME_IDS, min_items=1)),
])
class Resume(Message):
    """Ask for the state or stored outcome of tickets after a reconnect."""

    ids: Tuple[str, ...]


@_message(Command.STATUS, TO_BROKER, _C, [])
class Status(Message):
    """Ask for a broker snapshot (REPORT)."""


@_message(Command.HEARTBEAT, TO_BROKER, _C, [])
class ClientHeartbeat(Message):
    """Liveness probe; the broker answers HEARTBEAT."""


# -- Broker -> client ---------------------------------------------------------------------------


@_message(Command.QUEUED, FROM_BROKER, _C, [
    Field("id", _TICKET_ECHO),
    Field("role", _ROLE),
    # The golden vector to-client-queued-no-stage has a decoder take `waiting`.
    Field("stage", Vocab(STAGES), "waiting"),
    Field("position", _MS),
])
class Queued(Message):
    """The ticket is accepted; where it waits."""

    id: str
    role: str
    stage: str = "waiting"
    position: int = 0


@_message(Command.ASSIGNED, FROM_BROKER, _C, [
    Field("id", _TICKET_ECHO),
    Field("worker", _WORKER_ECHO),
    Field("role", _ROLE),
])
class Assigned(Message):
    """A human accepted the ticket; for role `live` this ends it (taken over)."""

    id: str
    worker: str
    role: str


@_message(Command.ANSWERED, FROM_BROKER, _C, [
    Field("id", _TICKET_ECHO),
    Field("decision", _DECISION),
    Field("option", Sized(MAX_OPTION_BYTES), OPTIONAL),
    Field("worker", _WORKER_ECHO),
    Field("elapsed", _MS),
])
class Answered(Message):
    """A HILA answered; the worker's body follows. Ends the ticket."""

    id: str
    decision: str
    worker: str
    elapsed: int
    option: Optional[str] = None

    def _check_rules(self):
        _option_iff_decision(self)


@_message(Command.TRANSFERRED, FROM_BROKER, _C, [
    Field("id", _TICKET_ECHO),
    # `requested` is told by QUEUED role live, never by TRANSFERRED.
    Field("reason", Vocab(tuple(r for r in TRANSFER_REASONS if r != "requested"))),
    Field("note", _TEXT, OPTIONAL),
])
class TransferredMessage(Message):
    """The ticket now waits for a live agent. Not an end."""

    id: str
    reason: str
    note: Optional[str] = None


@_message(Command.EXPIRED, FROM_BROKER, _C, [Field("id", _TICKET_ECHO)])
class ExpiredMessage(Message):
    """The deadline passed. Ends the ticket."""

    id: str


@_message(Command.CANCELLED, FROM_BROKER, _C, [Field("id", _TICKET_ECHO)])
class CancelledMessage(Message):
    """The client's CANCEL took effect. Ends the ticket."""

    id: str


@dataclass(frozen=True)
class ReportQueue:
    """A REPORT queue entry: waiting tickets that need the same role and skills."""

    FIELDS: ClassVar[Tuple[Field, ...]] = (
        Field("role", _ROLE),
        Field("skills", _SKILLS_ECHO),
        Field("waiting", _MS),
        Field("oldest", _MS),
    )
    role: str
    skills: Tuple[str, ...]
    waiting: int
    oldest: int


@dataclass(frozen=True)
class ReportWorker:
    """A REPORT worker entry."""

    FIELDS: ClassVar[Tuple[Field, ...]] = (
        Field("name", _WORKER_ECHO),
        Field("role", _ROLE),
        Field("skills", _SKILLS_ECHO),
        Field("load", _MS),
        Field("capacity", _MS),
        Field("presence", _PRESENCE),
    )
    name: str
    role: str
    skills: Tuple[str, ...]
    load: int
    capacity: int
    presence: str


@_message(Command.REPORT, FROM_BROKER, _C, [
    Field("uptime", _MS),
    Field("counts", Counts()),
    Field("queues", Records(ReportQueue)),
    Field("workers", Records(ReportWorker)),
])
class Report(Message):
    """The broker snapshot answering STATUS."""

    uptime: int
    counts: Dict[str, int]
    queues: Tuple[ReportQueue, ...]
    workers: Tuple[ReportWorker, ...]


@_message(Command.ERROR, FROM_BROKER, _BOTH, [
    Field("code", UInt(allowed=frozenset(int(c) for c in ErrorCode))),
    Field("text", _TEXT),
    Field("id", _TICKET_ECHO, OPTIONAL),
    Field("command", UInt(0, 255), OPTIONAL),
])
class Error(Message):
    """A refusal, on either sub-protocol."""

    code: int
    text: str
    id: Optional[str] = None
    command: Optional[int] = None


@_message(Command.HEARTBEAT, FROM_BROKER, _BOTH, [])
class BrokerHeartbeat(Message):
    """The broker's heartbeat (to a worker) or its answer to a client's HEARTBEAT."""


# -- Worker -> broker ---------------------------------------------------------------------------


@_message(Command.READY, TO_BROKER, _W, [
    Field("name", _WORKER_NAME),
    Field("role", _ROLE),
    Field("skills", _SKILLS, ()),
    Field("capacity", UInt(1, MAX_CAPACITY), DEFAULT_CAPACITY),
    Field("heartbeat", UInt(*HEARTBEAT_RANGE_MS), DEFAULT_HEARTBEAT_MS),
    Field("holding", _HELD, ()),
    Field("presence", _PRESENCE, "active"),
])
class Ready(Message):
    """Register, or re-register after a reconnect with the tickets still held."""

    name: str
    role: str
    skills: Tuple[str, ...] = ()
    capacity: int = DEFAULT_CAPACITY
    heartbeat: int = DEFAULT_HEARTBEAT_MS
    holding: Tuple[str, ...] = ()
    presence: str = "active"


@_message(Command.HEARTBEAT, TO_BROKER, _W, [Field("presence", _PRESENCE, "active")])
class WorkerHeartbeat(Message):
    """Liveness, carrying the human's presence."""

    presence: str = "active"


@_message(Command.ACCEPT, TO_BROKER, _W, [
    Field("id", _TICKET),
    Field("lease", UInt(*LEASE_RANGE_MS), 0),
])
class Accept(Message):
    """The human picked the ticket up; `lease` 0 = held while the console lives."""

    id: str
    lease: int = 0


@_message(Command.ANSWER, TO_BROKER, _W, [
    Field("id", _TICKET),
    Field("decision", _DECISION),
    Field("option", _OPTION, OPTIONAL),
])
class AnswerMessage(Message):
    """The human's decision; the answer body follows."""

    id: str
    decision: str
    option: Optional[str] = None

    def _check_rules(self):
        _option_iff_decision(self)


@_message(Command.TRANSFER, TO_BROKER, _W, [
    Field("id", _TICKET),
    Field("note", _TEXT, OPTIONAL),
])
class TransferMessage(Message):
    """Hand the ticket to the live-agent queue."""

    id: str
    note: Optional[str] = None


@_message(Command.DECLINE, TO_BROKER, _W, [
    Field("id", _TICKET),
    Field("reason", _TEXT, OPTIONAL),
])
class DeclineMessage(Message):
    """Give the ticket back; never offered to this worker again."""

    id: str
    reason: Optional[str] = None


@_message(Command.EXTEND, TO_BROKER, _W, [
    Field("id", _TICKET),
    Field("lease", UInt(1, LEASE_RANGE_MS[1])),
])
class Extend(Message):
    """Renew the lease on an accepted ticket."""

    id: str
    lease: int


@_message(Command.DISCONNECT, TO_BROKER, _W, [])
class WorkerDisconnect(Message):
    """The worker leaves; its tickets are re-dispatched at once."""


# -- Broker -> worker ---------------------------------------------------------------------------


@_message(Command.WELCOME, FROM_BROKER, _W, [
    # 1/HLP "Heartbeating": a broker may narrow its clamp, never widen it, so WELCOME's
    # interval is always 250-30,000 ms; anything else is refused (422).
    Field("heartbeat", UInt(250, 30_000)),
    Field("liveness", UInt(1)),
    Field("accept_timeout", _MS),
    # The golden vector to-worker-welcome-minimal has a decoder take empty lists.
    Field("attached", _HELD_ECHO, ()),
    Field("dropped", _HELD_ECHO, ()),
])
class Welcome(Message):
    """READY accepted: negotiated timings and which held tickets were re-attached."""

    heartbeat: int
    liveness: int
    accept_timeout: int
    attached: Tuple[str, ...] = ()
    dropped: Tuple[str, ...] = ()


@_message(Command.ASSIGN, FROM_BROKER, _W, [
    Field("id", _TICKET_ECHO),
    Field("role", _ROLE),
    Field("skills", _SKILLS_ECHO),
    Field("priority", _PRIORITY),
    Field("options", _OPTIONS_ECHO),
    Field("age", _MS),
    Field("accept_timeout", _MS),
    Field("deadline", _MS),
    Field("attempt", UInt(1)),
    Field("transfer", Vocab(TRANSFER_REASONS), OPTIONAL),
    Field("note", _TEXT, OPTIONAL),
])
class Assign(Message):
    """A ticket offered to the worker; the client's body follows."""

    id: str
    role: str
    skills: Tuple[str, ...]
    priority: int
    options: Tuple[str, ...]
    age: int
    accept_timeout: int
    deadline: int
    attempt: int
    transfer: Optional[str] = None
    note: Optional[str] = None

    def _check_rules(self):
        if (self.transfer is not None) != (self.role == "live"):
            raise WireError(ErrorCode.INVALID, "`transfer`: present exactly when role is `live`")


@_message(Command.REVOKE, FROM_BROKER, _W, [
    Field("id", _TICKET_ECHO),
    Field("reason", Vocab(REVOKE_REASONS)),
])
class Revoke(Message):
    """The broker took the ticket back; drop it, do not answer it."""

    id: str
    reason: str


@_message(Command.DISCONNECT, FROM_BROKER, _W, [Field("reason", _TEXT, OPTIONAL)])
class BrokerDisconnect(Message):
    """The broker ends the registration; reconnect and send READY."""

    reason: Optional[str] = None

