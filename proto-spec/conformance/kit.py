"""The kit's frame: rules, the peers each rule opens, and the clean-up between rules.

A rule is a function registered with `@rule(section, text)`: `section` names the part of
1-HLP.md it checks, `text` the rule in a few words. It runs against the live broker with
its own ticket ids, skills and worker names, so no rule sees another's traffic, and raises
`Violation` (or fails an `expect`) when the broker breaks the rule.
"""

import time

import zmq

from hlp import ASSIGNED, CLIENT, DISCONNECT, HEARTBEAT, QUEUED, Client, Violation, Worker, unique

RULES = []


def rule(section, text):
    def register(function):
        RULES.append((section, text, function))
        return function
    return register


class Settings:
    """What the kit must know about the broker under test (see README "Broker settings")."""

    def __init__(self, retention_ms, open_ticket_quota):
        self.retention_ms = retention_ms
        self.open_ticket_quota = open_ticket_quota


class Kit:
    """One rule's view of the broker: peers it opens are closed after it."""

    def __init__(self, context, endpoint, settings):
        self.context = context
        self.endpoint = endpoint
        self.settings = settings
        self.clients = []
        self.workers = []

    def client(self, label="client"):
        client = Client(self.context, self.endpoint, label)
        client.asked = []
        original = client.ask

        def ask(ticket, *args, **kwargs):
            client.asked.append(ticket)
            original(ticket, *args, **kwargs)
        client.ask = ask
        self.clients.append(client)
        return client

    def worker(self, label, **ready):
        """A worker registered with `ready` (READY fields), its WELCOME received. A high
        proposed heartbeat keeps it alive while the kit waits on other sockets."""
        worker = Worker(self.context, self.endpoint, label)
        self.workers.append(worker)
        worker.name = ready.pop("name", unique(label))
        worker.ready(worker.name, **ready)
        return worker

    def offered(self, accept=False, capacity=1, **ask):
        """The opening of many rules: a HILA `ana` with a fresh skill, a client, and one
        ticket (ASK fields `ask`) acknowledged and offered to ana; ACCEPTed too (and its
        ASSIGNED read) when `accept`. Returns (client, worker, ticket, skill)."""
        skill = self.skill()
        worker = self.worker("ana", skills=[skill], capacity=capacity)
        client = self.client()
        ticket = unique("t")
        client.ask(ticket, skills=[skill], **ask)
        client.wait_for(QUEUED, id=ticket)
        worker.expect_assign(ticket)
        if accept:
            worker.accept(ticket)
            client.wait_for(ASSIGNED, id=ticket, role="hila")
        return client, worker, ticket, skill

    def raw(self, signature=CLIENT, label="raw"):
        """A connection that has sent nothing yet (a client, or an unregistered worker)."""
        peer = (Client if signature == CLIENT else Worker)(self.context, self.endpoint, label)
        self.clients.append(peer) if signature == CLIENT else self.workers.append(peer)
        if signature == CLIENT:
            peer.asked = []
        return peer

    def skill(self):
        """A skill no other rule uses: only this rule's workers can serve its tickets."""
        return unique("skill")

    def clean_up(self):
        """Cancels every ticket the rule asked and unregisters its workers, and waits until
        the broker has processed both, so the next rule starts from a quiet broker."""
        for client in self.clients:
            if client.closed:
                continue
            for ticket in client.asked:
                client.cancel(ticket)
            client.send(HEARTBEAT)
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                message = client.receive(0.5)
                if message is not None and message.command == HEARTBEAT:
                    break
            client.close()
        for worker in self.workers:
            if worker.closed:
                continue
            # DISCONNECT, then HEARTBEAT: the broker answers the HEARTBEAT of a connection it
            # no longer knows with DISCONNECT, which shows it processed the first.
            worker.send(DISCONNECT)
            worker.send(HEARTBEAT, {"presence": "away"})
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                message = worker.receive(0.5, skip_heartbeats=False)
                if message is not None and message.command == DISCONNECT:
                    break
            worker.close()


def run(endpoint, settings, only=None, out=print):
    """Runs every rule (or those whose section or text contains `only`); returns the
    number of failures."""
    context = zmq.Context()
    failures = 0
    ran = 0
    started = time.monotonic()
    for section, text, function in RULES:
        label = f"§{section}: {text}"
        if only and only.lower() not in label.lower():
            continue
        kit = Kit(context, endpoint, settings)
        ran += 1
        try:
            function(kit)
            out(f"PASS  {label}")
        except Violation as violation:
            failures += 1
            out(f"FAIL  {label}\n      {violation}")
        except Exception as error:  # a kit bug or a broker reply the kit cannot read
            failures += 1
            out(f"FAIL  {label}\n      {type(error).__name__}: {error}")
        finally:
            try:
                kit.clean_up()
            except Exception as error:
                out(f"      (clean-up: {type(error).__name__}: {error})")
    context.term()
    out(f"{ran - failures} of {ran} rules pass ({time.monotonic() - started:.1f} s)")
    return failures
