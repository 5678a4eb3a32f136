"""Against the real Swift broker: Python client <-> Python worker, reroutes, transfers, a
restart, and hostile input from the Python side.

The broker binary is HELPLINE_BIN (default <repo>/.build/debug/helpline). These tests are
skipped only when that file does not exist; once it does, they run with `make test`.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import msgpack
import pytest
import zmq

from helpline import Answer, Client, Transfer, Worker, wire

REPO = Path(__file__).resolve().parents[3]
BINARY = Path(os.environ.get("HELPLINE_BIN") or REPO / ".build" / "debug" / "helpline")
WAIT = 10.0

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not BINARY.exists(), reason=f"no broker binary at {BINARY} (set HELPLINE_BIN)"),
]

_LISTENING = re.compile(r"helpline broker listening on (\S+)")


class Broker:
    """One broker process on loopback; stopped by PID with SIGTERM."""

    def __init__(self, endpoint: str = "tcp://127.0.0.1:*", *args: str):
        # HELPLINE_TEST_LOG=trace (or debug, info) appends the broker's log to
        # helpline-broker-test.log in the system temp folder.
        level = os.environ.get("HELPLINE_TEST_LOG")
        log = open(os.path.join(tempfile.gettempdir(), "helpline-broker-test.log"), "a") if level else None
        self.process = subprocess.Popen(
            # No journal unless a test asks for one: the default file would carry tickets
            # from one test into the next.
            [str(BINARY), "broker", "--endpoint", endpoint, "--log-level", level or "warning", "--journal", "memory",
             *args],
            stdout=subprocess.PIPE, stderr=log or subprocess.DEVNULL, text=True)
        if log is not None:
            log.close()
        self.endpoint = self._wait_listening()

    def _wait_listening(self) -> str:
        found: list = []

        def read() -> None:
            for line in self.process.stdout:
                match = _LISTENING.search(line)
                if match:
                    found.append(match.group(1))
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(WAIT)
        if not found:
            self.stop()
            raise RuntimeError("the broker did not print its endpoint")
        return found[0]

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(WAIT)
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture
def broker():
    process = Broker("tcp://127.0.0.1:*", "--accept-timeout-ms", "1000")
    yield process
    process.stop()


@pytest.fixture
def cleanup():
    things = []
    yield things
    for thing in reversed(things):
        (thing.stop if isinstance(thing, Worker) else thing.close)()


def worker(broker, cleanup, name, handler=None, **options):
    values = dict(skills=["refunds"], heartbeat=0.25)
    values.update(options)
    w = Worker(broker.endpoint, name=name, handler=handler, **values).start()
    cleanup.append(w)
    assert w.registered.wait(WAIT), f"{name} got no WELCOME"
    return w


def client(broker, cleanup, **options):
    c = Client(broker.endpoint, heartbeat=0.25, **options)
    cleanup.append(c)
    return c


def test_pythonClient_andPythonWorker_approveWithAnEdit(broker, cleanup):
    seen = []

    def hila(ticket):
        seen.append((ticket.prompt, ticket.proposed, ticket.skills))
        return Answer.edit({"amount": 120}, text="half is fair")

    worker(broker, cleanup, "ana", hila)
    events = []
    outcome = client(broker, cleanup).ask(
        "Refund 240?", skills=["refunds"], proposed={"amount": 240}, timeout=WAIT, on_event=events.append)
    assert outcome.kind == "answered" and outcome.decision == "edit" and outcome.worker == "ana"
    assert outcome.edited == {"amount": 120} and outcome.text == "half is fair"
    assert seen == [("Refund 240?", {"amount": 240}, ("refunds",))]
    assert events and events[0].kind == "queued"


def test_manyTickets_acrossTwoWorkers_eachAnsweredOnce(broker, cleanup):
    for name in ("ana", "bo"):
        worker(broker, cleanup, name, lambda t: Answer.reply(f"answer to {t.prompt}"), capacity=4)
    asker = client(broker, cleanup)
    results = {}

    def ask(i):
        results[i] = asker.ask(f"q{i}", skills=["refunds"], timeout=WAIT)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT * 2)
    assert sorted(results) == list(range(20))
    assert all(results[i].text == f"answer to q{i}" for i in range(20))


def test_absentWorker_ticketIsReroutedToAnotherHila(broker, cleanup):
    # "gone" never accepts (its human walked away): after the accept timeout the broker
    # revokes the offer, sets it away, and offers the ticket to "bo".
    gone = worker(broker, cleanup, "gone", auto_accept=False)
    outcome_box = []
    asker = client(broker, cleanup)
    thread = threading.Thread(target=lambda: outcome_box.append(
        asker.ask("anyone?", skills=["refunds"], timeout=WAIT)))
    thread.start()
    offered = gone.next_ticket(timeout=WAIT)
    assert offered is not None
    worker(broker, cleanup, "bo", lambda t: Answer.approve())
    thread.join(WAIT * 2)
    assert outcome_box and outcome_box[0].kind == "answered" and outcome_box[0].worker == "bo"
    assert offered.revoked.wait(WAIT) and offered.revoke_reason == "accept-timeout"


def test_deadWorker_ticketGoesToAnotherHila(broker, cleanup):
    held = threading.Event()
    dead = worker(broker, cleanup, "dead", lambda t: held.set() or time.sleep(WAIT))
    bo = worker(broker, cleanup, "bo", lambda t: Answer.approve(), presence="away")
    asker = client(broker, cleanup)
    box = []
    thread = threading.Thread(target=lambda: box.append(asker.ask("x", skills=["refunds"], timeout=WAIT)))
    thread.start()
    assert held.wait(WAIT)
    bo.set_presence("active")

    def die():  # the console crashes: no DISCONNECT, its connection just closes
        dead._close_socket()
        dead._stopping = True

    dead._post(die)
    thread.join(WAIT * 2)
    assert box and box[0].worker == "bo"


def test_noHila_transfersToALiveAgent_whoTakesOver(broker, cleanup):
    worker(broker, cleanup, "lee", role="live", skills=[])
    events = []
    outcome = client(broker, cleanup).ask("I want a person", skills=["legal"], timeout=WAIT,
                                          on_event=events.append)
    assert outcome.kind == "taken_over" and outcome.worker == "lee"
    assert outcome.transfer_reason == "no-hila"
    assert "transferred" in [e.kind for e in events]


def test_noHumanAtAll_transferredThenExpired(broker, cleanup):
    outcome = client(broker, cleanup).ask("hello?", skills=["nobody"], deadline=1, timeout=WAIT)
    assert outcome.kind == "expired" and outcome.transfer_reason == "no-hila"


def test_hilaTransfer_reachesTheLiveAgentWithTheNote(broker, cleanup):
    worker(broker, cleanup, "ana", lambda t: Transfer("customer is angry"))
    notes = []
    worker(broker, cleanup, "lee", lambda t: notes.append((t.note, t.transfer_reason)), role="live", skills=[])
    outcome = client(broker, cleanup).ask("refund?", skills=["refunds"], timeout=WAIT)
    assert outcome.kind == "taken_over" and outcome.transfer_note == "customer is angry"
    assert _wait(lambda: notes)  # the live agent's handler runs after its ACCEPT
    assert notes == [("customer is angry", "hila")]


def test_cancel_endsTheTicket(broker, cleanup):
    asker = client(broker, cleanup)
    box = []
    thread = threading.Thread(target=lambda: box.append(
        asker.ask("x", skills=["refunds"], ticket_id="cancel-me", max_wait=60, timeout=WAIT)))
    worker(broker, cleanup, "slow", auto_accept=False)
    thread.start()
    time.sleep(0.5)
    asker.cancel("cancel-me")
    thread.join(WAIT)
    assert box and box[0].kind == "cancelled"


def test_status_listsTheWorkers(broker, cleanup):
    worker(broker, cleanup, "ana")
    report = client(broker, cleanup).status()
    assert [w.name for w in report.workers] == ["ana"]


def test_brokerRestart_workersReRegister_andTheClientGetsOneOutcome(cleanup):
    # A broker without a journal forgets everything: the worker re-registers (READY
    # holding, WELCOME dropped), the client RESUMEs, draws 404 and ASKs again. Whether that
    # ASK reaches the new broker before or after the HILA's READY is a race: after, "ana"
    # answers; before, no HILA exists yet, it transfers (no-hila) and "lee" takes it over.
    port = _free_port()
    endpoint = f"tcp://127.0.0.1:{port}"
    first = Broker(endpoint)
    gate = threading.Event()
    try:
        ana = worker(first, cleanup, "ana", lambda t: gate.wait(WAIT) and Answer.approve())
        worker(first, cleanup, "lee", role="live", skills=[])
        asker = client(first, cleanup)
        box = []
        thread = threading.Thread(target=lambda: box.append(asker.ask("x", skills=["refunds"], timeout=WAIT * 2)))
        thread.start()
        assert _wait(lambda: ana.held)
    finally:
        first.stop()
    second = Broker(endpoint)
    try:
        gate.set()  # the first answer goes nowhere: its ticket died with the first broker
        thread.join(WAIT * 3)
        assert len(box) == 1
        outcome = box[0]
        assert (outcome.kind, outcome.worker) in (("answered", "ana"), ("taken_over", "lee")), outcome
        assert ana.connections >= 2 and ana.registered.is_set()
        # lee re-registers on its own schedule (its reconnect backoff): wait for it.
        observer = client(second, cleanup)
        assert _wait(lambda: {w.name for w in observer.status().workers} == {"ana", "lee"})
    finally:
        second.stop()


def _wait(predicate, timeout=WAIT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_refundExample_endToEnd(broker, cleanup):
    example = REPO / "examples" / "python" / "refund_agent.py"
    env = dict(os.environ, HELPLINE_ENDPOINT=broker.endpoint)
    human = subprocess.Popen([sys.executable, str(example), "--demo-human"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        watcher = client(broker, cleanup)
        deadline = time.monotonic() + WAIT
        while not any(w.name == "demo-human" for w in watcher.status().workers):
            assert time.monotonic() < deadline, "the demo console did not register"
            time.sleep(0.1)

        def agent(amount):
            return subprocess.run([sys.executable, str(example), "1182", str(amount)], env=env,
                                  capture_output=True, text=True, timeout=WAIT * 3).stdout

        assert "Refunded 40 EUR" in agent(40)
        assert "Refunded 240 EUR" in agent(240)
        assert "Refunded 300 EUR" in agent(600)
        assert "handing you over" in agent(5000)
    finally:
        human.terminate()
        human.wait(WAIT)


def _raw(broker):
    context = zmq.Context.instance()
    sock = context.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(broker.endpoint)
    return sock


def _reply(sock, timeout=WAIT):
    assert sock.poll(int(timeout * 1000)), "no reply"
    return sock.recv_multipart()


@pytest.mark.parametrize("frames,code", [
    ([b"HLPX01", b"\x04", b"\x80"], 505),
    ([b"HLPC01", b"\x99", b"\x80"], 400),
    ([b"HLPC01", b"\x04"], 400),
    ([b"HLPC01", b"\x20", b"\x80"], 403),
    ([b"HLPC01", b"\x01", b"\xdf\xff\xff\xff\xff"], 400),
    ([b"HLPC01", b"\x01", msgpack.packb({"id": "t", "priority": 12})], 422),
    ([b"HLPC01", b"\x01", msgpack.packb({"id": "x" * 129})], 413),
])
def test_hostileInput_drawsItsError_andTheBrokerServesOthers(broker, cleanup, frames, code):
    worker(broker, cleanup, "ana", lambda t: Answer.approve())
    sock = _raw(broker)
    try:
        sock.send_multipart(frames)
        reply = _reply(sock)
        assert reply[0] == b"HLPC01" and reply[1] == bytes([wire.Command.ERROR])
        assert msgpack.unpackb(reply[2])["code"] == code
    finally:
        sock.close(linger=0)
    assert broker.alive
    assert client(broker, cleanup).ask("still there?", skills=["refunds"], timeout=WAIT).kind == "answered"


def test_workerCommandBeforeReady_drawsDisconnect_andBadReady422(broker, cleanup):
    sock = _raw(broker)
    try:
        sock.send_multipart(wire.encode(wire.Accept(id="t-1")))
        reply = _reply(sock)
        assert reply[:2] == [wire.WORKER, bytes([wire.Command.DISCONNECT])]
        sock.send_multipart([wire.WORKER, bytes([wire.Command.READY]), msgpack.packb({"name": "x", "role": "boss"})])
        reply = _reply(sock)
        assert reply[:2] == [wire.WORKER, bytes([wire.Command.ERROR])]
        assert msgpack.unpackb(reply[2])["code"] == 422
    finally:
        sock.close(linger=0)
    worker(broker, cleanup, "ana", lambda t: Answer.approve())
    assert client(broker, cleanup).ask("ok?", skills=["refunds"], timeout=WAIT).kind == "answered"


def test_garbageFlood_doesNotBreakTheBroker(broker, cleanup):
    worker(broker, cleanup, "ana", lambda t: Answer.approve())
    sock = _raw(broker)
    try:
        for i in range(500):
            sock.send_multipart([os.urandom(i % 9)] * (1 + i % 6))
        time.sleep(0.3)
    finally:
        sock.close(linger=0)
    assert broker.alive
    assert client(broker, cleanup).ask("ok?", skills=["refunds"], timeout=WAIT).kind == "answered"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
