"""`AsyncClient`: many concurrent tickets over one DEALER socket, for asyncio programs."""

from __future__ import annotations

import asyncio
import inspect
import logging
import uuid
from typing import Any, AsyncIterator, Callable, Dict, Iterable, Optional, Union

import zmq
import zmq.asyncio
from zmq.utils.monitor import parse_monitor_message

from . import wire
from .errors import ArgumentError, ClientClosed, HelplineError, HelplineTimeout
from .outcome import TRANSFERRED, Event, Outcome
from .curve import CurveKeys
from .session import ClientSession, Reaction

log = logging.getLogger("helpline.client")

DEFAULT_ENDPOINT = "tcp://127.0.0.1:5555"
# How long past a ticket's deadline `ask` still waits for the broker's EXPIRED before it
# gives up locally: covers a broker restart and a RESUME round trip.
DEADLINE_GRACE_SECONDS = 60.0
# Messages queued on the socket while the broker is away: ASKs are tiny, and a full queue
# drops (the RESUME after the reconnect recovers), so be generous.
SEND_HIGH_WATER_MARK = 100_000
# libzmq's own TCP reconnect: fast first, never hammering a broker that is down.
RECONNECT_IVL_MS = 100
RECONNECT_IVL_MAX_MS = 5_000

_UNSET = wire._UNSET
_MONITOR_EVENTS = zmq.EVENT_CONNECTED | zmq.EVENT_DISCONNECTED


def _ms(seconds: float, field: str) -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        raise ArgumentError(f"`{field}` must be a non-negative number of seconds")
    return int(round(seconds * 1000))


def build_ask(*, skills: Iterable[str] = (), options: Iterable[str] = (), priority: int = 0,
              role: str = "hila", max_wait: float = 60.0, deadline: float = 3600.0,
              ticket_id: Optional[str] = None) -> wire.Ask:
    """The ASK header for `ask`'s arguments (seconds become milliseconds; ids are uuid4)."""
    if isinstance(skills, str) or isinstance(options, str):
        raise ArgumentError("`skills` and `options` are lists of strings")
    return wire.Ask(
        id=ticket_id if ticket_id is not None else str(uuid.uuid4()),
        skills=tuple(skills), role=role, priority=priority, options=tuple(options),
        max_wait=_ms(max_wait, "max_wait"), deadline=_ms(deadline, "deadline"))


class AsyncClient:
    """An agent's connection to a Helpline broker (HLP/Client), for asyncio.

    Any number of `ask` calls may run at once on one socket. The client heartbeats while
    tickets are open; when the broker stays silent for `liveness` heartbeats it replaces its
    socket and RESUMEs its open tickets (also after libzmq reconnects by itself). Each
    ticket's outcome is delivered once.
    """

    def __init__(self, endpoint: str = DEFAULT_ENDPOINT, *, heartbeat: float = 1.0,
                 liveness: int = 3, context: Optional[zmq.asyncio.Context] = None,
                 curve: Optional[CurveKeys] = None):
        """`curve`: this client's keys and the broker's, for a broker with CURVE
        (`CurveKeys.from_files("agent.key_secret", "broker.key")`); None for one without."""
        self.endpoint = endpoint
        self._curve = curve
        self._session = ClientSession(heartbeat=heartbeat, liveness=liveness)
        self._context = context or zmq.asyncio.Context.instance()
        self._socket: Optional[zmq.asyncio.Socket] = None
        self._monitor: Optional[zmq.asyncio.Socket] = None
        self._tasks: list = []
        self._ticker: Optional[asyncio.Task] = None
        self._wake: Optional[asyncio.Event] = None
        self._waiters: Dict[str, asyncio.Queue] = {}
        self._status_waiters: list = []
        self._closed = False
        self.reconnects = 0

    # -- Public API ---------------------------------------------------------------------------

    async def ask(self, prompt: Optional[str] = None, *, skills: Iterable[str] = (),
                  options: Iterable[str] = (), context: Any = None, transcript: Any = None,
                  customer: Any = None, proposed: Any = _UNSET, priority: int = 0,
                  role: str = "hila", max_wait: float = 60.0, deadline: float = 3600.0,
                  timeout: Optional[float] = None, ticket_id: Optional[str] = None,
                  on_event: Optional[Callable[[Event], Any]] = None,
                  stop_on_transfer: bool = False) -> Outcome:
        """Asks a human and waits for the outcome. Times are in seconds.

        `on_event` (plain or async) sees each progress `Event`. `timeout` bounds the local
        wait (default: the deadline plus a grace); when it runs out the ticket is cancelled
        and `HelplineTimeout` raised. Refusals raise `HelplineError` with the broker's code.
        """
        async for item in self.stream(
                prompt, skills=skills, options=options, context=context, transcript=transcript,
                customer=customer, proposed=proposed, priority=priority, role=role,
                max_wait=max_wait, deadline=deadline, timeout=timeout, ticket_id=ticket_id,
                stop_on_transfer=stop_on_transfer):
            if isinstance(item, Outcome):
                return item
            if on_event is not None:
                result = on_event(item)
                if inspect.isawaitable(result):
                    await result
        raise ClientClosed("the ticket ended without an outcome")  # not reached

    async def stream(self, prompt: Optional[str] = None, *, skills: Iterable[str] = (),
                     options: Iterable[str] = (), context: Any = None, transcript: Any = None,
                     customer: Any = None, proposed: Any = _UNSET, priority: int = 0,
                     role: str = "hila", max_wait: float = 60.0, deadline: float = 3600.0,
                     timeout: Optional[float] = None, ticket_id: Optional[str] = None,
                     stop_on_transfer: bool = False) -> AsyncIterator[Union[Event, Outcome]]:
        """Like `ask`, as an async iterator: each `Event`, then the `Outcome` last.
        Leaving the loop early cancels the ticket."""
        header = build_ask(skills=skills, options=options, priority=priority, role=role,
                           max_wait=max_wait, deadline=deadline, ticket_id=ticket_id)
        body = wire.pack_ask_body(prompt, context, transcript, customer, proposed)
        await self._start()
        loop = asyncio.get_running_loop()
        frames = self._session.ask(header, body, loop.time())
        queue: asyncio.Queue = asyncio.Queue()
        self._waiters[header.id] = queue
        self._send(frames)
        self._wake.set()
        limit = timeout if timeout is not None else deadline + DEADLINE_GRACE_SECONDS
        end = loop.time() + limit
        finished = False
        try:
            while True:
                try:
                    update = await asyncio.wait_for(queue.get(), max(0.0, end - loop.time()))
                except asyncio.TimeoutError:
                    raise HelplineTimeout(f"no outcome within {limit:g} s; ticket cancelled", header.id) from None
                if isinstance(update, HelplineError):
                    finished = True
                    raise update
                if isinstance(update, Outcome):
                    finished = True
                    yield update
                    return
                yield update
                if stop_on_transfer and update.kind == "transferred":
                    finished = True
                    self._session.forget(header.id)
                    yield Outcome(ticket_id=header.id, kind=TRANSFERRED,
                                  transfer_reason=update.reason, transfer_note=update.note)
                    return
        finally:
            self._waiters.pop(header.id, None)
            if not finished:
                self._abandon(header.id)

    async def cancel(self, ticket_id: str) -> None:
        """Withdraws an open ticket; its `ask` ends with kind `cancelled`."""
        await self._start()
        frames = self._session.cancel(ticket_id)
        if frames is not None:
            self._send(frames)

    async def status(self, timeout: float = 5.0) -> wire.Report:
        """The broker's REPORT snapshot."""
        await self._start()
        future = asyncio.get_running_loop().create_future()
        self._status_waiters.append(future)
        self._send(self._session.status())
        self._wake.set()
        try:
            return await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            raise HelplineTimeout(f"no REPORT within {timeout:g} s") from None
        finally:
            if future in self._status_waiters:
                self._status_waiters.remove(future)

    @property
    def open_tickets(self) -> tuple:
        return tuple(self._session.open)

    async def close(self) -> None:
        """Stops the client. Waiting calls raise `ClientClosed`; open tickets stay at the
        broker (a new client may RESUME them by asking again with the same ids)."""
        if self._closed:
            return
        self._closed = True
        tasks = self._tasks + ([self._ticker] if self._ticker else [])
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._close_sockets()
        for ticket_id, queue in list(self._waiters.items()):
            queue.put_nowait(ClientClosed(ticket_id=ticket_id))
        for future in self._status_waiters:
            if not future.done():
                future.set_exception(ClientClosed())

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    # -- Machinery ----------------------------------------------------------------------------

    async def _start(self) -> None:
        if self._closed:
            raise ClientClosed()
        if self._ticker is None:
            self._wake = asyncio.Event()
            self._open_socket()
            self._ticker = asyncio.ensure_future(self._tick_loop())

    def _open_socket(self) -> None:
        socket = self._context.socket(zmq.DEALER)
        socket.setsockopt(zmq.LINGER, 0)
        socket.setsockopt(zmq.SNDHWM, SEND_HIGH_WATER_MARK)
        socket.setsockopt(zmq.RECONNECT_IVL, RECONNECT_IVL_MS)
        socket.setsockopt(zmq.RECONNECT_IVL_MAX, RECONNECT_IVL_MAX_MS)
        if self._curve is not None:
            self._curve.apply(socket)
        self._monitor = socket.get_monitor_socket(_MONITOR_EVENTS)
        socket.connect(self.endpoint)
        self._socket = socket
        self._tasks = [asyncio.ensure_future(self._read_loop(socket)),
                       asyncio.ensure_future(self._monitor_loop(self._monitor))]

    def _close_sockets(self) -> None:
        for task in self._tasks:
            task.cancel()
        self._tasks = []
        if self._socket is not None:
            try:
                self._socket.disable_monitor()
            except zmq.ZMQError:
                pass
            self._socket.close(linger=0)
        if self._monitor is not None:
            self._monitor.close(linger=0)
        self._socket = self._monitor = None

    def _reconnect(self) -> None:
        """A new socket (a new connection the broker sees fresh), then RESUME."""
        self.reconnects += 1
        log.info("broker silent: reconnecting to %s", self.endpoint)
        self._close_sockets()
        self._open_socket()
        self._apply(self._session.reconnected(asyncio.get_running_loop().time()))

    def _send(self, frames) -> None:
        if self._socket is None:
            return
        try:
            future = self._socket.send_multipart(frames, flags=zmq.NOBLOCK)
        except zmq.ZMQError:
            return  # queue full: the RESUME after a reconnect recovers the ticket
        future.add_done_callback(_swallow)

    def _abandon(self, ticket_id: str) -> None:
        """The caller stopped waiting: cancel at the broker, stop tracking."""
        frames = self._session.cancel(ticket_id)
        self._session.forget(ticket_id)
        if frames is not None and not self._closed:
            self._send(frames)

    def _apply(self, reaction: Reaction) -> None:
        for frames in reaction.sends:
            self._send(frames)
        for ticket_id, update in reaction.updates:
            queue = self._waiters.get(ticket_id)
            if queue is not None:
                queue.put_nowait(update)
        if reaction.report is not None:
            for future in self._status_waiters:
                if not future.done():
                    future.set_result(reaction.report)
        for error in reaction.unattributed_errors:
            if error.code is not None and self._status_waiters:
                for future in self._status_waiters:
                    if not future.done():
                        future.set_exception(error)
            else:
                log.warning("broker error: %s", error)
        if reaction.reconnect:
            self._reconnect()

    async def _read_loop(self, socket: zmq.asyncio.Socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                frames = await socket.recv_multipart(copy=True)
            except (zmq.ZMQError, asyncio.CancelledError):
                return
            self._apply(self._session.receive(frames, loop.time()))

    async def _monitor_loop(self, monitor: zmq.asyncio.Socket) -> None:
        loop = asyncio.get_running_loop()
        lost = False
        while True:
            try:
                event = parse_monitor_message(await monitor.recv_multipart())
            except (zmq.ZMQError, asyncio.CancelledError):
                return
            except Exception:
                continue
            if event["event"] == zmq.EVENT_DISCONNECTED:
                lost = True
            elif event["event"] == zmq.EVENT_CONNECTED and lost:
                # libzmq reconnected under us: the broker may have restarted and know nothing
                # of this connection's tickets. RESUME is harmless if it did not.
                lost = False
                self._apply(self._session.reconnected(loop.time()))

    async def _tick_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._closed:
            delay = self._session.next_timer(loop.time())
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), delay)
            except asyncio.TimeoutError:
                pass
            except asyncio.CancelledError:
                return
            self._apply(self._session.tick(loop.time()))


def _swallow(future) -> None:
    if not future.cancelled():
        future.exception()
