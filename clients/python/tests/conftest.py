"""Shared fixtures: a fake broker (a ROUTER socket in the test, speaking HLP/1 through the
codec) so client and worker logic is tested as wire transcripts: send ...; expect ...
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, List, Optional, Tuple

import pytest
import zmq

from helpline import wire

# Every wait in a test is bounded: a broken client fails the test, never hangs it.
WAIT = 5.0


class FakeBroker:
    """A scripted broker on an ephemeral loopback port. `expect` returns the next message of
    a given class, answering client heartbeats on the way (so the client sees a live broker)
    unless `answer_heartbeats` is False."""

    def __init__(self):
        self.context = zmq.Context()
        self.port: Optional[int] = None
        self.answer_heartbeats = True
        self.seen: List[Tuple[bytes, wire.Envelope]] = []
        self.bad: List[List[bytes]] = []
        self._bind()

    def _bind(self) -> None:
        self.router = self.context.socket(zmq.ROUTER)
        self.router.setsockopt(zmq.LINGER, 0)
        if self.port is None:
            self.port = self.router.bind_to_random_port("tcp://127.0.0.1")
        else:
            deadline = time.monotonic() + WAIT
            while True:  # the old socket's port may take a moment to free
                try:
                    self.router.bind(f"tcp://127.0.0.1:{self.port}")
                    break
                except zmq.ZMQError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)

    @property
    def endpoint(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def restart(self) -> None:
        """A broker restart: the ROUTER and everything it knew is gone; same port."""
        self.router.close(linger=0)
        self._bind()

    def recv_raw(self, timeout: float = WAIT) -> Optional[List[bytes]]:
        if not self.router.poll(int(timeout * 1000)):
            return None
        return self.router.recv_multipart()

    def recv(self, timeout: float = WAIT) -> Tuple[bytes, wire.Envelope]:
        """The next well-formed message (identity, envelope); malformed ones are kept in `bad`."""
        end = time.monotonic() + timeout
        while True:
            frames = self.recv_raw(max(0.0, end - time.monotonic()))
            if frames is None:
                raise AssertionError(f"no message within {timeout} s")
            try:
                envelope = wire.decode(frames[1:], wire.TO_BROKER)
            except wire.WireError:
                self.bad.append(frames)
                continue
            self.seen.append((frames[0], envelope))
            return frames[0], envelope

    def expect(self, cls, timeout: float = WAIT, skip=(wire.ClientHeartbeat, wire.WorkerHeartbeat)):
        """The next message of class `cls`, skipping (and answering) heartbeats."""
        end = time.monotonic() + timeout
        while True:
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {cls.__name__} within {timeout} s")
            identity, envelope = self.recv(remaining)
            message = envelope.message
            if isinstance(message, wire.ClientHeartbeat) and self.answer_heartbeats:
                self.send(identity, wire.BrokerHeartbeat(), signature=wire.CLIENT)
            if isinstance(message, cls):
                return identity, envelope
            if not isinstance(message, skip):
                raise AssertionError(f"expected {cls.__name__}, got {message!r}")

    def quiet(self, seconds: float) -> List[wire.Envelope]:
        """Everything received during `seconds` (heartbeats answered)."""
        got = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            frames = self.recv_raw(max(0.0, end - time.monotonic()))
            if frames is None:
                break
            try:
                envelope = wire.decode(frames[1:], wire.TO_BROKER)
            except wire.WireError:
                self.bad.append(frames)
                continue
            if isinstance(envelope.message, wire.ClientHeartbeat) and self.answer_heartbeats:
                self.send(frames[0], wire.BrokerHeartbeat(), signature=wire.CLIENT)
            got.append((frames[0], envelope))
        return got

    def send(self, identity: bytes, message: wire.Message, body: Optional[bytes] = None,
             signature: Optional[bytes] = None) -> None:
        self.router.send_multipart([identity] + wire.encode(message, body, signature))

    def send_raw(self, identity: bytes, frames: List[bytes]) -> None:
        self.router.send_multipart([identity] + list(frames))

    def close(self) -> None:
        self.router.close(linger=0)
        self.context.term()


@pytest.fixture
def broker():
    fake = FakeBroker()
    yield fake
    fake.close()


@pytest.fixture
def background():
    """Runs blocking calls (a `Client.ask`) off the test thread: `background(fn, *args)`
    returns a Future."""
    pool = ThreadPoolExecutor(max_workers=8)
    yield lambda fn, *args, **kwargs: pool.submit(fn, *args, **kwargs)
    pool.shutdown(wait=False)


def welcome(broker: FakeBroker, identity: bytes, **fields) -> None:
    values = dict(heartbeat=250, liveness=3, accept_timeout=30_000, attached=(), dropped=())
    values.update(fields)
    broker.send(identity, wire.Welcome(**values))


def assign(ticket_id: str, body: Optional[bytes] = None, **fields) -> Tuple[wire.Assign, Optional[bytes]]:
    values = dict(id=ticket_id, role="hila", skills=(), priority=0, options=(), age=5,
                  accept_timeout=30_000, deadline=3_600_000, attempt=1)
    values.update(fields)
    return wire.Assign(**values), body


def wait_until(predicate: Callable[[], bool], timeout: float = WAIT) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def serve_in_thread(broker: FakeBroker, script: Callable[[FakeBroker], None]) -> threading.Thread:
    """Runs a broker script on its own thread (for callers that block the test thread)."""
    errors: list = []

    def run():
        try:
            script(broker)
        except BaseException as error:  # reported by join_script
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.errors = errors
    thread.start()
    return thread


def join_script(thread: threading.Thread) -> None:
    thread.join(WAIT * 2)
    assert not thread.is_alive(), "broker script did not finish"
    if thread.errors:
        raise thread.errors[0]
