"""Memory per `helpline web` session: N people log in and open one WebSocket each (each
one worker registration at the broker); reports the web process's resident memory and
threads before and after. Not part of `make test`; run by hand:

    python3 -m venv /tmp/v && /tmp/v/bin/pip install websocket-client
    /tmp/v/bin/python bench/web/sessions.py --sessions 200 [--helpline .build/release/helpline]

Every process it starts, it stops by PID.
"""

from __future__ import annotations

import argparse
import http.client
import json
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import websocket  # websocket-client


def status(pid: int) -> dict:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return {"rss_kib": int(fields["VmRSS"].split()[0]), "threads": int(fields["Threads"])}


def line_with(process, marker):
    while True:
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"{process.args[:2]} ended: {process.stderr.read()}")
        if marker in line:
            return line.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--helpline", default=".build/debug/helpline")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="helpline-web-bench-"))
    users = folder / "users.jsonl"
    subprocess.run([args.helpline, "web", "user", "add", "p0", "--users", str(users), "--password-stdin", "--skill", "refunds"],
                   input="bench password\n", text=True, check=True, capture_output=True)
    first = json.loads(users.read_text().splitlines()[-1])
    with users.open("a") as out:
        for n in range(1, args.sessions):
            out.write(json.dumps(dict(first, name=f"p{n}")) + "\n")
    started = []
    try:
        broker = subprocess.Popen([args.helpline, "broker", "--endpoint", "tcp://127.0.0.1:*", "--journal", "memory", "--log-level", "error"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append(broker)
        endpoint = line_with(broker, "listening on ").split("listening on ")[1]
        web = subprocess.Popen([args.helpline, "web", "--endpoint", endpoint, "--users", str(users), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append(web)
        url = line_with(web, "helpline web: ").split("helpline web: ")[1].split(" ")[0]
        host, port = url.split("//")[1].rstrip("/").split(":")
        cookies = []
        for n in range(args.sessions):
            connection = http.client.HTTPConnection(host, int(port))
            connection.request("POST", "/api/login", body=json.dumps({"name": f"p{n}", "password": "bench password"}),
                               headers={"Origin": f"http://{host}:{port}", "Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            assert response.status == 200, response.status
            cookies.append(response.getheader("Set-Cookie").split(";")[0])
        time.sleep(1)
        before = status(web.pid)
        sockets = []
        for cookie in cookies:
            ws = websocket.create_connection(f"ws://{host}:{port}/ws", header=[f"Cookie: {cookie}"], origin=f"http://{host}:{port}")
            sockets.append(ws)
        online = 0
        for ws in sockets:  # each desk's state until it says the broker took the registration
            while True:
                message = json.loads(ws.recv())
                if message.get("type") == "state" and message["link"] == "online":
                    online += 1
                    break
        time.sleep(2)
        after = status(web.pid)
        print(json.dumps({
            "sessions": args.sessions, "online": online, "before": before, "after": after,
            "kib_per_session": round((after["rss_kib"] - before["rss_kib"]) / args.sessions, 1),
            "threads_per_session": round((after["threads"] - before["threads"]) / args.sessions, 2),
        }))
        for ws in sockets:
            ws.close()
    finally:
        for process in reversed(started):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    main()
