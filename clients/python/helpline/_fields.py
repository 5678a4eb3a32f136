"""Header field kinds of HLP/1: how one header value is typed, limited and checked.

Each kind checks in two steps so a decoder reports the spec's code: `check_type` (a value
of the wrong MessagePack type -> 400 malformed) runs over the whole header first, then
`check_value` (over a size limit -> 413 too-large; empty, control characters, out of
range, not in the vocabulary -> 422 invalid) field by field in table order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, FrozenSet, Optional, Tuple

from .errors import ErrorCode, WireError

MALFORMED = ErrorCode.MALFORMED
TOO_LARGE = ErrorCode.TOO_LARGE
INVALID = ErrorCode.INVALID

# MessagePack's widest unsigned integer.
UINT64_MAX = 2**64 - 1


def _fail(code: ErrorCode, key: str, text: str) -> WireError:
    return WireError(code, f"`{key}`: {text}")


def _is_int(value: Any) -> bool:
    # bool is an int in Python; on the wire it is its own type, which HLP/1 refuses.
    return isinstance(value, int) and not isinstance(value, bool)


def _has_control(text: str) -> bool:
    return any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text)


class Kind:
    """One field's type and rules. Values are Python forms of MessagePack values."""

    def check_type(self, key: str, value: Any) -> None:
        raise NotImplementedError

    def check_value(self, key: str, value: Any) -> None:
        raise NotImplementedError

    def to_python(self, value: Any) -> Any:
        return value

    def to_wire(self, value: Any) -> Any:
        return value


@dataclass(frozen=True)
class Text(Kind):
    """A free string (notes, reasons, error texts): any content up to `max_bytes`."""

    max_bytes: int

    def check_type(self, key, value):
        if not isinstance(value, str):
            raise _fail(MALFORMED, key, f"expected a string, got {type(value).__name__}")

    def check_value(self, key, value):
        if len(value.encode("utf-8")) > self.max_bytes:
            raise _fail(TOO_LARGE, key, f"longer than {self.max_bytes} bytes")


@dataclass(frozen=True)
class Sized(Text):
    """A non-empty string of at most `max_bytes` (what the broker echoes: `1–128 bytes`)."""

    def check_value(self, key, value):
        if not value:
            raise _fail(INVALID, key, "must not be empty")
        super().check_value(key, value)


@dataclass(frozen=True)
class Name(Text):
    """A string that names a thing (ticket id, worker name, skill, option): non-empty, no
    control characters (checked before the byte limit: "names, limits"), at most `max_bytes`."""

    def check_value(self, key, value):
        if not value:
            raise _fail(INVALID, key, "must not be empty")
        if _has_control(value):
            raise _fail(INVALID, key, "must not contain control characters")
        super().check_value(key, value)


@dataclass(frozen=True)
class Vocab(Kind):
    """One word of a closed vocabulary (Vocabulary.swift)."""

    words: Tuple[str, ...]

    def check_type(self, key, value):
        if not isinstance(value, str):
            raise _fail(MALFORMED, key, f"expected a string, got {type(value).__name__}")

    def check_value(self, key, value):
        if value not in self.words:
            raise _fail(INVALID, key, f"{value!r} is not one of {', '.join(self.words)}")


@dataclass(frozen=True)
class UInt(Kind):
    """A non-negative integer in `[low, high]`; any MessagePack integer form is accepted."""

    low: int = 0
    high: int = UINT64_MAX
    allowed: Optional[FrozenSet[int]] = None

    def check_type(self, key, value):
        if not _is_int(value):
            raise _fail(MALFORMED, key, f"expected an integer, got {type(value).__name__}")

    def check_value(self, key, value):
        if not self.low <= value <= self.high:
            raise _fail(INVALID, key, f"{value} is outside {self.low}...{self.high}")
        if self.allowed is not None and value not in self.allowed:
            raise _fail(INVALID, key, f"{value} is not a known value")


@dataclass(frozen=True)
class Names(Kind):
    """A list of naming strings: `min_items`...`max_items` entries of `item`."""

    item: Text
    max_items: int
    min_items: int = 0

    def check_type(self, key, value):
        if not isinstance(value, list):
            raise _fail(MALFORMED, key, f"expected a list, got {type(value).__name__}")
        for entry in value:
            self.item.check_type(key, entry)

    def check_value(self, key, value):
        if len(value) > self.max_items:
            raise _fail(TOO_LARGE, key, f"more than {self.max_items} entries")
        if len(value) < self.min_items:
            raise _fail(INVALID, key, f"fewer than {self.min_items} entries")
        for entry in value:
            self.item.check_value(key, entry)

    def to_python(self, value):
        return tuple(value)

    def to_wire(self, value):
        # A bare string is not a list of names: leave it for check_type to refuse.
        return list(value) if isinstance(value, (list, tuple)) else value


@dataclass(frozen=True)
class Counts(Kind):
    """REPORT `counts`: a map of str -> non-negative integer, keys open-ended."""

    def check_type(self, key, value):
        if not isinstance(value, dict):
            raise _fail(MALFORMED, key, f"expected a map, got {type(value).__name__}")
        for name, count in value.items():
            if not _is_int(count):
                raise _fail(MALFORMED, f"{key}.{name}", "expected an integer")

    def check_value(self, key, value):
        for name, count in value.items():
            if count < 0:
                raise _fail(INVALID, f"{key}.{name}", "must not be negative")

    def to_python(self, value):
        return dict(value)

    def to_wire(self, value):
        # Canonical form: open-ended keys in ascending byte order.
        return dict(sorted(value.items(), key=lambda item: item[0].encode("utf-8")))


class Records(Kind):
    """A list of nested maps, each one a record class with its own `FIELDS` (REPORT)."""

    def __init__(self, record: type):
        self.record = record

    def check_type(self, key, value):
        if not isinstance(value, list):
            raise _fail(MALFORMED, key, f"expected a list, got {type(value).__name__}")
        for entry in value:
            if not isinstance(entry, dict):
                raise _fail(MALFORMED, key, "expected a list of maps")
            check_types(self.record.FIELDS, entry)

    def check_value(self, key, value):
        for entry in value:
            check_values(self.record.FIELDS, entry)

    def to_python(self, value):
        return tuple(build(self.record, entry) for entry in value)

    def to_wire(self, value):
        return [to_map(entry) for entry in value]


# Sentinels for `Field.default`.
REQUIRED = object()
OPTIONAL = object()


@dataclass(frozen=True)
class Field:
    """One row of the spec's header table: key, kind, and REQUIRED / OPTIONAL / a default."""

    key: str
    kind: Kind
    default: Any = REQUIRED


def check_types(fields: Tuple[Field, ...], header: dict) -> None:
    """400 for any known field present with the wrong type (unknown keys are ignored)."""
    for field in fields:
        if field.key in header:
            field.kind.check_type(field.key, header[field.key])


def check_values(fields: Tuple[Field, ...], header: dict) -> None:
    """422 for a missing required field, 413/422 for values over a limit or out of range."""
    for field in fields:
        if field.key not in header:
            if field.default is REQUIRED:
                raise _fail(INVALID, field.key, "required field is missing")
            continue
        field.kind.check_value(field.key, header[field.key])


def build(record: type, header: dict):
    """The record (message dataclass) for a checked header, defaults applied."""
    values = {}
    for field in record.FIELDS:
        if field.key in header:
            values[field.key] = field.kind.to_python(header[field.key])
        elif field.default is OPTIONAL:
            values[field.key] = None
        else:
            values[field.key] = field.default
    return record(**values)


def to_map(record) -> dict:
    """The canonical header map of a record: table order, every non-optional field, optional
    fields only when present."""
    header = {}
    for field in record.FIELDS:
        value = getattr(record, field.key)
        if value is None and field.default is OPTIONAL:
            continue
        header[field.key] = field.kind.to_wire(value)
    return header
