"""CURVE keys for a broker that requires them (proto-spec §Security).

Key files are the certificates `helpline keygen NAME` writes (and CZMQ's zcert, and pyzmq's
`zmq.auth.create_certificates`): `NAME.key_secret` holds a peer's key pair, `NAME.key` its
public key. A file holding just a 40-character Z85 key also loads, as a public key.

>>> keys = CurveKeys.from_files("agent.key_secret", "broker.key")
>>> client = Client("tcp://broker.example:5555", curve=keys)
"""

from __future__ import annotations

import os
from typing import NamedTuple, Optional, Tuple

import zmq
from zmq.utils import z85

from .errors import ArgumentError

# A key file is a few hundred bytes; anything much larger is not one.
MAX_KEY_FILE_BYTES = 64 * 1024
Z85_KEY_LENGTH = 40


class CurveKeys(NamedTuple):
    """This peer's key pair and the broker's public key, each 40 Z85 characters."""

    server_key: bytes
    public_key: bytes
    secret_key: bytes

    @classmethod
    def from_files(cls, key_file: str, server_key_file: str) -> "CurveKeys":
        """This peer's secret certificate and the broker's public one (or a bare key)."""
        public_key, secret_key = load_key_file(key_file)
        if secret_key is None:
            raise ArgumentError(f"{key_file}: holds no secret key; pass the NAME.key_secret file")
        server_key, _ = load_key_file(server_key_file)
        return cls(server_key=server_key, public_key=public_key, secret_key=secret_key)

    @classmethod
    def from_environment(cls) -> Optional["CurveKeys"]:
        """Keys named by HELPLINE_KEY and HELPLINE_SERVER_KEY, or None when neither is set."""
        key_file = os.environ.get("HELPLINE_KEY")
        server_key_file = os.environ.get("HELPLINE_SERVER_KEY")
        if not key_file and not server_key_file:
            return None
        if not key_file or not server_key_file:
            raise ArgumentError("HELPLINE_KEY and HELPLINE_SERVER_KEY go together: CURVE needs both")
        return cls.from_files(key_file, server_key_file)

    def apply(self, socket: zmq.Socket) -> None:
        """Makes `socket` a CURVE client of the broker; call before `connect`."""
        socket.curve_serverkey = self.server_key
        socket.curve_publickey = self.public_key
        socket.curve_secretkey = self.secret_key


def load_key_file(path: str) -> Tuple[bytes, Optional[bytes]]:
    """(public key, secret key or None) from a certificate or a bare-key file."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_KEY_FILE_BYTES + 1)
    if len(data) > MAX_KEY_FILE_BYTES:
        raise ArgumentError(f"{path}: larger than {MAX_KEY_FILE_BYTES} bytes")
    public_key = secret_key = None
    bare = []
    for raw in data.splitlines():
        line = raw.strip()
        # A bare key first: Z85 uses '#' and '=' too, so such a key is neither a comment
        # nor a "name = value" line.
        if _is_z85_key(line):
            bare.append(line)
            continue
        if not line or line.startswith(b"#"):
            continue
        if line.startswith(b"public-key"):
            public_key = _value(line)
        elif line.startswith(b"secret-key"):
            secret_key = _value(line)
        elif line not in (b"metadata", b"curve") and b"=" not in line:
            bare.append(line)
    if public_key is None and secret_key is None and len(bare) == 1:
        public_key = bare[0]
    if public_key is None and secret_key is not None:
        public_key = zmq.curve_public(secret_key)
    if public_key is None:
        raise ArgumentError(f"{path}: no public-key line and no bare key")
    for key in (public_key, secret_key):
        if key is not None and not _is_z85_key(key):
            raise ArgumentError(f"{path}: a key is not {Z85_KEY_LENGTH} Z85 characters")
    if secret_key is not None and zmq.curve_public(secret_key) != public_key:
        raise ArgumentError(f"{path}: the public key does not belong to the secret key")
    return public_key, secret_key


def _value(line: bytes) -> bytes:
    return line.split(b"=", 1)[1].strip().strip(b"\"'")


def _is_z85_key(key: bytes) -> bool:
    if len(key) != Z85_KEY_LENGTH:
        return False
    try:
        return len(z85.decode(key)) == 32
    except (ValueError, KeyError):
        return False
