#!/usr/bin/env python3
"""HLP/1 conformance kit: checks a running broker against 1-HLP.md, rule by rule.

    python3 hlpconform.py --endpoint tcp://127.0.0.1:5555 [--retention-ms 1000] ...
    python3 hlpconform.py --start "my-broker --bind {endpoint} ..." [...]

Prints one line per rule (PASS or FAIL, and the section of 1-HLP.md it checks) and exits
1 if any rule fails. See README.md for the broker settings the kit needs.
"""

import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import zmq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kit  # noqa: E402
import rules_dialogs, rules_lifecycle, rules_dispatch, rules_absent, rules_reroute  # noqa: E402,F401
import rules_clients, rules_limits, rules_bad_input  # noqa: E402,F401
from hlp import CLIENT, HEARTBEAT, Worker, unique  # noqa: E402


def wait_for_broker(endpoint, process, seconds=15):
    """Until the broker answers a client HEARTBEAT (or its process exits)."""
    context = zmq.Context()
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise SystemExit(f"the broker exited with status {process.returncode} before answering")
            socket = context.socket(zmq.DEALER)
            socket.setsockopt(zmq.LINGER, 0)
            socket.connect(endpoint)
            socket.send_multipart([CLIENT, bytes([HEARTBEAT]), b"\x80"])
            answered = socket.poll(300)
            socket.close()
            if answered:
                return
        raise SystemExit(f"no broker answered HEARTBEAT at {endpoint} within {seconds} s")
    finally:
        context.term()


def describe_broker(endpoint):
    """Prints the timings the broker states in WELCOME: the kit waits for them."""
    context = zmq.Context()
    try:
        worker = Worker(context, endpoint, "probe")
        welcome = worker.ready(unique("kit-probe"), heartbeat=100)
        worker.disconnect()
        worker.close()
        print(f"broker at {endpoint}: WELCOME heartbeat {welcome['heartbeat']} ms (100 proposed), "
              f"liveness {welcome['liveness']}, accept_timeout {welcome['accept_timeout']} ms")
        if welcome["accept_timeout"] > 2000:
            print("note: an accept timeout over 2 s makes the kit slow (see README, Broker settings)")
    finally:
        context.term()


def stop(process):
    """SIGTERM by PID, then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", help="the broker's endpoint (default with --start: ipc:// in a temp dir)")
    parser.add_argument("--start", help="command that starts the broker; {endpoint} is replaced by the endpoint")
    parser.add_argument("--retention-ms", type=int, default=1000,
                        help="the broker's retention of finished tickets, in ms (default 1000)")
    parser.add_argument("--open-ticket-quota", type=int, default=20,
                        help="the broker's quota of open tickets per client connection (default 20)")
    parser.add_argument("--only", help="run only the rules whose section or text contains this")
    args = parser.parse_args()
    if not args.endpoint and not args.start:
        parser.error("give --endpoint, --start, or both")

    folder = tempfile.mkdtemp(prefix="hlpconform-")
    endpoint = args.endpoint or f"ipc://{folder}/broker.sock"
    process = None
    if args.start:
        command = shlex.split(args.start.replace("{endpoint}", endpoint))
        log = open(os.path.join(folder, "broker.log"), "w")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        print(f"started broker (pid {process.pid}): {' '.join(command)}; its log: {log.name}")
    failures = 1
    try:
        wait_for_broker(endpoint, process)
        describe_broker(endpoint)
        settings = kit.Settings(retention_ms=args.retention_ms, open_ticket_quota=args.open_ticket_quota)
        failures = kit.run(endpoint, settings, only=args.only)
        if process is not None and process.poll() is not None:
            print(f"FAIL  the broker exited (status {process.returncode}) during the run")
            failures += 1
    finally:
        if process is not None:
            stop(process)
            log.close()
        if failures and process is not None:
            print(f"the broker's log is kept: {log.name}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
