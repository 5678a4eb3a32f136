"""HLP/1 constants: signatures, limits, defaults, vocabularies, command bytes, directions.

Each mirrors Sources/HelplineWire (Signature.swift, WireLimits.swift, Vocabulary.swift,
Command.swift), where the reason for every limit is written.
"""

from __future__ import annotations

import enum

__all__ = [
    "BROKER_HEARTBEAT_RANGE_MS",
    "BROKER_TO_CLIENT",
    "BROKER_TO_WORKER",
    "CLIENT",
    "CLIENT_TO_BROKER",
    "DEADLINE_RANGE_MS",
    "DECISIONS",
    "DEFAULT_CAPACITY",
    "DEFAULT_DEADLINE_MS",
    "DEFAULT_HEARTBEAT_MS",
    "DEFAULT_MAX_WAIT_MS",
    "DEFAULT_PRIORITY",
    "DEFAULT_ROLE",
    "FROM_BROKER",
    "HEARTBEAT_RANGE_MS",
    "LEASE_RANGE_MS",
    "MAX_BODY_BYTES",
    "MAX_CAPACITY",
    "MAX_HEADER_BYTES",
    "MAX_HOLDING",
    "MAX_NAME_BYTES",
    "MAX_NESTING_DEPTH",
    "MAX_OPTIONS",
    "MAX_OPTION_BYTES",
    "MAX_PRIORITY",
    "MAX_REPORT_HEADER_BYTES",
    "MAX_REPORT_WORKERS",
    "MAX_RESUME_IDS",
    "MAX_SKILLS",
    "MAX_SKILL_BYTES",
    "MAX_TEXT_BYTES",
    "MAX_TICKET_ID_BYTES",
    "MAX_WAIT_RANGE_MS",
    "PRESENCES",
    "REVOKE_REASONS",
    "ROLES",
    "SIGNATURES",
    "STAGES",
    "TO_BROKER",
    "TRANSFER_REASONS",
    "WORKER",
    "WORKER_TO_BROKER",
    "Command",
]

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

