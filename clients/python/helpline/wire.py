"""HLP/1 codec: frames and headers to typed messages and back. No I/O.

A message is 3 or 4 ZeroMQ frames: signature (`HLPC01`/`HLPW01`), one command byte, a
MessagePack map header, and for ASK, ANSWER, ASSIGN and ANSWERED an opaque body. `encode`
writes the canonical header form (keys in table order, every non-optional field, smallest
integer and string forms); `decode` accepts any valid form and raises `WireError` with the
spec's code for anything else. Names, limits and defaults follow Sources/HelplineWire/*.swift.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, ClassVar, Dict, List, Optional, Sequence, Tuple

import msgpack

from ._fields import (
    OPTIONAL,
    REQUIRED,
    Counts,
    Field,
    Name,
    Names,
    Records,
    Sized,
    Text,
    UInt,
    Vocab,
    build,
    check_types,
    check_values,
    to_map,
)
from .errors import ErrorCode, WireError

# -- Signatures (Signature.swift) -------------------------------------------------------------

CLIENT = b"HLPC01"
"""HLP/Client version 1: agent processes."""
WORKER = b"HLPW01"
"""HLP/Worker version 1: HILA and live-agent consoles."""
SIGNATURES = (CLIENT, WORKER)


# -- Limits (WireLimits.swift; each reason is given there) -------------------------------------

MAX_HEADER_BYTES = 64 * 1024
MAX_REPORT_HEADER_BYTES = 4 * 1024 * 1024
MAX_REPORT_WORKERS = 20_000
MAX_BODY_BYTES = 1024 * 1024
MAX_TICKET_ID_BYTES = 128
MAX_NAME_BYTES = 64
MAX_SKILL_BYTES = 64
MAX_SKILLS = 32
MAX_OPTIONS = 16
MAX_OPTION_BYTES = 64
MAX_TEXT_BYTES = 1024
MAX_RESUME_IDS = 256
MAX_CAPACITY = 100
MAX_HOLDING = 100
MAX_PRIORITY = 9
HEARTBEAT_RANGE_MS = (100, 60_000)
# What the broker clamps a proposal into, and states in WELCOME.
BROKER_HEARTBEAT_RANGE_MS = (250, 30_000)
MAX_WAIT_RANGE_MS = (0, 86_400_000)
DEADLINE_RANGE_MS = (1, 604_800_000)
LEASE_RANGE_MS = (0, 86_400_000)
MAX_NESTING_DEPTH = 8

# -- Defaults (WireDefaults) --------------------------------------------------------------------

DEFAULT_ROLE = "hila"
DEFAULT_PRIORITY = 0
DEFAULT_MAX_WAIT_MS = 60_000
DEFAULT_DEADLINE_MS = 3_600_000
DEFAULT_HEARTBEAT_MS = 1_000
DEFAULT_CAPACITY = 1

# -- Vocabularies (Vocabulary.swift) ------------------------------------------------------------

ROLES = ("hila", "live")
PRESENCES = ("active", "away")
DECISIONS = ("approve", "reject", "edit", "answer", "option")
TRANSFER_REASONS = ("requested", "no-hila", "max-wait", "hila", "hila-lost")
REVOKE_REASONS = ("cancelled", "accept-timeout", "max-wait", "expired", "lease-expired")
STAGES = ("waiting", "offered", "accepted")


class Command(enum.IntEnum):
    """Frame 1 (Command.swift). Codes are unique across both sub-protocols."""

    ASK = 0x01
    CANCEL = 0x02
    RESUME = 0x03
    STATUS = 0x04
    HEARTBEAT = 0x05
    DISCONNECT = 0x06
    ERROR = 0x07
    QUEUED = 0x10
    ASSIGNED = 0x11
    ANSWERED = 0x12
    TRANSFERRED = 0x13
    EXPIRED = 0x14
    CANCELLED = 0x15
    REPORT = 0x16
    READY = 0x20
    ACCEPT = 0x21
    ANSWER = 0x22
    TRANSFER = 0x23
    DECLINE = 0x24
    EXTEND = 0x25
    WELCOME = 0x30
    ASSIGN = 0x31
    REVOKE = 0x32

    @property
    def carries_body(self) -> bool:
        """Only these four have a body frame; any other with a fourth frame is malformed."""
        return self in (Command.ASK, Command.ANSWERED, Command.ANSWER, Command.ASSIGN)


# Directions, spelled as the golden vectors spell them. The receiver of a message knows which
# sub-protocol it speaks; a message of the other one is 403 (check 3).
CLIENT_TO_BROKER = "client-to-broker"
WORKER_TO_BROKER = "worker-to-broker"
BROKER_TO_CLIENT = "broker-to-client"
BROKER_TO_WORKER = "broker-to-worker"
# The broker reads both sub-protocols on one socket: either signature, peer to broker.
TO_BROKER = "to-broker"
# Either signature, broker to peer (tools that read both).
FROM_BROKER = "from-broker"
_TOWARD = {
    CLIENT_TO_BROKER: (TO_BROKER, b"HLPC01"),
    WORKER_TO_BROKER: (TO_BROKER, b"HLPW01"),
    BROKER_TO_CLIENT: (FROM_BROKER, b"HLPC01"),
    BROKER_TO_WORKER: (FROM_BROKER, b"HLPW01"),
    TO_BROKER: (TO_BROKER, None),
    FROM_BROKER: (FROM_BROKER, None),
}

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
    Field("heartbeat", UInt(*BROKER_HEARTBEAT_RANGE_MS)),
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


# -- Header bytes -------------------------------------------------------------------------------


def _pairs(pairs: List[Tuple[Any, Any]]) -> dict:
    mapping: dict = {}
    for key, value in pairs:
        if not isinstance(key, str):
            raise WireError(ErrorCode.MALFORMED, "header keys must be strings")
        if key in mapping:
            raise WireError(ErrorCode.MALFORMED, f"duplicate key `{key}`")
        mapping[key] = value
    return mapping


def _depth(value: Any) -> int:
    """Container nesting depth; the header map itself is depth 1. Iterative: hostile input
    must not reach Python's recursion limit."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item)
    return deepest


def parse_header(data: bytes) -> dict:
    """The header map, checked for the structural rules (check 6: 400) only."""
    try:
        header = msgpack.unpackb(
            data, raw=False, strict_map_key=False, use_list=True, object_pairs_hook=_pairs)
    except WireError:
        raise
    except msgpack.ExtraData:
        raise WireError(ErrorCode.MALFORMED, "trailing bytes after the header map") from None
    except UnicodeDecodeError:
        raise WireError(ErrorCode.MALFORMED, "invalid UTF-8 in a string") from None
    except Exception as error:  # every other msgpack failure: truncated, reserved byte, count bomb
        raise WireError(ErrorCode.MALFORMED, f"header is not MessagePack ({type(error).__name__})") from None
    if not isinstance(header, dict):
        raise WireError(ErrorCode.MALFORMED, "header is not a map")
    if _depth(header) > MAX_NESTING_DEPTH:
        raise WireError(ErrorCode.MALFORMED, f"header nests deeper than {MAX_NESTING_DEPTH}")
    return header


def _check_header_size(cls: type, data: bytes) -> None:
    # REPORT has its own limit: it lists every worker (up to MAX_REPORT_WORKERS).
    limit = MAX_REPORT_HEADER_BYTES if cls is Report else MAX_HEADER_BYTES
    if len(data) > limit:
        raise WireError(ErrorCode.TOO_LARGE, f"header over {limit} bytes")


def decode_header(cls: type, data: bytes) -> Message:
    """The message of class `cls` for header bytes (checks 5-7), or `WireError`."""
    _check_header_size(cls, data)
    header = parse_header(data)
    check_types(cls.FIELDS, header)
    check_values(cls.FIELDS, header)
    message = build(cls, header)
    message._check_rules()
    return message


def encode_header(message: Message) -> bytes:
    """The canonical header bytes of a valid message (`WireError` if it is not valid)."""
    message.validate()
    data = msgpack.packb(message.header(), use_bin_type=True)
    _check_header_size(type(message), data)
    return data


# -- Frames -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    """One decoded message: its sub-protocol, its typed header and its opaque body."""

    signature: bytes
    message: Message
    body: Optional[bytes] = None

    @property
    def command(self) -> Command:
        return self.message.COMMAND


def decode(frames: Sequence[bytes], direction: str) -> Envelope:
    """Validates and decodes the frames of one message (without a ROUTER identity frame),
    in the spec's order of checks, raising `WireError` with the code of the first failure.

    `direction` says who reads it: `BROKER_TO_CLIENT` for a client, `BROKER_TO_WORKER` for
    a worker, `TO_BROKER` for a broker (either sub-protocol); the vectors' four spellings
    are accepted too.
    """
    toward, expected = _TOWARD[direction]
    frames = [bytes(frame) for frame in frames]
    # 1. Signature.
    if not frames or frames[0] not in SIGNATURES:
        raise WireError(ErrorCode.UNSUPPORTED_VERSION, "unknown protocol signature")
    signature = frames[0]
    # 2. Command: one byte, in the table.
    if len(frames) < 2 or len(frames[1]) != 1:
        raise WireError(ErrorCode.MALFORMED, "frame 1 must be exactly one command byte")
    try:
        command = Command(frames[1][0])
    except ValueError:
        raise WireError(ErrorCode.MALFORMED, f"unknown command 0x{frames[1][0]:02x}") from None
    # 3. Sub-protocol and direction.
    cls = _REGISTRY.get((signature, command, toward))
    if cls is None or (expected is not None and signature != expected):
        raise WireError(ErrorCode.FORBIDDEN, f"{command.name} on {signature.decode()} is not valid here")
    # 4. Frame count.
    if len(frames) not in ((3, 4) if command.carries_body else (3,)):
        raise WireError(ErrorCode.MALFORMED, f"{len(frames)} frames for {command.name}")
    # 5. Sizes (the header's in decode_header).
    body = frames[3] if len(frames) == 4 else None
    if body is not None and len(body) > MAX_BODY_BYTES:
        raise WireError(ErrorCode.TOO_LARGE, f"body over {MAX_BODY_BYTES} bytes")
    # 6-7. Header decoding, then fields.
    message = decode_header(cls, frames[2])
    return Envelope(signature, message, body or None)


def encode(message: Message, body: Optional[bytes] = None, signature: Optional[bytes] = None) -> List[bytes]:
    """The frames of a valid message, canonical header. `signature` is needed only for the
    messages both sub-protocols share (ERROR, the broker's HEARTBEAT)."""
    if signature is None:
        if len(message.SIGNATURES) != 1:
            raise ValueError(f"{message.COMMAND.name} needs an explicit signature")
        signature = message.SIGNATURES[0]
    if signature not in message.SIGNATURES:
        raise ValueError(f"{message.COMMAND.name} is not part of {signature.decode()}")
    frames = [signature, bytes([message.COMMAND]), encode_header(message)]
    if body:
        if not message.COMMAND.carries_body:
            raise WireError(ErrorCode.MALFORMED, f"{message.COMMAND.name} carries no body frame")
        if len(body) > MAX_BODY_BYTES:
            raise WireError(ErrorCode.TOO_LARGE, f"body over {MAX_BODY_BYTES} bytes")
        frames.append(bytes(body))
    return frames


# -- Body conventions (RECOMMENDED; the broker never decodes bodies) ----------------------------

_UNSET = object()


def pack_ask_body(prompt: Optional[str] = None, context: Any = None, transcript: Any = None,
                  customer: Any = None, proposed: Any = _UNSET) -> Optional[bytes]:
    """The conventional ASK body: a map with the fields given (None ones left out)."""
    body = {}
    for key, value in (("prompt", prompt), ("context", context), ("transcript", transcript),
                       ("customer", customer)):
        if value is not None:
            body[key] = value
    if proposed is not _UNSET:
        body["proposed"] = proposed
    return msgpack.packb(body, use_bin_type=True) if body else None


def pack_answer_body(text: Optional[str] = None, edited: Any = _UNSET) -> Optional[bytes]:
    """The conventional ANSWER body: a map with `text` and/or `edited`."""
    body: Dict[str, Any] = {}
    if text is not None:
        body["text"] = text
    if edited is not _UNSET:
        body["edited"] = edited
    return msgpack.packb(body, use_bin_type=True) if body else None


def unpack_body(body: Optional[bytes]) -> Optional[dict]:
    """A conventional body as a dict; None when absent or not a MessagePack map (bodies are
    opaque: a peer may send anything)."""
    if not body:
        return None
    try:
        value = msgpack.unpackb(body, raw=False, strict_map_key=False)
    except Exception:
        return None
    return value if isinstance(value, dict) else None
