"""The kit's own HLP/1 codec and peers: pyzmq + msgpack, nothing else.

Deliberately small and literal, written from 1-HLP.md alone: a peer sends the frames the
spec shows and reads replies as (signature, command, header, body). No retries, no
threads: every wait has a timeout, and a reply that is not the one a rule expects is a
`Violation` naming what came instead.
"""

import time
import uuid

import msgpack
import zmq

CLIENT = b"HLPC01"
WORKER = b"HLPW01"

# 1-HLP.md "Commands": the command bytes.
ASK, CANCEL, RESUME, STATUS, HEARTBEAT, DISCONNECT, ERROR = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
QUEUED, ASSIGNED, ANSWERED, TRANSFERRED, EXPIRED, CANCELLED, REPORT = 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16
READY, ACCEPT, ANSWER, TRANSFER, DECLINE, EXTEND = 0x20, 0x21, 0x22, 0x23, 0x24, 0x25
WELCOME, ASSIGN, REVOKE = 0x30, 0x31, 0x32

NAMES = {value: name for name, value in globals().items() if name.isupper() and isinstance(value, int)}

# Generous: a wait only runs to its end when a rule is about to fail.
WAIT = 3.0


class Violation(Exception):
    """The broker did something the rule under test forbids."""


def check(condition, text):
    """Raises `Violation(text)` unless `condition` holds."""
    if not condition:
        raise Violation(text)


def pack(header):
    """Canonical enough for a test peer: msgpack's smallest forms, dict order kept."""
    return msgpack.packb(header, use_bin_type=True)


def unpack(frame):
    return msgpack.unpackb(frame, raw=False, strict_map_key=False)


def name(command):
    return NAMES.get(command, f"0x{command:02x}")


def unique(prefix):
    """A fresh name: ids are global to a broker, so every rule uses its own."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class Message:
    """One message received from the broker."""

    def __init__(self, frames):
        self.frames = frames
        self.signature = frames[0]
        self.command = frames[1][0] if len(frames) > 1 and len(frames[1]) == 1 else None
        self.header = unpack(frames[2]) if len(frames) > 2 else {}
        self.body = frames[3] if len(frames) > 3 and frames[3] else None

    def __getitem__(self, key):
        return self.header[key]

    def get(self, key, default=None):
        return self.header.get(key, default)

    def __repr__(self):
        body = f" + body {len(self.body)} B" if self.body else ""
        return f"{self.signature.decode(errors='replace')} {name(self.command)} {self.header}{body}"


class Peer:
    """One DEALER connection to the broker."""

    def __init__(self, context, endpoint, signature, label):
        self.signature = signature
        self.label = label
        self.socket = context.socket(zmq.DEALER)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.connect(endpoint)
        self.closed = False

    def send(self, command, header=None, body=None):
        frames = [self.signature, bytes([command]), pack(header or {})]
        if body:
            frames.append(body)
        self.socket.send_multipart(frames)

    def send_frames(self, frames):
        self.socket.send_multipart(frames)

    def receive(self, timeout=WAIT, skip_heartbeats=True):
        """The next message, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self.socket.poll(int(left * 1000) + 1):
                return None
            message = Message(self.socket.recv_multipart())
            if skip_heartbeats and message.command == HEARTBEAT and self.signature == WORKER:
                continue
            return message

    def expect(self, command, timeout=WAIT, **fields):
        """The next message must be `command` with `fields` equal to the given values."""
        message = self.receive(timeout)
        if message is None:
            raise Violation(f"{self.label}: expected {name(command)} {fields or ''}, got nothing in {timeout:.1f} s")
        if message.command != command or any(message.get(k, _MISSING) != v for k, v in fields.items()):
            raise Violation(f"{self.label}: expected {name(command)} {fields or ''}, got {message!r}")
        return message

    def wait_for(self, command, timeout=WAIT, **fields):
        """Skips other messages until `command` with `fields` arrives."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            message = self.receive(max(0.0, deadline - time.monotonic()))
            if message is None:
                raise Violation(f"{self.label}: no {name(command)} {fields or ''} in {timeout:.1f} s; got {seen}")
            if message.command == command and all(message.get(k, _MISSING) == v for k, v in fields.items()):
                return message
            seen.append(message)

    def expect_error(self, code, timeout=WAIT, **fields):
        message = self.expect(ERROR, timeout)
        if message["code"] != code or any(message.get(k, _MISSING) != v for k, v in fields.items()):
            raise Violation(f"{self.label}: expected ERROR {code} {fields or ''}, got {message!r}")
        return message

    def expect_nothing(self, duration=0.25):
        message = self.receive(duration)
        if message is not None:
            raise Violation(f"{self.label}: expected nothing, got {message!r}")

    def drain(self, duration=0.05):
        while self.receive(duration) is not None:
            pass

    def close(self):
        if not self.closed:
            self.socket.close(linger=0)
            self.closed = True


_MISSING = object()


class Client(Peer):
    def __init__(self, context, endpoint, label="client"):
        super().__init__(context, endpoint, CLIENT, label)

    def ask(self, ticket, body=b"\x81\xa6prompt\xa3ok?", **fields):
        header = {"id": ticket}
        header.update(fields)
        self.send(ASK, header, body)

    def cancel(self, ticket):
        self.send(CANCEL, {"id": ticket})

    def resume(self, *tickets):
        self.send(RESUME, {"ids": list(tickets)})

    def status(self):
        self.send(STATUS)
        return self.wait_for(REPORT)


class Worker(Peer):
    def __init__(self, context, endpoint, label):
        super().__init__(context, endpoint, WORKER, label)
        self.welcome = None

    def ready(self, name, role="hila", skills=(), capacity=1, heartbeat=30000, holding=(), presence="active",
              expect_welcome=True):
        self.send(READY, {"name": name, "role": role, "skills": list(skills), "capacity": capacity,
                          "heartbeat": heartbeat, "holding": list(holding), "presence": presence})
        if expect_welcome:
            self.welcome = self.expect(WELCOME)
        return self.welcome

    def heartbeat(self, presence="active"):
        self.send(HEARTBEAT, {"presence": presence})

    def accept(self, ticket, lease=0):
        self.send(ACCEPT, {"id": ticket, "lease": lease})

    def answer(self, ticket, decision="approve", option=None, body=None):
        header = {"id": ticket, "decision": decision}
        if option is not None:
            header["option"] = option
        self.send(ANSWER, header, body)

    def transfer(self, ticket, note=None):
        self.send(TRANSFER, {"id": ticket} if note is None else {"id": ticket, "note": note})

    def decline(self, ticket):
        self.send(DECLINE, {"id": ticket})

    def extend(self, ticket, lease):
        self.send(EXTEND, {"id": ticket, "lease": lease})

    def disconnect(self):
        self.send(DISCONNECT)

    def expect_assign(self, ticket, timeout=WAIT, **fields):
        return self.expect(ASSIGN, timeout, id=ticket, **fields)
