#!/usr/bin/env python3
"""Checks that fields.json and the header tables of 1-HLP.md §Commands say the same thing.

fields.json is the one machine-readable field table of HLP/1: codecs in any language check
their own tables against it. This script keeps it equal to the prose: every command's table
(key, type, presence and default, in order), REPORT's two entry tables included. Standard
library only; exits 1 and names every difference when they disagree.

    python3 check_fields.py [FOLDER]     # FOLDER: this folder (the default)
"""

import json
import re
import sys
from pathlib import Path

TO_BROKER = {"ASK", "CANCEL", "RESUME", "STATUS", "READY", "ACCEPT", "ANSWER", "TRANSFER", "DECLINE", "EXTEND"}


def _presence(text):
    text = text.strip()
    if text in ("required", "optional"):
        return {"presence": text}
    match = re.fullmatch(r"default `(.*)`", text)
    if not match:
        raise ValueError(f"unreadable presence {text!r}")
    value = match.group(1)
    try:
        value = json.loads(value)
    except ValueError:
        pass
    return {"presence": "default", "default": value}


def _table(block):
    rows = []
    for line in block.split("\n"):
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.split("|")]
            rows.append(dict(key=cells[1].strip("`"), type=cells[2], **_presence(cells[3])))
    return rows


def tables_of(spec_text):
    """(messages, records) as 1-HLP.md's §Commands states them."""
    section = spec_text[spec_text.index("### HLP/Client commands"):spec_text.index("## Body Conventions")]
    worker_start = section.index("### HLP/Worker commands")
    messages, records = [], {}
    offset = 0
    for part in re.split(r"\n#### ", section)[1:]:
        offset = section.index(part, offset)
        title = part.split("\n")[0]
        command = title.split(" ")[0]
        if title.startswith("ERROR (broker to worker)"):
            continue  # "as on HLPC01": the same table, listed once
        if "(client)" in title or "(worker)" in title:
            direction = "to-broker"
        elif "broker to" in title or "(broker)" in title:
            direction = "from-broker"
        else:
            direction = "to-broker" if command in TO_BROKER else "from-broker"
        signatures = ["HLPW01"] if offset > worker_start else ["HLPC01"]
        if command == "ERROR":
            signatures = ["HLPC01", "HLPW01"]
        if command == "REPORT":
            head, entries = part.split("Each `queues` entry:")
            queues, workers = entries.split("Each `workers` entry:")
            records["report-queue"] = _table(queues)
            records["report-worker"] = _table(workers)
            part = head
        messages.append({"command": command, "direction": direction, "signatures": signatures, "fields": _table(part)})
    return messages, records


def differences(folder):
    table = json.loads((folder / "fields.json").read_text(encoding="utf-8"))
    messages, records = tables_of((folder / "1-HLP.md").read_text(encoding="utf-8"))
    problems = []
    key = lambda m: (m["command"], m["direction"], tuple(m["signatures"]))
    spec = {key(m): m["fields"] for m in messages}
    json_ = {key(m): m["fields"] for m in table["messages"]}
    for name in sorted(set(spec) | set(json_)):
        if spec.get(name) != json_.get(name):
            problems.append(f"{name}: 1-HLP.md has {spec.get(name)}, fields.json has {json_.get(name)}")
    if records != table["records"]:
        problems.append(f"REPORT entries: 1-HLP.md has {records}, fields.json has {table['records']}")
    return problems


def main():
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    problems = differences(folder)
    for problem in problems:
        print(problem)
    print(f"fields.json {'disagrees with' if problems else 'matches'} 1-HLP.md §Commands")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
