"""The golden vectors of proto-spec/vectors/: every valid one decodes to its header and
encodes back to its canonical bytes; every invalid one draws its error code.

The vectors live at the repository root (`proto-spec/vectors`, i.e. ../../proto-spec/vectors
from clients/python); HELPLINE_VECTORS points elsewhere (a worktree still writing them).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import msgpack
import pytest

from helpline import wire

VECTORS = Path(os.environ.get("HELPLINE_VECTORS")
               or Path(__file__).resolve().parents[3] / "proto-spec" / "vectors")


def _load(folder: Path):
    if not folder.is_dir():
        return []
    return [pytest.param(json.loads(path.read_text()), id=path.stem) for path in sorted(folder.glob("*.json"))]


VALID = _load(VECTORS)
INVALID = _load(VECTORS / "invalid")


def _frames(vector):
    return [bytes.fromhex(frame) for frame in vector["frames_hex"]]


def test_vectors_arePresent():
    if not VALID:
        pytest.skip(f"no golden vectors at {VECTORS}")
    assert INVALID, f"no invalid vectors under {VECTORS / 'invalid'}"


@pytest.mark.parametrize("vector", VALID)
def test_validVector_decodesToItsHeader_andEncodesCanonically(vector):
    frames = _frames(vector)
    envelope = wire.decode(frames, vector["direction"])
    message = envelope.message
    assert envelope.signature == vector["signature"].encode()
    assert message.COMMAND == vector["command_byte"]
    assert message.COMMAND.name == vector["command"]
    # The JSON header is what frame 2 holds; decoding it as a map gives the same message.
    if vector.get("header_exact", True):
        assert wire.parse_header(frames[2]) == vector["header"]
    else:  # an unknown key JSON cannot show: the JSON lists the other keys
        assert {k: v for k, v in wire.parse_header(frames[2]).items() if k in vector["header"]} == vector["header"]
    assert wire.decode_header(type(message), msgpack.packb(vector["header"])) == message
    canonical = bytes.fromhex(vector.get("canonical_hex", vector["frames_hex"][2]))
    assert wire.encode_header(message) == canonical
    body = bytes.fromhex(vector["body_hex"]) if vector.get("body_hex") else None
    assert envelope.body == body
    assert wire.encode(message, body, envelope.signature)[2] == canonical


@pytest.mark.parametrize("vector", INVALID)
def test_invalidVector_drawsItsErrorCode(vector):
    with pytest.raises(wire.WireError) as caught:
        wire.decode(_frames(vector), vector["direction"])
    assert caught.value.code == vector["error"], str(caught.value)
