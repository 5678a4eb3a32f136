#!/usr/bin/env python3
"""Chaos harness: agents and consoles under load while processes are killed and frozen.

Starts a journaled broker, console processes (`worker`) and agent processes (`client`)
from chaos_load.py (the Python SDK), injects each fault of the plan in turn, drains, then
checks from the processes' logs and the journal that every acknowledged ticket ended in
exactly one outcome that reached its client, that none was answered twice, and that
nothing happened after a cancel (chaos_check.py). Prints a table; exits 1 on a violation.

    make chaos                              # the default plan (about two minutes)
    python3 bench/chaos/chaos.py --faults broker-kill:5 --busy 2
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from chaos_check import Verdict, percentile, sqlite_journal  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
FAULTS = ["worker-kill", "worker-stop", "client-kill", "client-stop", "broker-kill", "broker-stop"]


class Broker:
    """One `helpline broker` on a fixed loopback endpoint and journal, restartable."""

    def __init__(self, binary: str, journal: str, log_path: str, extra):
        self.binary, self.journal, self.log_path, self.extra = binary, journal, log_path, extra
        self.endpoint = "tcp://127.0.0.1:*"
        self.process = None
        self.start()

    def start(self) -> None:
        for _ in range(100):
            log = open(self.log_path, "ab")
            process = subprocess.Popen(
                [self.binary, "broker", "--endpoint", self.endpoint, "--journal", self.journal,
                 "--log-level", "notice"] + self.extra,
                stdout=subprocess.PIPE, stderr=log)
            for raw in process.stdout:
                line = raw.decode(errors="replace")
                if "listening on " in line:
                    self.endpoint = line.split("listening on ", 1)[1].strip()
                    self.process = process
                    return
            process.wait()
            time.sleep(0.05)  # the port may still be held by the process that just died
        raise RuntimeError(f"broker did not start; see {self.log_path}")

    def signal(self, number: int) -> None:
        self.process.send_signal(number)

    def kill_nine(self) -> None:
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Load:
    """The agent and console processes, each with its own log in the run directory."""

    def __init__(self, arguments, directory: str, endpoint: str):
        self.arguments, self.directory, self.endpoint = arguments, directory, endpoint
        self.clients, self.workers = {}, {}
        self.killed_clients = set()
        self.generation = 0

    def spawn(self, role: str, name: str) -> subprocess.Popen:
        """`name` l0, l1... is a live agent; w0, w1... a HILA; c0, c1... an agent."""
        a = self.arguments
        command = [a.python, os.path.join(HERE, "chaos_load.py"), role, "--endpoint", self.endpoint,
                   "--name", name, "--log", os.path.join(self.directory, f"{role}-{name}.jsonl"),
                   "--seed", str(hash(name) & 0xFFFF), "--heartbeat", str(a.heartbeat)]
        if role == "client":
            command += ["--rate", str(a.rate), "--cancel-fraction", str(a.cancel_fraction)]
        else:
            command += ["--capacity", str(a.capacity), "--think", str(a.think),
                        "--role-name", "live" if name.startswith("l") else "hila"]
        environment = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "clients", "python"))
        return subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(self.directory, f"{role}-{name}.stderr"), "ab"))

    def start(self) -> None:
        for index in range(self.arguments.workers):
            self.workers[f"w{index}"] = self.spawn("worker", f"w{index}")
        # Tickets a HILA lost (or asked before any registered) go to live agents.
        for index in range(self.arguments.live):
            self.workers[f"l{index}"] = self.spawn("worker", f"l{index}")
        for index in range(self.arguments.clients):
            self.clients[f"c{index}"] = self.spawn("client", f"c{index}")

    def replace_client(self, name: str) -> str:
        """A killed agent's tickets die with it; a new agent process takes its place."""
        self.killed_clients.add(name)
        self.generation += 1
        new = f"{name.split('.')[0]}.{self.generation}"
        self.clients[new] = self.spawn("client", new)
        del self.clients[name]
        return new

    def restart_worker(self, name: str) -> None:
        # The same console name comes back, as a human's console restarted.
        self.workers[name] = self.spawn("worker", name)

    def drain(self, timeout: float) -> None:
        for process in self.clients.values():
            process.send_signal(signal.SIGTERM)
        end = time.time() + timeout
        for process in self.clients.values():
            try:
                process.wait(max(0.1, end - time.time()))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGTERM)  # second SIGTERM: stop waiting for outcomes
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def stop_workers(self) -> None:
        for process in self.workers.values():
            process.send_signal(signal.SIGCONT)
            process.terminate()
        for process in self.workers.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def inject(fault: str, broker: Broker, load: Load, arguments, rng) -> float:
    """Applies one fault; returns when it ended (the victim back or replaced)."""
    if fault == "broker-kill":
        broker.kill_nine()
        broker.start()
    elif fault == "broker-stop":
        broker.signal(signal.SIGSTOP)
        time.sleep(arguments.freeze)
        broker.signal(signal.SIGCONT)
    elif fault == "worker-kill":
        name = rng.choice(sorted(n for n in load.workers if n.startswith("w")))
        load.workers[name].kill()
        load.workers[name].wait()
        time.sleep(arguments.freeze)
        load.restart_worker(name)
    elif fault == "worker-stop":
        process = load.workers[rng.choice(sorted(n for n in load.workers if n.startswith("w")))]
        process.send_signal(signal.SIGSTOP)
        time.sleep(arguments.freeze)
        process.send_signal(signal.SIGCONT)
    elif fault == "client-kill":
        name = rng.choice(sorted(load.clients))
        load.clients[name].kill()
        load.clients[name].wait()
        load.replace_client(name)
    elif fault == "client-stop":
        process = load.clients[rng.choice(sorted(load.clients))]
        process.send_signal(signal.SIGSTOP)
        time.sleep(arguments.freeze)
        process.send_signal(signal.SIGCONT)
    else:
        raise ValueError(f"unknown fault {fault}")
    return time.time()


def plan(text: str):
    """`broker-kill:3,worker-stop` -> [broker-kill x3, worker-stop x1]."""
    faults = []
    for item in text.split(","):
        name, _, count = item.partition(":")
        if name not in FAULTS:
            raise SystemExit(f"unknown fault {name!r}; known: {', '.join(FAULTS)}")
        faults += [name] * int(count or 1)
    return faults


def busy_loops(count: int):
    """CPU hogs beside the run, as in the stress run that once lost an outcome."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "helpline"))
    parser.add_argument("--python", default=sys.executable, help="a Python with pyzmq and msgpack")
    parser.add_argument("--faults", default=",".join(f"{fault}:2" for fault in FAULTS))
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--live", type=int, default=1, help="live agents (they take transferred tickets over)")
    parser.add_argument("--rate", type=float, default=15.0, help="tickets per second per client")
    parser.add_argument("--capacity", type=int, default=4)
    parser.add_argument("--think", type=float, default=0.4, help="longest answer time, seconds")
    parser.add_argument("--heartbeat", type=float, default=0.25)
    parser.add_argument("--cancel-fraction", type=float, default=0.05)
    parser.add_argument("--freeze", type=float, default=3.0, help="seconds a stopped process stays stopped")
    parser.add_argument("--settle", type=float, default=4.0, help="seconds between faults")
    parser.add_argument("--drain", type=float, default=90.0, help="longest wait for the last outcomes")
    parser.add_argument("--busy", type=int, default=0, help="CPU busy loops beside the run")
    parser.add_argument("--keep", action="store_true", help="keep the run directory (logs, journal)")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    faults = plan(arguments.faults)
    if not os.access(arguments.binary, os.X_OK):
        raise SystemExit(f"no broker binary at {arguments.binary} (make release, or --binary)")
    import random
    rng = random.Random(arguments.seed)
    directory = tempfile.mkdtemp(prefix="helpline-chaos-")
    journal = os.path.join(directory, "helpline.db")
    hogs = busy_loops(arguments.busy)
    broker = Broker(arguments.binary, journal, os.path.join(directory, "broker.log"),
                    ["--restore-grace-ms", "1500", "--heartbeat-min-ms", str(int(arguments.heartbeat * 1000))])
    load = Load(arguments, directory, broker.endpoint)
    injected = []
    try:
        load.start()
        time.sleep(arguments.settle)
        for fault in faults:
            began = time.time()
            ended = inject(fault, broker, load, arguments, rng)
            injected.append((fault, began, ended))
            print(f"  {fault:12} at +{began - injected[0][1]:6.1f} s, {ended - began:5.2f} s", flush=True)
            time.sleep(arguments.settle)
        load.drain(arguments.drain)
        load.stop_workers()
        broker.stop()
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
        for process in list(load.clients.values()) + list(load.workers.values()):
            if process.poll() is None:
                process.kill()
                process.wait()
        broker.stop()
    outcomes, late = sqlite_journal(journal)
    verdict = Verdict(directory, outcomes, late, load.killed_clients)
    failed = report(verdict, injected)
    if arguments.keep or failed:
        print(f"run directory: {directory}")
    else:
        shutil.rmtree(directory)
    return 1 if failed else 0


def report(verdict: Verdict, injected) -> bool:
    """Prints the table; True when an invariant broke."""
    print(f"\n{'fault':14}{'n':>3}{'open':>7}{'lost':>6}{'dup':>5}{'p50 s':>8}{'p99 s':>8}")
    for fault in FAULTS:
        moments = [began for name, began, _ in injected if name == fault]
        if not moments:
            continue
        ids, delays = set(), []
        for moment in moments:
            open_ids = verdict.open_at(moment)
            ids.update(open_ids)
            delays += verdict.delays_after(moment, open_ids)
        found = verdict.problems(ids)
        print(f"{fault:14}{len(moments):>3}{len(ids):>7}{len(found['lost']):>6}{len(found['duplicated']):>5}"
              f"{percentile(delays, 0.5):>8.2f}{percentile(delays, 0.99):>8.2f}")
    found = verdict.problems()
    counted = sum(1 for life in verdict.tickets.values() if verdict.counted(life))
    print(f"\ntickets asked {len(verdict.tickets)}, acknowledged to live clients {counted}, "
          f"refused {sum(1 for life in verdict.tickets.values() if life.refused)}, "
          f"late answers refused {verdict.late_answers()}")
    failed = False
    for key in ("lost", "duplicated", "unrecorded", "after_cancel", "after_end"):
        print(f"  {key:13}{len(found[key]):>6}  {' '.join(sorted(found[key])[:5])}")
        failed = failed or bool(found[key])
    print("verdict:", "FAIL" if failed else "ok")
    return failed


if __name__ == "__main__":
    sys.exit(main())
