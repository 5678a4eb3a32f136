"""The chaos harness's verdict: reads the load processes' logs and the journal afterwards.

Invariants (each a count that must be 0):
- lost: a ticket acknowledged (QUEUED) to a client that stayed alive, with no outcome;
- duplicated: a ticket whose client reported more than one outcome, or an outcome that
  differs from the one the journal holds (two people answered it, or two brokers decided);
- unrecorded: an outcome a client got that the journal does not hold (told before commit);
- after_cancel: a ticket offered to a worker, or journaled, after its cancellation ended it.
"""

import glob
import json
import os
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, List, Optional


def read_lines(path: str) -> List[dict]:
    events = []
    with open(path, "rb") as handle:
        for raw in handle:
            try:
                events.append(json.loads(raw))
            except ValueError:
                pass  # a killed process can leave nothing worse than a missing line
    return events


@dataclass
class TicketLife:
    """What the client that asked a ticket saw of it."""
    client: str
    asked: float
    acked: Optional[float] = None
    outcomes: List[dict] = field(default_factory=list)
    cancelled_at: Optional[float] = None
    refused: bool = False


@dataclass
class JournalOutcome:
    kind: str
    worker: Optional[str]
    step: int


class Verdict:
    """Reads `directory`'s client-*.jsonl and worker-*.jsonl logs and a journal."""

    def __init__(self, directory: str, journal_outcomes: Dict[str, JournalOutcome],
                 journal_late_steps: Dict[str, int], killed_clients: set):
        self.tickets: Dict[str, TicketLife] = {}
        self.takes: Dict[str, List[tuple]] = defaultdict(list)
        self.answers: Dict[str, set] = defaultdict(set)
        self.killed_clients = killed_clients
        self.journal = journal_outcomes
        self.journal_late_steps = journal_late_steps
        for path in sorted(glob.glob(os.path.join(directory, "client-*.jsonl"))):
            name = os.path.basename(path)[len("client-"):-len(".jsonl")]
            for event in read_lines(path):
                ticket = event.get("id")
                kind = event["ev"]
                if kind == "ask":
                    self.tickets[ticket] = TicketLife(client=name, asked=event["t"])
                elif ticket in self.tickets:
                    life = self.tickets[ticket]
                    if kind == "ack":
                        life.acked = event["t"]
                    elif kind == "outcome":
                        life.outcomes.append(event)
                    elif kind == "cancel":
                        life.cancelled_at = event["t"]
                    elif kind == "refused":
                        life.refused = True
        for path in sorted(glob.glob(os.path.join(directory, "worker-*.jsonl"))):
            name = os.path.basename(path)[len("worker-"):-len(".jsonl")].split(".")[0]
            for event in read_lines(path):
                if event["ev"] == "take":
                    self.takes[event["id"]].append((event["t"], name))
                elif event["ev"] == "answer":
                    self.answers[event["id"]].add(name)

    def counted(self, life: TicketLife) -> bool:
        """A ticket whose outcome must have reached its client: acknowledged to one that lived."""
        return life.acked is not None and life.client not in self.killed_clients

    def problems(self, ids=None) -> Dict[str, List[str]]:
        found: Dict[str, List[str]] = defaultdict(list)
        for ticket, life in self.tickets.items():
            if ids is not None and ticket not in ids:
                continue
            if self.counted(life) and not life.outcomes:
                found["lost"].append(ticket)
            if len(life.outcomes) > 1:
                found["duplicated"].append(ticket)
            for outcome in life.outcomes[:1]:
                recorded = self.journal.get(ticket)
                if recorded is None:
                    # Cancelled before the broker acknowledged it: the broker may never
                    # have had it (the client ends it itself on the CANCEL's 404).
                    if not (outcome["kind"] == "cancelled" and life.acked is None):
                        found["unrecorded"].append(ticket)
                elif recorded.kind != outcome["kind"] or (
                        outcome["kind"] == "answered" and recorded.worker != outcome["text"]) or (
                        outcome["kind"] == "taken_over" and recorded.worker != outcome["worker"]):
                    found["duplicated"].append(ticket)
                if outcome["kind"] == "cancelled":
                    if any(taken > outcome["t"] for taken, _ in self.takes.get(ticket, [])):
                        found["after_cancel"].append(ticket)
            if ticket in self.journal_late_steps:
                found["after_cancel" if (self.journal.get(ticket) or JournalOutcome("", None, 0)).kind == "cancelled"
                      else "after_end"].append(ticket)
        return found

    def open_at(self, moment: float) -> List[str]:
        """Tickets acknowledged before `moment` whose outcome came after it (or never)."""
        result = []
        for ticket, life in self.tickets.items():
            if life.acked is None or life.acked > moment or not self.counted(life):
                continue
            if not life.outcomes or life.outcomes[0]["t"] > moment:
                result.append(ticket)
        return result

    def delays_after(self, moment: float, ids: List[str]) -> List[float]:
        """Seconds from `moment` to each ticket's outcome (infinite when it never came)."""
        return [(self.tickets[t].outcomes[0]["t"] - moment) if self.tickets[t].outcomes else float("inf") for t in ids]

    def late_answers(self) -> int:
        """Tickets two workers' handlers answered: the broker must have refused all but one."""
        return sum(1 for names in self.answers.values() if len(names) > 1)


def sqlite_journal(path: str):
    """The outcomes an SQLite journal holds, and tickets with records after their outcome."""
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    outcomes = {}
    for ticket, kind, worker, step in database.execute(
            "SELECT t.id, o.kind, o.worker, o.step FROM outcomes o JOIN tickets t ON t.seq = o.ticket"):
        outcomes[ticket] = JournalOutcome(kind.replace("-", "_"), worker, step)
    late = {}
    for ticket, step in database.execute(
            "SELECT t.id, max(e.step) FROM events e JOIN outcomes o ON o.ticket = e.ticket "
            "JOIN tickets t ON t.seq = e.ticket WHERE e.step > o.step GROUP BY t.id"):
        late[ticket] = step
    database.close()
    return outcomes, late


def percentile(values: List[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
