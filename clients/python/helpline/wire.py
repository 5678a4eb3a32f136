"""HLP/1 codec: frames and headers to typed messages and back. No I/O.

A message is 3 or 4 ZeroMQ frames: signature (`HLPC01`/`HLPW01`), one command byte, a
MessagePack map header, and for ASK, ANSWER, ASSIGN and ANSWERED an opaque body. `encode`
writes the canonical header form (keys in table order, every non-optional field, smallest
integer and string forms); `decode` accepts any valid form and raises `WireError` with the
spec's code for anything else. Names, limits and defaults follow Sources/HelplineWire/*.swift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

import msgpack

from ._fields import build, check_types, check_values
from ._messages import *  # noqa: F401,F403 - the message types are part of this module's API
from ._messages import _REGISTRY, Message, Report
from ._protocol import *  # noqa: F401,F403 - so are the constants
from ._protocol import _TOWARD, MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_NESTING_DEPTH, MAX_REPORT_HEADER_BYTES, SIGNATURES, Command
from .errors import ArgumentError, ErrorCode, WireError

CLIENT_SIGNATURE, WORKER_SIGNATURE = b"HLPC01", b"HLPW01"

# -- Header bytes -------------------------------------------------------------------------------


class _Map(dict):
    """A decoded map that remembers a structural fault of its own keys (a non-str key, a
    key twice) instead of raising at once: only the header map itself and the maps of
    known fields must be sound; the value of an unknown key is skipped (1/HLP "What
    decoders reject")."""

    __slots__ = ("fault",)


def _pairs(pairs: List[Tuple[Any, Any]]) -> dict:
    mapping = _Map()
    mapping.fault = None
    for key, value in pairs:
        if not isinstance(key, str):
            mapping.fault = mapping.fault or "header keys must be strings"
        elif key in mapping:
            mapping.fault = mapping.fault or f"duplicate key `{key}`"
        mapping[key] = value
    return mapping


def _is_valid_text(text: str) -> bool:
    """Strings decode with `surrogateescape`: invalid UTF-8 shows as lone surrogates."""
    return not any("\ud800" <= char <= "\udfff" for char in text)


def _check_sound(value: Any) -> None:
    """Raises 400 for a map fault or invalid UTF-8 anywhere in `value` (iterative)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            fault = getattr(item, "fault", None)
            if fault:
                raise WireError(ErrorCode.MALFORMED, fault)
            for key, child in item.items():
                if isinstance(key, str) and not _is_valid_text(key):
                    raise WireError(ErrorCode.MALFORMED, "invalid UTF-8 in a key")
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and not _is_valid_text(item):
            raise WireError(ErrorCode.MALFORMED, "invalid UTF-8 in a string")


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
            data, raw=False, strict_map_key=False, use_list=True, object_pairs_hook=_pairs,
            unicode_errors="surrogateescape")
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
    if header.fault:
        raise WireError(ErrorCode.MALFORMED, header.fault)
    for key in header:
        if not _is_valid_text(key):
            raise WireError(ErrorCode.MALFORMED, "invalid UTF-8 in a key")
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
    # Check 7 of 1/HLP's order: one field at a time, in table order, each completely.
    for field in cls.FIELDS:
        if field.key in header:
            _check_sound(header[field.key])
        check_types((field,), header)
        check_values((field,), header)
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
    if command == Command.ERROR and expected == WORKER_SIGNATURE and signature == CLIENT_SIGNATURE:
        # The broker's 505 always travels on HLPC01 (1/HLP "Bad input"): a worker takes it.
        expected = signature
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
            raise ArgumentError(f"{message.COMMAND.name} needs an explicit signature")
        signature = message.SIGNATURES[0]
    if signature not in message.SIGNATURES:
        raise ArgumentError(f"{message.COMMAND.name} is not part of {signature.decode()}")
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
