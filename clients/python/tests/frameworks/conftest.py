"""Shared by the framework tests: a real broker (the Swift binary) and a scripted human.

Each framework's tests run in that framework's own virtualenv (`make test-<framework>`);
in any other environment they are skipped by `pytest.importorskip`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from typing import Callable, List

import pytest

from helpline import Client, Ticket, Worker

from ..test_integration import BINARY, REPO, WAIT, Broker

EXAMPLES = REPO / "examples"


class Human:
    """A `helpline.Worker` whose decisions a test scripts: `decide(ticket)` returns an
    `Answer` or `Transfer`. Every ticket it is offered is kept in `tickets`, in order."""

    def __init__(self, endpoint: str, name: str = "ana", skills=()):
        self.tickets: List[Ticket] = []
        self.decide: Callable = lambda ticket: None
        self._lock = threading.Lock()
        self.worker = Worker(endpoint, name=name, skills=skills, heartbeat=0.25, capacity=4,
                             handler=self._handle).start()
        assert self.worker.registered.wait(WAIT), f"{name} got no WELCOME"

    def _handle(self, ticket: Ticket):
        with self._lock:
            self.tickets.append(ticket)
        return self.decide(ticket)

    @property
    def ids(self) -> List[str]:
        return [ticket.id for ticket in self.tickets]

    def stop(self) -> None:
        self.worker.stop()


@pytest.fixture
def helpline_broker():
    if not BINARY.exists():
        pytest.skip(f"no broker binary at {BINARY} (set HELPLINE_BIN)")
    process = Broker("tcp://127.0.0.1:*", "--accept-timeout-ms", "5000")
    yield process
    process.stop()


@pytest.fixture
def human(helpline_broker):
    person = Human(helpline_broker.endpoint)
    yield person
    person.stop()


@pytest.fixture
def client(helpline_broker):
    agent = Client(helpline_broker.endpoint, heartbeat=0.25)
    yield agent
    agent.close()


def run_example(relative: str, endpoint: str) -> str:
    """Runs examples/<relative> against the broker at `endpoint`; returns its stdout."""
    done = subprocess.run([sys.executable, str(EXAMPLES / relative)], capture_output=True, text=True,
                          env={**os.environ, "HELPLINE_ENDPOINT": endpoint}, timeout=WAIT * 6)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
