"""`Worker`: a HILA or live-agent console (HLP/Worker).

One I/O thread owns the DEALER socket (pyzmq sockets are not thread-safe) and does all the
protocol: READY, heartbeats on time whatever the handlers do, reconnects with backoff.
Handlers run on a thread pool sized to the capacity and hand their results to the I/O
thread through a queue and a wake-up pipe.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, Iterable, Optional, Union

import zmq

from .curve import CurveKeys
from . import wire
from .aio import DEFAULT_ENDPOINT
from .errors import ErrorCode, WireError
from .ticket import Answer, Decline, Ticket, Transfer

log = logging.getLogger("helpline.worker")

# Reconnect backoff: first retry quickly (a broker restart takes a moment), double up to a
# ceiling so a long outage costs one attempt every few seconds.
BACKOFF_FIRST_SECONDS = 0.1
BACKOFF_MAX_SECONDS = 5.0
# Until WELCOME says otherwise, the broker is dead after this many silent heartbeats.
DEFAULT_LIVENESS = 3
# A reply the broker refused with 503 (journal unwritable) is sent again after this long,
# about the broker's own journal retry: not lost to a full disk, not sent in a tight loop.
UNAVAILABLE_RETRY_SECONDS = 1.0

HandlerResult = Union[Answer, Transfer, Decline, None]


class Worker:
    """A console for one human (or a bot) that takes tickets from a Helpline broker.

    With a `handler`, each offered ticket is accepted (unless `auto_accept=False`) and passed
    to `handler(ticket)` on a pool thread; its return value (`Answer`, `Transfer`, `Decline`,
    or None when it used the ticket's methods itself) goes back to the broker. Without one,
    tickets wait in `next_ticket()` for explicit `accept/answer/transfer/decline/extend`.
    """

    def __init__(self, endpoint: Optional[str] = None, name: str = "", skills: Iterable[str] = (),
                 capacity: int = 1, role: str = "hila", *, heartbeat: float = 1.0,
                 presence: str = "active", auto_accept: bool = True, lease: float = 0,
                 handler: Optional[Callable[[Ticket], HandlerResult]] = None,
                 context: Optional[zmq.Context] = None, curve: Optional[CurveKeys] = None):
        self.endpoint = endpoint or os.environ.get("HELPLINE_ENDPOINT", DEFAULT_ENDPOINT)
        self.name = name
        self.skills = tuple(skills)
        self.capacity = capacity
        self.role = role
        self.auto_accept = auto_accept
        self.lease_ms = int(lease * 1000)
        self.handler = handler
        # With CURVE the broker admits this console only under its key's name, role and skills.
        self._curve = curve
        self._proposed_heartbeat_ms = int(heartbeat * 1000)
        # Refuse a bad registration here, not after a round trip.
        wire.Ready(name=name, role=role, skills=self.skills, capacity=capacity,
                   heartbeat=self._proposed_heartbeat_ms, presence=presence).validate()
        self._presence = presence
        self._context = context or zmq.Context.instance()
        self._commands: "queue.Queue[Callable[[], None]]" = queue.Queue()
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        self._inbox: "queue.Queue[Ticket]" = queue.Queue()
        self._pool = ThreadPoolExecutor(max_workers=capacity, thread_name_prefix=f"helpline-{name}")
        self._thread: Optional[threading.Thread] = None
        self._stopping = False
        self.registered = threading.Event()
        # State below is owned by the I/O thread.
        self._socket: Optional[zmq.Socket] = None
        self._held: Dict[str, Ticket] = {}
        # Results finished while there is no socket (waiting to reconnect): sent after the
        # next READY, which lists their tickets in `holding` so the broker keeps them here.
        self._deferred: Dict[str, HandlerResult] = {}
        # Replies sent and not yet known to be recorded: id -> [message, body, sent_at,
        # retry_at]. Sent again if the broker offers the ticket again (it lost the reply)
        # or answers 503 (its journal could not record it); forgotten after heartbeat x
        # liveness, when a broker that lost them would have said so.
        self._replies: Dict[str, list] = {}
        self._heartbeat = self._proposed_heartbeat_ms / 1000.0
        self._liveness = DEFAULT_LIVENESS
        self._last_heard = 0.0
        self._next_heartbeat = 0.0
        self._reconnect_at: Optional[float] = None
        self._backoff = BACKOFF_FIRST_SECONDS
        self.welcome: Optional[wire.Welcome] = None
        self.heartbeats_sent = 0
        self.connections = 0
        self.rejected_messages = 0
        # The broker's 401 to READY, when it refused the registration for good: the worker
        # then stops instead of reconnecting (`run()` returns).
        self.refusal: Optional[wire.Error] = None

    # -- Lifecycle ----------------------------------------------------------------------------

    def start(self, handler: Optional[Callable[[Ticket], HandlerResult]] = None) -> "Worker":
        """Connects and registers in the background; returns at once."""
        if handler is not None:
            self.handler = handler
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"helpline-worker-{self.name}", daemon=True)
            self._thread.start()
        return self

    def run(self, handler: Optional[Callable[[Ticket], HandlerResult]] = None) -> None:
        """Serves tickets until `stop()` (from another thread) or Ctrl-C."""
        self.start(handler)
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        except KeyboardInterrupt:
            self.stop()

    def stop(self, timeout: float = 5.0) -> None:
        """Sends DISCONNECT (the broker re-dispatches what this worker held) and stops."""
        self._stopping = True
        if self._thread is not None:
            self._post(lambda: None)
            self._thread.join(timeout)
        else:
            os.close(self._wake_read)
            os.close(self._wake_write)
        self._pool.shutdown(wait=False)

    def __enter__(self) -> "Worker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- Commands (any thread) ----------------------------------------------------------------

    def next_ticket(self, timeout: Optional[float] = None) -> Optional[Ticket]:
        """The next offered ticket when no handler is set; None after `timeout` seconds."""
        try:
            return self._inbox.get(timeout=timeout)
        except queue.Empty:
            return None

    def set_presence(self, presence: str) -> None:
        """`active` (offer me tickets) or `away` (keep mine, no new ones); sent at once."""
        if presence not in wire.PRESENCES:
            raise WireError(ErrorCode.INVALID, f"presence must be one of {wire.PRESENCES}")

        def change() -> None:
            self._presence = presence
            self._send(wire.WorkerHeartbeat(presence=presence))

        self._post(change)

    def accept(self, ticket_id: str, lease: float = 0) -> None:
        lease_ms = int(lease * 1000) if lease else self.lease_ms
        self._post(lambda: self._accept(ticket_id, lease_ms))

    def answer(self, ticket_id: str, answer: Answer) -> None:
        self._post(lambda: self._finish(ticket_id, answer))

    def transfer(self, ticket_id: str, note: Optional[str] = None) -> None:
        self._post(lambda: self._finish(ticket_id, Transfer(note)))

    def decline(self, ticket_id: str, reason: Optional[str] = None) -> None:
        self._post(lambda: self._finish(ticket_id, Decline(reason)))

    def extend(self, ticket_id: str, lease: float) -> None:
        message = wire.Extend(id=ticket_id, lease=int(lease * 1000))
        message.validate()
        self._post(lambda: self._send(message) if ticket_id in self._held else None)

    @property
    def held(self) -> tuple:
        """Ids of the tickets this worker holds (a snapshot)."""
        return tuple(self._held)

    def _post(self, command: Callable[[], None]) -> None:
        self._commands.put(command)
        try:
            os.write(self._wake_write, b"\0")
        except OSError:
            pass  # the I/O thread has gone; nothing will run the command

    # -- I/O thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._connect(time.monotonic())
            while not self._stopping:
                self._loop_once()
            if self._socket is not None and self.registered.is_set():
                self._send(wire.WorkerDisconnect())
        except Exception:  # a bug here must not hang the program silently
            log.exception("worker I/O thread failed")
        finally:
            self._close_socket()
            os.close(self._wake_read)
            os.close(self._wake_write)

    def _loop_once(self) -> None:
        now = time.monotonic()
        poller = zmq.Poller()
        poller.register(self._wake_read, zmq.POLLIN)
        if self._socket is not None:
            poller.register(self._socket, zmq.POLLIN)
        timeout = max(0.0, self._next_timer() - now)
        ready = dict(poller.poll(timeout * 1000))
        if self._wake_read in ready:
            self._drain_commands()
        if self._socket is not None and self._socket in ready:
            self._drain_socket()
        self._timers(time.monotonic())

    def _next_timer(self) -> float:
        if self._reconnect_at is not None:
            return self._reconnect_at
        due = min(self._next_heartbeat, self._last_heard + self._heartbeat * self._liveness)
        retries = [reply[3] for reply in self._replies.values() if reply[3] is not None]
        return min([due] + retries)

    def _timers(self, now: float) -> None:
        if self._reconnect_at is not None:
            if now >= self._reconnect_at:
                self._connect(now)
            return
        if now - self._last_heard >= self._heartbeat * self._liveness:
            log.info("%s: broker silent for %d heartbeats, reconnecting", self.name, self._liveness)
            self._schedule_reconnect(now)
            return
        if now >= self._next_heartbeat:
            self._send(wire.WorkerHeartbeat(presence=self._presence))
            self.heartbeats_sent += 1
            self._next_heartbeat = now + self._heartbeat
        window = self._heartbeat * self._liveness
        for ticket_id, reply in list(self._replies.items()):
            if reply[3] is not None and now >= reply[3]:
                self._resend(ticket_id, now)
            elif now - reply[2] >= window:
                del self._replies[ticket_id]

    def _resend(self, ticket_id: str, now: float) -> None:
        reply = self._replies[ticket_id]
        reply[2], reply[3] = now, None
        self._send(reply[0], reply[1])

    def _drain_commands(self) -> None:
        try:
            while os.read(self._wake_read, 4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            try:
                command()
            except Exception:
                log.exception("%s: a command failed", self.name)

    def _drain_socket(self) -> None:
        while self._socket is not None:
            try:
                frames = self._socket.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            self._receive(frames)

    def _connect(self, now: float) -> None:
        """A new socket and READY, with the tickets still held (a re-registration)."""
        self._close_socket()
        self._reconnect_at = None
        socket = self._context.socket(zmq.DEALER)
        socket.setsockopt(zmq.LINGER, 0)
        if self._curve is not None:
            self._curve.apply(socket)
        socket.connect(self.endpoint)
        self._socket = socket
        self.connections += 1
        self.registered.clear()
        self._last_heard = now
        self._next_heartbeat = now + self._heartbeat
        self._send(wire.Ready(
            name=self.name, role=self.role, skills=self.skills, capacity=self.capacity,
            heartbeat=self._proposed_heartbeat_ms, holding=tuple(self._held)[:wire.MAX_HOLDING],
            presence=self._presence))
        deferred, self._deferred = self._deferred, {}
        for ticket_id, result in deferred.items():
            self._finish(ticket_id, result)

    def _schedule_reconnect(self, now: float) -> None:
        self._close_socket()
        self.registered.clear()
        self._reconnect_at = now + self._backoff
        self._backoff = min(self._backoff * 2, BACKOFF_MAX_SECONDS)

    def _close_socket(self) -> None:
        if self._socket is not None:
            self._socket.close(linger=0)
            self._socket = None

    def _send(self, message: wire.Message, body: Optional[bytes] = None) -> None:
        if self._socket is None:
            return
        try:
            self._socket.send_multipart(wire.encode(message, body), zmq.NOBLOCK)
        except zmq.Again:
            log.warning("%s: send queue full, %s dropped", self.name, message.COMMAND.name)

    # -- Broker messages ----------------------------------------------------------------------

    def _receive(self, frames) -> None:
        try:
            envelope = wire.decode(frames, wire.BROKER_TO_WORKER)
        except WireError as error:
            self.rejected_messages += 1
            log.debug("%s: dropped a bad message from the broker: %s", self.name, error)
            return
        now = time.monotonic()
        self._last_heard = now
        message = envelope.message
        if isinstance(message, wire.Welcome):
            self._on_welcome(message)
        elif isinstance(message, wire.Assign):
            self._on_assign(message, envelope.body)
        elif isinstance(message, wire.Revoke):
            self._drop(message.id, message.reason)
            if message.reason == "accept-timeout" and not self.auto_accept:
                # The spec: a console whose offer timed out reports `away` until its human
                # shows activity (set_presence("active")). A program that accepts by itself
                # has no human to wait for, so it stays active.
                log.warning("%s: an offer timed out; presence is now away", self.name)
                self._presence = "away"
        elif isinstance(message, wire.BrokerDisconnect):
            log.info("%s: broker sent DISCONNECT (%s)", self.name, message.reason or "no reason")
            if self.refusal is not None:
                # The key does not grant this registration: the same READY would be refused
                # again, forever. Stop; `refusal` says why.
                log.error("%s: the broker refused the registration: %s", self.name, self.refusal.text)
                self._close_socket()
                self._stopping = True
                return
            self._schedule_reconnect(now)
        elif isinstance(message, wire.Error):
            self._on_error(message)

    def _on_welcome(self, message: wire.Welcome) -> None:
        self.welcome = message
        self._heartbeat = max(message.heartbeat, 1) / 1000.0
        self._liveness = max(message.liveness, 1)
        self._backoff = BACKOFF_FIRST_SECONDS
        for ticket_id in message.dropped:
            self._drop(ticket_id, "dropped")
        self.registered.set()

    def _on_assign(self, message: wire.Assign, body: Optional[bytes]) -> None:
        if message.id in self._replies and message.id not in self._held:
            # Offered again after this console replied: the broker lost the reply.
            self._resend(message.id, time.monotonic())
            return
        existing = self._held.get(message.id)
        if existing is not None:
            # Offered again (a reconnect crossed the offer): keep the one being worked on.
            if existing.accepted and existing.role != "live":
                self._send(wire.Accept(id=message.id, lease=self.lease_ms))
            return
        ticket = Ticket(message, body, self)
        self._held[message.id] = ticket
        if self.auto_accept:
            self._accept(message.id, self.lease_ms)
        if self.handler is not None:
            self._pool.submit(self._run_handler, ticket)
        else:
            self._inbox.put(ticket)

    def _on_error(self, message: wire.Error) -> None:
        log.warning("%s: broker error %d %s (ticket %s)", self.name, message.code, message.text, message.id)
        if message.code == ErrorCode.UNAVAILABLE and message.id in self._replies:
            # The broker could not journal the reply and undid it: send it again shortly,
            # about when the broker retries its journal.
            self._replies[message.id][3] = time.monotonic() + UNAVAILABLE_RETRY_SECONDS
        if message.code == ErrorCode.UNAUTHORIZED and message.command in (None, wire.Command.READY):
            # READY refused, or (no command) the registration revoked when the broker's keys
            # changed: the DISCONNECT that follows ends this worker.
            self.refusal = message
        if message.id in self._held and message.code in (ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN_TICKET):
            self._drop(message.id, "not held")  # the broker says it is not ours (any more)
        elif message.id in self._held:
            self._held[message.id]._errors.append(message)

    def _accept(self, ticket_id: str, lease_ms: int) -> None:
        ticket = self._held.get(ticket_id)
        if ticket is None or ticket.accepted:
            return
        ticket.accepted = True
        self._send(wire.Accept(id=ticket_id, lease=lease_ms))
        if ticket.role == "live":
            # A live agent's ACCEPT ends the ticket at the broker: the conversation is theirs.
            self._held.pop(ticket_id, None)

    def _drop(self, ticket_id: str, reason: str) -> None:
        self._deferred.pop(ticket_id, None)
        self._replies.pop(ticket_id, None)
        ticket = self._held.pop(ticket_id, None)
        if ticket is not None:
            ticket._revoke(reason)

    def _finish(self, ticket_id: str, result: HandlerResult) -> None:
        ticket = self._held.get(ticket_id)
        if ticket is None or result is None:
            return  # revoked meanwhile, or a live ticket already ended by ACCEPT
        if self._socket is None:
            self._deferred[ticket_id] = result
            return
        if isinstance(result, Answer):
            message, body = result.to_wire(ticket_id)
        elif isinstance(result, Transfer):
            message, body = wire.TransferMessage(id=ticket_id, note=result.note), None
        elif isinstance(result, Decline):
            message, body = wire.DeclineMessage(id=ticket_id, reason=result.reason), None
        else:
            log.error("%s: handler returned %r for %s; declining", self.name, result, ticket_id)
            message, body = wire.DeclineMessage(id=ticket_id, reason="handler returned no answer"), None
        try:
            message.validate()
        except WireError as error:
            log.error("%s: invalid reply for %s (%s); declining", self.name, ticket_id, error)
            message, body = wire.DeclineMessage(id=ticket_id, reason="invalid answer"), None
        self._held.pop(ticket_id, None)
        ticket._done.set()
        self._replies[ticket_id] = [message, body, time.monotonic(), None]
        self._send(message, body)

    # -- Pool threads -------------------------------------------------------------------------

    def _run_handler(self, ticket: Ticket) -> None:
        if ticket.revoked.is_set():
            # Revoked (cancelled, expired, moved) while waiting for a pool thread, all of
            # them busy with earlier tickets: the human must not see it after its end.
            return
        try:
            result = self.handler(ticket)
        except Exception as error:
            log.exception("%s: handler failed on %s; declining", self.name, ticket.id)
            result = Decline(_clip(f"handler error: {error}"))
        if result is not None:
            self._post(lambda: self._finish(ticket.id, result))


def _clip(text: str, limit: int = wire.MAX_TEXT_BYTES) -> str:
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")
