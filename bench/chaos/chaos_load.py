"""The chaos harness's load processes: one agent (`client`) or one console (`worker`).

Each appends one JSON line per event to its own log with a single write(2) on an O_APPEND
descriptor, so a line is whole even when the process is killed -9 right after it. The
orchestrator (chaos.py) reads these logs afterwards; nothing else is shared.

    python chaos_load.py client --endpoint tcp://127.0.0.1:5555 --name c0 --log c0.jsonl --rate 20
    python chaos_load.py worker --endpoint tcp://127.0.0.1:5555 --name w0 --log w0.jsonl
"""

import argparse
import asyncio
import json
import os
import random
import signal
import threading
import time

from helpline import Answer, AsyncClient, Worker


class EventLog:
    """Whole JSON lines, one write each (atomic on O_APPEND), safe from any thread."""

    def __init__(self, path: str):
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def write(self, event: str, **fields) -> None:
        fields["ev"] = event
        fields["t"] = time.time()
        os.write(self._fd, (json.dumps(fields, separators=(",", ":")) + "\n").encode())


def endpoints(text: str):
    """`a,b` is a list of endpoints; one endpoint stays a string (the libraries' single form)."""
    parts = [part for part in text.split(",") if part]
    return parts[0] if len(parts) == 1 else parts


async def run_client(arguments) -> None:
    log = EventLog(arguments.log)
    client = AsyncClient(endpoints(arguments.endpoint), heartbeat=arguments.heartbeat)
    rng = random.Random(arguments.seed)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stopping.set)
    open_tickets = set()

    async def one(ticket_id: str) -> None:
        acknowledged = False

        def on_event(event) -> None:
            nonlocal acknowledged
            if event.kind == "queued" and not acknowledged:
                acknowledged = True
                log.write("ack", id=ticket_id)

        try:
            outcome = await client.ask(
                f"chaos {ticket_id}", ticket_id=ticket_id, max_wait=arguments.max_wait,
                deadline=arguments.deadline, on_event=on_event)
            log.write("outcome", id=ticket_id, kind=outcome.kind, worker=outcome.worker, text=outcome.text)
        except Exception as error:  # a refusal (503, 429...) is the ticket's end, not a loss
            log.write("refused", id=ticket_id, error=repr(error)[:200], code=getattr(error, "code", None))
        finally:
            open_tickets.discard(ticket_id)

    async def cancel_later(ticket_id: str) -> None:
        await asyncio.sleep(rng.uniform(0.0, 0.5))
        if ticket_id in open_tickets:
            log.write("cancel", id=ticket_id)
            await client.cancel(ticket_id)

    tasks = []
    started = loop.time()
    number = 0
    while not stopping.is_set() and (arguments.tickets == 0 or number < arguments.tickets):
        ticket_id = f"{arguments.name}-{number}"
        number += 1
        open_tickets.add(ticket_id)
        log.write("ask", id=ticket_id)
        tasks.append(asyncio.ensure_future(one(ticket_id)))
        if rng.random() < arguments.cancel_fraction:
            tasks.append(asyncio.ensure_future(cancel_later(ticket_id)))
        try:
            await asyncio.wait_for(stopping.wait(), max(0.0, started + number / arguments.rate - loop.time()))
        except asyncio.TimeoutError:
            pass
    log.write("drain", open=len(open_tickets))
    # SIGTERM again (or the orchestrator's drain timeout) ends the wait for outcomes.
    drained = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, drained.set)
    waiting = asyncio.ensure_future(asyncio.gather(*tasks, return_exceptions=True))
    await asyncio.wait([waiting, asyncio.ensure_future(drained.wait())], return_when=asyncio.FIRST_COMPLETED)
    log.write("done", open=len(open_tickets))
    os._exit(0)  # open asks would be cancelled by close(): the log already says what is open


def run_worker(arguments) -> None:
    log = EventLog(arguments.log)
    rng = random.Random(arguments.seed)
    lock = threading.Lock()

    def handle(ticket):
        log.write("take", id=ticket.id)
        if arguments.role_name == "live":
            return None  # a live agent's ACCEPT took the conversation over: nothing to answer
        with lock:
            think = rng.uniform(0.0, arguments.think)
        time.sleep(think)
        log.write("answer", id=ticket.id)
        return Answer.reply(arguments.name)

    worker = Worker(endpoints(arguments.endpoint), name=arguments.name, capacity=arguments.capacity,
                    role=arguments.role_name, heartbeat=arguments.heartbeat, handler=handle)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    worker.start()
    log.write("start")
    stop.wait()
    worker.stop()
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("role", choices=["client", "worker"])
    parser.add_argument("--endpoint", required=True, help="one endpoint, or several separated by commas")
    parser.add_argument("--name", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heartbeat", type=float, default=0.25)
    parser.add_argument("--rate", type=float, default=20.0, help="client: tickets per second")
    parser.add_argument("--tickets", type=int, default=0, help="client: stop asking after this many (0: until SIGTERM)")
    parser.add_argument("--cancel-fraction", type=float, default=0.05)
    parser.add_argument("--max-wait", type=float, default=300.0)
    parser.add_argument("--deadline", type=float, default=600.0)
    parser.add_argument("--capacity", type=int, default=4, help="worker: tickets held at once")
    parser.add_argument("--role-name", default="hila", choices=["hila", "live"],
                        help="worker: a HILA answers; a live agent takes the conversation over")
    parser.add_argument("--think", type=float, default=0.3, help="worker: longest answer time, seconds")
    arguments = parser.parse_args()
    if arguments.role == "client":
        asyncio.run(run_client(arguments))
    else:
        run_worker(arguments)


if __name__ == "__main__":
    main()
