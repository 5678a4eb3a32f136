"""The client side of HLP/Client as a state machine: no sockets, no clock reads.

Drivers (`AsyncClient`, and `Client` through it) feed it what the broker sends and the time,
and perform what it returns: frames to send, a reconnect, updates for waiting callers. It
keeps the open tickets (to RESUME them after a reconnect) and reports each ticket's outcome
once, whatever the broker repeats.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Union

from . import wire
from .errors import ErrorCode, HelplineError, WireError
from .outcome import (
    ANSWERED, CANCELLED, EXPIRED, TAKEN_OVER, Event, Outcome,
)

# Finished ticket ids remembered to ignore late repeats of their outcome (after a RESUME
# crossed an outcome in flight). Bounded: a long-lived client must not grow without end.
FINISHED_MEMORY = 10_000

# An ASK with no reply naming its id for this long is sent again, unchanged (it is
# idempotent): the spec's "wait for QUEUED" step, for an ASK lost in transport.
ACK_TIMEOUT_SECONDS = 5.0
# Backstop against a restart the transport hid: an open ticket the broker has said nothing
# about for this long is RESUMEd.
RESUME_AFTER_SECONDS = 60.0

Update = Union[Event, Outcome, HelplineError]


@dataclass
class _Ticket:
    ask: wire.Ask
    body: Optional[bytes]
    sent_at: float
    heard_at: float
    acked: bool = False
    resuming: bool = False
    reasked: bool = False
    cancel_requested: bool = False
    transfer: Optional[wire.TransferredMessage] = None
    last_event: Optional[Event] = None


@dataclass
class Reaction:
    """What the driver must do after an input: send these frames, deliver these updates
    (ticket id, update) to whoever waits on them, and reconnect when asked."""

    sends: List[List[bytes]] = field(default_factory=list)
    updates: List[tuple] = field(default_factory=list)
    reconnect: bool = False
    report: Optional[wire.Report] = None
    unattributed_errors: List[HelplineError] = field(default_factory=list)


class ClientSession:
    """Open tickets, dedupe, RESUME and liveness for one client. Times are seconds on a
    monotonic clock the driver owns."""

    def __init__(self, heartbeat: float = 1.0, liveness: int = 3,
                 ack_timeout: float = ACK_TIMEOUT_SECONDS, resume_after: float = RESUME_AFTER_SECONDS):
        self.heartbeat = heartbeat
        self.liveness = liveness
        self.ack_timeout = ack_timeout
        self.resume_after = resume_after
        self.open: Dict[str, _Ticket] = {}
        self._finished: "collections.OrderedDict[str, None]" = collections.OrderedDict()
        self._last_heard: Optional[float] = None
        self._next_heartbeat: Optional[float] = None
        self.status_pending = False
        self.rejected_messages = 0

    # -- Caller commands ----------------------------------------------------------------------

    def ask(self, ask: wire.Ask, body: Optional[bytes], now: float) -> List[bytes]:
        """Opens a ticket; returns the ASK frames. `WireError` if the ASK is invalid,
        `HelplineError` 409 if this client already has that id open."""
        frames = wire.encode(ask, body)
        if ask.id in self.open:
            raise HelplineError(ErrorCode.CONFLICT, "ticket id already open in this client", ask.id)
        self._finished.pop(ask.id, None)
        if not self.open:
            self._last_heard = now
            self._next_heartbeat = now + self.heartbeat
        self.open[ask.id] = _Ticket(ask, body, sent_at=now, heard_at=now)
        return frames

    def cancel(self, ticket_id: str) -> Optional[List[bytes]]:
        """CANCEL frames for an open ticket; None if it is not open here."""
        ticket = self.open.get(ticket_id)
        if ticket is None:
            return None
        ticket.cancel_requested = True
        return wire.encode(wire.Cancel(id=ticket_id))

    def forget(self, ticket_id: str) -> None:
        """The caller stopped waiting (gave up): stop tracking the ticket."""
        if self.open.pop(ticket_id, None) is not None:
            self._remember_finished(ticket_id)

    def status(self) -> List[bytes]:
        self.status_pending = True
        return wire.encode(wire.Status())

    # -- Transport events ---------------------------------------------------------------------

    def reconnected(self, now: float) -> Reaction:
        """A new connection (new socket, or the transport reconnected): RESUME every open
        ticket, at most 256 ids (wire.MAX_RESUME_IDS) per message."""
        reaction = Reaction()
        self._last_heard = now
        self._next_heartbeat = now + self.heartbeat
        ids = list(self.open)
        for ticket in self.open.values():
            ticket.resuming = True
            ticket.reasked = False
        for start in range(0, len(ids), wire.MAX_RESUME_IDS):
            chunk = tuple(ids[start:start + wire.MAX_RESUME_IDS])
            reaction.sends.append(wire.encode(wire.Resume(ids=chunk)))
        if self.status_pending:
            reaction.sends.append(wire.encode(wire.Status()))
        return reaction

    def tick(self, now: float) -> Reaction:
        """Heartbeats while tickets are open; a reconnect when the broker has been silent
        for `liveness` heartbeats."""
        reaction = Reaction()
        if not self.open and not self.status_pending:
            return reaction
        if self._last_heard is None:
            self._last_heard = now
        if now - self._last_heard >= self.heartbeat * self.liveness:
            reaction.reconnect = True
            return reaction
        if self._next_heartbeat is None or now >= self._next_heartbeat:
            reaction.sends.append(wire.encode(wire.ClientHeartbeat()))
            self._next_heartbeat = now + self.heartbeat
        stale = []
        for ticket in self.open.values():
            if not ticket.acked and now - ticket.sent_at >= self.ack_timeout:
                ticket.sent_at = now
                reaction.sends.append(wire.encode(ticket.ask, ticket.body))
            elif ticket.acked and now - ticket.heard_at >= self.resume_after:
                ticket.heard_at = now
                stale.append(ticket.ask.id)
        for start in range(0, len(stale), wire.MAX_RESUME_IDS):
            reaction.sends.append(wire.encode(wire.Resume(ids=tuple(stale[start:start + wire.MAX_RESUME_IDS]))))
        return reaction

    def next_timer(self, now: float) -> Optional[float]:
        """Seconds until `tick` has work; None when idle."""
        if not self.open and not self.status_pending:
            return None
        due = [self._next_heartbeat or now]
        if self._last_heard is not None:
            due.append(self._last_heard + self.heartbeat * self.liveness)
        for ticket in self.open.values():
            due.append(ticket.heard_at + self.resume_after if ticket.acked else ticket.sent_at + self.ack_timeout)
        return max(0.0, min(due) - now)

    def receive(self, frames: Sequence[bytes], now: float) -> Reaction:
        """One message from the broker. Anything that is not valid HLP/Client from a broker
        is counted and dropped: a hostile or broken peer cannot crash the client."""
        reaction = Reaction()
        try:
            envelope = wire.decode(frames, wire.BROKER_TO_CLIENT)
        except WireError:
            self.rejected_messages += 1
            return reaction
        self._last_heard = now
        message = envelope.message
        ticket = self.open.get(getattr(message, "id", None) or "")
        if ticket is not None:
            ticket.acked = True
            ticket.heard_at = now
        handler = _HANDLERS.get(type(message))
        if handler is not None:
            handler(self, message, envelope.body, reaction)
        return reaction

    # -- Replies ------------------------------------------------------------------------------

    def _event(self, reaction: Reaction, ticket: _Ticket, event: Event) -> None:
        ticket.resuming = False
        if ticket.last_event == event:
            return  # a RESUME or repeated ASK re-reported the same state
        ticket.last_event = event
        reaction.updates.append((event.ticket_id, event))

    def _finish(self, reaction: Reaction, ticket_id: str, update: Update) -> None:
        if self.open.pop(ticket_id, None) is None:
            return
        self._remember_finished(ticket_id)
        reaction.updates.append((ticket_id, update))

    def _remember_finished(self, ticket_id: str) -> None:
        self._finished[ticket_id] = None
        while len(self._finished) > FINISHED_MEMORY:
            self._finished.popitem(last=False)

    def _outcome(self, ticket: _Ticket, kind: str, **fields: Any) -> Outcome:
        transfer = ticket.transfer
        return Outcome(
            ticket_id=ticket.ask.id, kind=kind,
            transfer_reason=transfer.reason if transfer else None,
            transfer_note=transfer.note if transfer else None, **fields)

    def _on_queued(self, message: wire.Queued, body, reaction):
        ticket = self.open.get(message.id)
        if ticket is not None:
            self._event(reaction, ticket, Event(
                "queued", message.id, role=message.role, stage=message.stage, position=message.position))

    def _on_assigned(self, message: wire.Assigned, body, reaction):
        ticket = self.open.get(message.id)
        if ticket is None:
            return
        if message.role == "live":
            self._finish(reaction, message.id, self._outcome(ticket, TAKEN_OVER, worker=message.worker))
        else:
            self._event(reaction, ticket, Event("assigned", message.id, role=message.role, worker=message.worker))

    def _on_answered(self, message: wire.Answered, body, reaction):
        ticket = self.open.get(message.id)
        if ticket is None:
            return
        content = wire.unpack_body(body) or {}
        text = content.get("text")
        self._finish(reaction, message.id, self._outcome(
            ticket, ANSWERED, decision=message.decision, option=message.option,
            text=text if isinstance(text, str) else None,
            edited=content.get("edited"), has_edit="edited" in content,
            worker=message.worker, elapsed=message.elapsed / 1000.0, body=body))

    def _on_transferred(self, message: wire.TransferredMessage, body, reaction):
        ticket = self.open.get(message.id)
        if ticket is None:
            return
        ticket.transfer = message
        self._event(reaction, ticket, Event("transferred", message.id, role="live",
                                            reason=message.reason, note=message.note))

    def _on_expired(self, message: wire.ExpiredMessage, body, reaction):
        ticket = self.open.get(message.id)
        if ticket is not None:
            self._finish(reaction, message.id, self._outcome(ticket, EXPIRED))

    def _on_cancelled(self, message: wire.CancelledMessage, body, reaction):
        ticket = self.open.get(message.id)
        if ticket is not None:
            self._finish(reaction, message.id, self._outcome(ticket, CANCELLED))

    def _on_report(self, message: wire.Report, body, reaction):
        self.status_pending = False
        reaction.report = message

    def _on_error(self, message: wire.Error, body, reaction):
        error = HelplineError(message.code, message.text, message.id)
        ticket = self.open.get(message.id) if message.id else None
        if ticket is None:
            if message.command == wire.Command.STATUS:
                self.status_pending = False
            reaction.unattributed_errors.append(error)
            return
        lost = message.code == ErrorCode.UNKNOWN_TICKET
        if lost and ticket.cancel_requested and ticket.reasked:
            # Asked again on this connection and still unknown: nothing is left to cancel.
            self._finish(reaction, message.id, self._outcome(ticket, CANCELLED))
        elif lost and ticket.cancel_requested:
            # Unknown on this connection; yet an ASK sent on a socket since replaced may still
            # reach the broker and open it. ASK again (idempotent), then CANCEL: the answer to
            # that CANCEL is the ticket's one real end (CANCELLED, or the outcome it had).
            ticket.reasked = True
            reaction.sends.append(wire.encode(ticket.ask, ticket.body))
            reaction.sends.append(wire.encode(wire.Cancel(id=message.id)))
        elif lost and (ticket.resuming or message.command == wire.Command.RESUME) and not ticket.reasked:
            # The broker lost the ticket (a restart without a journal): ASK again, same id and
            # content, so a broker that does know it answers with its state (ASK is idempotent).
            ticket.reasked = True
            reaction.sends.append(wire.encode(ticket.ask, ticket.body))
        else:
            self._finish(reaction, message.id, error)


_HANDLERS = {
    wire.Queued: ClientSession._on_queued,
    wire.Assigned: ClientSession._on_assigned,
    wire.Answered: ClientSession._on_answered,
    wire.TransferredMessage: ClientSession._on_transferred,
    wire.ExpiredMessage: ClientSession._on_expired,
    wire.CancelledMessage: ClientSession._on_cancelled,
    wire.Report: ClientSession._on_report,
    wire.Error: ClientSession._on_error,
}
