"""`Client`: the blocking API. It drives an `AsyncClient` on a private event-loop thread, so
any number of threads may `ask` at once over one socket, and heartbeats go on while they wait.
"""

from __future__ import annotations

import asyncio
import os
import queue
import threading
from typing import Any, Callable, Iterable, Optional

from . import wire
from .aio import DEFAULT_ENDPOINT, AsyncClient
from .curve import CurveKeys
from .errors import ClientClosed
from .outcome import Event, Outcome

_UNSET = wire._UNSET
# How often a blocked `ask` wakes to let Ctrl-C through (Queue.get without a timeout cannot
# be interrupted on every platform).
_WAKE_SECONDS = 0.5
_DONE = object()


class Client:
    """An agent's connection to a Helpline broker, for ordinary (blocking) code.

    >>> client = Client("tcp://127.0.0.1:5555")
    >>> outcome = client.ask("Refund 120 EUR to order 1182?", skills=["refunds"])
    >>> outcome.approved
    """

    def __init__(self, endpoint: Optional[str] = None, *, heartbeat: float = 1.0, liveness: int = 3,
                 curve: Optional[CurveKeys] = None):
        """`curve`: keys for a broker with CURVE (see `AsyncClient`)."""
        self.endpoint = endpoint or os.environ.get("HELPLINE_ENDPOINT", DEFAULT_ENDPOINT)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="helpline-client", daemon=True)
        self._thread.start()
        self._closed = False

        async def create() -> AsyncClient:
            return AsyncClient(self.endpoint, heartbeat=heartbeat, liveness=liveness, curve=curve)

        self._async: AsyncClient = self._call(create())

    def ask(self, prompt: Optional[str] = None, *, skills: Iterable[str] = (),
            options: Iterable[str] = (), context: Any = None, transcript: Any = None,
            customer: Any = None, proposed: Any = _UNSET, priority: int = 0, role: str = "hila",
            max_wait: float = 60.0, deadline: float = 3600.0, timeout: Optional[float] = None,
            ticket_id: Optional[str] = None, on_event: Optional[Callable[[Event], Any]] = None,
            stop_on_transfer: bool = False) -> Outcome:
        """Asks a human and blocks until the outcome (see `AsyncClient.ask`). `on_event` runs
        on the calling thread."""
        kwargs = dict(skills=skills, options=options, context=context, transcript=transcript,
                      customer=customer, proposed=proposed, priority=priority, role=role,
                      max_wait=max_wait, deadline=deadline, timeout=timeout, ticket_id=ticket_id,
                      stop_on_transfer=stop_on_transfer)
        updates: "queue.Queue" = queue.Queue()

        async def pump() -> None:
            try:
                async for item in self._async.stream(prompt, **kwargs):
                    updates.put(item)
            except BaseException as error:  # handed to the caller's thread, raised there
                updates.put(error)
            finally:
                updates.put(_DONE)

        future = self._submit(pump())
        try:
            while True:
                try:
                    item = updates.get(timeout=_WAKE_SECONDS)
                except queue.Empty:
                    continue
                if isinstance(item, BaseException):
                    raise item
                if item is _DONE:
                    raise ClientClosed()
                if isinstance(item, Outcome):
                    return item
                if on_event is not None:
                    on_event(item)
        finally:
            if not future.done():
                future.cancel()  # the stream cancels the ticket when it is left early

    def cancel(self, ticket_id: str) -> None:
        """Withdraws an open ticket; the `ask` waiting on it returns kind `cancelled`."""
        self._call(self._async.cancel(ticket_id))

    def status(self, timeout: float = 5.0) -> wire.Report:
        """The broker's REPORT snapshot."""
        return self._call(self._async.status(timeout))

    @property
    def open_tickets(self) -> tuple:
        return self._async.open_tickets

    def close(self) -> None:
        """Stops the client and its thread."""
        if self._closed:
            return
        self._closed = True
        try:
            asyncio.run_coroutine_threadsafe(self._async.close(), self._loop).result(5.0)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5.0)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _submit(self, coroutine):
        if self._closed:
            coroutine.close()
            raise ClientClosed()
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def _call(self, coroutine, timeout: Optional[float] = None):
        return self._submit(coroutine).result(timeout)


_default: Optional[Client] = None
_default_lock = threading.Lock()


def default_client() -> Client:
    """The process-wide client on `HELPLINE_ENDPOINT` (default tcp://127.0.0.1:5555), with the
    CURVE keys named by `HELPLINE_KEY` and `HELPLINE_SERVER_KEY` if set, made on first use:
    what `require_approval` and `human_as_tool` use when given no client."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Client(curve=CurveKeys.from_environment())
        return _default
