#!/usr/bin/env python3
"""Generates the HLP/1 golden vectors in this folder (see README.md).

Independent of any HLP codec on purpose: headers are packed by the `msgpack` package from
PyPI (pip install msgpack), or by hand where a vector needs a non-canonical form, so a
codec tested against these vectors is cross-checked by a second implementation. Run from
anywhere:

    python3 proto-spec/vectors/generate.py

It rewrites every *.json here and in invalid/. The output is committed; CI does not run this.
"""

import json
import os
import struct

import msgpack

HERE = os.path.dirname(os.path.abspath(__file__))
INVALID = os.path.join(HERE, "invalid")

SIGNATURES = {"client": b"HLPC01", "worker": b"HLPW01"}
SIGNATURE_OF = {
    "client-to-broker": "client",
    "broker-to-client": "client",
    "worker-to-broker": "worker",
    "broker-to-worker": "worker",
}
COMMANDS = {
    "ASK": 0x01, "CANCEL": 0x02, "RESUME": 0x03, "STATUS": 0x04, "HEARTBEAT": 0x05,
    "DISCONNECT": 0x06, "ERROR": 0x07, "QUEUED": 0x10, "ASSIGNED": 0x11, "ANSWERED": 0x12,
    "TRANSFERRED": 0x13, "EXPIRED": 0x14, "CANCELLED": 0x15, "REPORT": 0x16, "READY": 0x20,
    "ACCEPT": 0x21, "ANSWER": 0x22, "TRANSFER": 0x23, "DECLINE": 0x24, "EXTEND": 0x25,
    "WELCOME": 0x30, "ASSIGN": 0x31, "REVOKE": 0x32,
}


def pack(value):
    """Canonical MessagePack: smallest int/str/array/map forms, dict order kept."""
    return msgpack.packb(value, use_bin_type=True)


def raw_map(*entries):
    """A map from (key, packed value bytes) pairs, for hand-made (non-canonical) headers."""
    assert len(entries) < 16
    out = bytes([0x80 | len(entries)])
    for key, value in entries:
        out += pack(key) + value
    return out


ASK_BODY = pack({
    "prompt": "Refund order 1182 (EUR 240) although it is past the 30-day window?",
    "context": "Customer reports the parcel arrived damaged; photos attached in the ticket.",
    "transcript": [
        {"role": "customer", "text": "My order arrived broken."},
        {"role": "agent", "text": "I am sorry. Let me check what I can do."},
    ],
    "customer": {"name": "Ada Lovelace", "id": "c-77", "tier": "gold"},
    "proposed": "Full refund of EUR 240 to the original card.",
})
ANSWER_BODY = pack({"text": "Approved as an exception: damaged on arrival.", "edited": None})

written = []


def clean():
    """Removes the previous run's vectors so a renamed vector leaves no stale file."""
    for folder in (HERE, INVALID):
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".json"):
                os.remove(os.path.join(folder, name))


def write(folder, name, document):
    path = os.path.join(folder, name + ".json")
    with open(path, "w") as out:
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
    written.append(path)


def valid(name, description, direction, command, header, body=None, wire=None, signature=None, header_exact=True):
    """A valid vector. `header` is what the frames carry, as JSON, in wire order. `wire`,
    when given, is the header frame as sent (not canonical): `canonical_hex` is then the
    canonical encoding of the decoded message, i.e. `header` with the defaults filled in
    and unknown keys dropped, which the caller passes as a dict in `wire[1]`."""
    canonical = None
    if wire is not None:
        frame, canonical_header = wire
        canonical = pack(canonical_header)
    else:
        frame = pack(header)
    signature = signature or SIGNATURES[SIGNATURE_OF[direction]]
    frames = [signature, bytes([COMMANDS[command]]), frame]
    if body is not None:
        frames.append(body)
    document = {
        "name": name,
        "description": description,
        "signature": signature.decode(),
        "command": command,
        "command_byte": COMMANDS[command],
        "direction": direction,
        "frames_hex": [f.hex() for f in frames],
        "header": header,
    }
    if not header_exact:
        document["header_exact"] = False
    if body is not None:
        document["body_hex"] = body.hex()
    if canonical is not None and canonical != frame:
        document["canonical_hex"] = canonical.hex()
    write(HERE, name, document)


ABSENT = object()


def invalid(name, description, direction, error, frames, error_command=ABSENT, error_id=ABSENT):
    """An invalid vector. `error_command` and `error_id`, for vectors a broker receives,
    say what its ERROR carries: a value, or None for "MUST NOT carry the key"."""
    document = {
        "name": name,
        "description": description,
        "direction": direction,
        "frames_hex": [f.hex() for f in frames],
        "error": error,
    }
    if error_command is not ABSENT:
        document["error_command"] = error_command
    if error_id is not ABSENT:
        document["error_id"] = error_id
    write(INVALID, name, document)


def frames_for(direction, command, header_bytes, body=None):
    frames = [SIGNATURES[SIGNATURE_OF[direction]], bytes([COMMANDS[command]]), header_bytes]
    if body is not None:
        frames.append(body)
    return frames



# ---------------------------------------------------------------------------------------
# Valid vectors: every command in every direction it is legal, optional fields present and
# absent. Names: client-* (client to broker), to-client-* (broker to client), worker-*
# (worker to broker), to-worker-* (broker to worker).

ASK_DEFAULTS = {"skills": [], "role": "hila", "priority": 0, "options": [], "max_wait": 60000, "deadline": 3600000}
ASK_KEYS = ["id", "skills", "role", "priority", "options", "max_wait", "deadline"]


def canonical_ask(header):
    full = dict(ASK_DEFAULTS, **header)
    return {key: full[key] for key in ASK_KEYS}


def valid_vectors():
    c2b, b2c, w2b, b2w = "client-to-broker", "broker-to-client", "worker-to-broker", "broker-to-worker"

    # Client -> broker.
    valid("client-ask-full", "An ASK with every field set and a body.", c2b, "ASK", {
        "id": "t-1182", "skills": ["refunds", "billing"], "role": "hila", "priority": 5,
        "options": ["approve-full", "approve-half", "reject"], "max_wait": 120000, "deadline": 7200000,
    }, body=ASK_BODY)
    minimal = {"id": "t-1183"}
    valid("client-ask-minimal", "An ASK with only its id and no body: every other field takes its default.",
          c2b, "ASK", minimal, wire=(pack(minimal), canonical_ask(minimal)))
    valid("client-ask-live", "An ASK for a live agent at the highest priority, with a body.", c2b, "ASK", {
        "id": "order-1182-callback", "skills": ["es-language"], "role": "live", "priority": 9,
        "options": [], "max_wait": 0, "deadline": 1,
    }, body=ASK_BODY)
    valid("client-ask-limits", "An ASK at every size and range limit: 128-byte id (str8), 32 skills of 64 bytes "
          "(array16), 16 options of 64 bytes, the largest max_wait and deadline (uint32).", c2b, "ASK", {
              "id": "t" * 128, "skills": [f"skill-{i:02d}-" + "s" * 55 for i in range(32)], "role": "hila",
              "priority": 9, "options": [f"option-{i:02d}-" + "o" * 54 for i in range(16)],
              "max_wait": 86400000, "deadline": 604800000,
          })
    any_form = {"trace": {"span": 7}, "deadline": 90000, "priority": 5, "skills": ["refunds"], "id": "t-1184"}
    valid("client-ask-any-form", "An ASK a decoder must accept though no canonical encoder writes it: keys out of "
          "order, priority as uint64, deadline as int32, skills as array16, id as str8, an unknown key with a "
          "map value (ignored).", c2b, "ASK", any_form, wire=(
              raw_map(
                  ("trace", pack({"span": 7})),
                  ("deadline", b"\xd2" + struct.pack(">i", 90000)),
                  ("priority", b"\xcf" + struct.pack(">Q", 5)),
                  ("skills", b"\xdc\x00\x01" + pack("refunds")),
                  ("id", b"\xd9\x06" + b"t-1184"),
              ),
              canonical_ask({"id": "t-1184", "skills": ["refunds"], "priority": 5, "deadline": 90000}),
          ))
    valid("client-cancel", "A CANCEL of an open ticket.", c2b, "CANCEL", {"id": "t-1182"})
    valid("client-resume", "A RESUME of three tickets after a reconnect.", c2b, "RESUME",
          {"ids": ["t-1182", "t-1183", "t-1184"]})
    valid("client-resume-many", "A RESUME of 20 tickets: the list takes the array16 form.", c2b, "RESUME",
          {"ids": [f"t-{2000 + i}" for i in range(20)]})
    valid("client-status", "A STATUS: an empty map.", c2b, "STATUS", {})
    deep = {"x-debug": [[[[[[[1]]]]]]]}
    valid("client-status-deep-unknown", "A STATUS with an unknown key nested exactly 8 deep (the limit), ignored.",
          c2b, "STATUS", deep, wire=(pack(deep), {}))
    valid("client-heartbeat", "A client HEARTBEAT: an empty map.", c2b, "HEARTBEAT", {})
    cancel_wire = raw_map(("id", pack("t-1182")), ("x-trace", b"\x84" + pack(1) + pack("a") + pack("k") + pack(1)
                                                              + pack("k") + pack(2) + pack("s") + b"\xa2\xff\xfe"))
    valid("client-cancel-unknown-value-unchecked", "A CANCEL whose unknown key holds a map with an int key, a "
          "repeated key and a str of invalid UTF-8: the value of an unknown key is skipped, not checked (only the "
          "header map's own keys must be distinct, valid str).", c2b, "CANCEL", {"id": "t-1182"},
          wire=(cancel_wire, {"id": "t-1182"}), header_exact=False)

    # Broker -> client.
    valid("to-client-queued", "QUEUED: the ticket waits third in the hila queue.", b2c, "QUEUED",
          {"id": "t-1182", "role": "hila", "stage": "waiting", "position": 3})
    valid("to-client-queued-offered", "QUEUED after a RESUME: the ticket is offered to a worker.", b2c, "QUEUED",
          {"id": "t-1182", "role": "hila", "stage": "offered", "position": 0})
    short = {"id": "t-1182", "role": "live", "position": 260}
    valid("to-client-queued-no-stage", "QUEUED without stage: a decoder takes waiting; position needs uint16.",
          b2c, "QUEUED", short, wire=(pack(short), {"id": "t-1182", "role": "live", "stage": "waiting", "position": 260}))
    valid("to-client-assigned-hila", "ASSIGNED: a HILA accepted; an ANSWERED will follow.", b2c, "ASSIGNED",
          {"id": "t-1182", "worker": "ana", "role": "hila"})
    valid("to-client-assigned-live", "ASSIGNED to a live agent: this ends the ticket.", b2c, "ASSIGNED",
          {"id": "t-1182", "worker": "bo", "role": "live"})
    valid("to-client-answered-option", "ANSWERED with a chosen option and the worker's body.", b2c, "ANSWERED",
          {"id": "t-1182", "decision": "option", "option": "approve-half", "worker": "ana", "elapsed": 48210},
          body=ANSWER_BODY)
    valid("to-client-answered-approve", "ANSWERED approve, no option, with the worker's body.", b2c, "ANSWERED",
          {"id": "t-1182", "decision": "approve", "worker": "ana", "elapsed": 5000}, body=ANSWER_BODY)
    valid("to-client-answered-reject-no-body", "ANSWERED reject without a body.", b2c, "ANSWERED",
          {"id": "t-1182", "decision": "reject", "worker": "ana", "elapsed": 120})
    valid("to-client-transferred-note", "TRANSFERRED by a HILA, with its note for the live agent.", b2c,
          "TRANSFERRED", {"id": "t-1182", "reason": "hila", "note": "Customer is upset; please call back."})
    valid("to-client-transferred-no-hila", "TRANSFERRED because no HILA can serve it; no note.", b2c,
          "TRANSFERRED", {"id": "t-1182", "reason": "no-hila"})
    valid("to-client-expired", "EXPIRED: the deadline passed.", b2c, "EXPIRED", {"id": "t-1182"})
    valid("to-client-cancelled", "CANCELLED: the client's CANCEL took effect.", b2c, "CANCELLED", {"id": "t-1182"})
    valid("to-client-report", "REPORT with counters (keys sorted), two queues and two workers.", b2c, "REPORT", {
        "uptime": 86400000,
        "counts": {k: v for k, v in sorted({
            "waiting": 5, "offered": 2, "accepted": 1, "answered": 120, "transferred": 7,
            "expired": 1, "cancelled": 2, "errors": 0}.items())},
        "queues": [
            {"role": "hila", "skills": ["refunds"], "waiting": 3, "oldest": 4200},
            {"role": "live", "skills": [], "waiting": 2, "oldest": 61000},
        ],
        "workers": [
            {"name": "ana", "role": "hila", "skills": ["refunds", "billing"], "load": 1, "capacity": 2,
             "presence": "active"},
            {"name": "bo", "role": "live", "skills": [], "load": 0, "capacity": 1, "presence": "away"},
        ],
    })
    valid("to-client-report-empty", "REPORT of a broker that just started.", b2c, "REPORT",
          {"uptime": 0, "counts": {}, "queues": [], "workers": []})
    valid("to-client-error-full", "ERROR 422 naming the ticket and the refused command byte.", b2c, "ERROR",
          {"code": 422, "text": "ASK: 'priority' is 12; must be 0...9", "id": "t-1182", "command": 1})
    valid("to-client-error-unsupported-version", "ERROR 505 for a wrong signature: no id, no command.", b2c,
          "ERROR", {"code": 505, "text": "signature 'MDPC01' is not HLPC01 or HLPW01"})
    valid("to-client-heartbeat", "The broker's HEARTBEAT to a client.", b2c, "HEARTBEAT", {})

    # Worker -> broker.
    valid("worker-ready-full", "READY with every field, re-attaching one held ticket.", w2b, "READY", {
        "name": "ana", "role": "hila", "skills": ["refunds", "billing"], "capacity": 3, "heartbeat": 2500,
        "holding": ["t-1180"], "presence": "active",
    })
    minimal = {"name": "bo", "role": "live"}
    valid("worker-ready-minimal", "READY with only the required name and role.", w2b, "READY", minimal, wire=(
        pack(minimal), {"name": "bo", "role": "live", "skills": [], "capacity": 1, "heartbeat": 1000,
                        "holding": [], "presence": "active"}))
    valid("worker-heartbeat-away", "A worker HEARTBEAT: the human stepped away.", w2b, "HEARTBEAT",
          {"presence": "away"})
    valid("worker-heartbeat-minimal", "A worker HEARTBEAT without presence: active.", w2b, "HEARTBEAT", {},
          wire=(pack({}), {"presence": "active"}))
    valid("worker-accept", "ACCEPT with a 15-minute lease.", w2b, "ACCEPT", {"id": "t-1182", "lease": 900000})
    valid("worker-accept-minimal", "ACCEPT without a lease: held while the console lives.", w2b, "ACCEPT",
          {"id": "t-1182"}, wire=(pack({"id": "t-1182"}), {"id": "t-1182", "lease": 0}))
    valid("worker-answer-option", "ANSWER choosing an option, with a body.", w2b, "ANSWER",
          {"id": "t-1182", "decision": "option", "option": "approve-half"}, body=ANSWER_BODY)
    valid("worker-answer-edit", "ANSWER edit: the edited content travels in the body.", w2b, "ANSWER",
          {"id": "t-1182", "decision": "edit"}, body=ANSWER_BODY)
    valid("worker-answer-reject-no-body", "ANSWER reject without a body.", w2b, "ANSWER",
          {"id": "t-1182", "decision": "reject"})
    valid("worker-transfer-note", "TRANSFER with a note for the live agent.", w2b, "TRANSFER",
          {"id": "t-1182", "note": "Needs a phone call.\nCustomer prefers Spanish."})
    valid("worker-transfer", "TRANSFER without a note.", w2b, "TRANSFER", {"id": "t-1182"})
    valid("worker-decline-reason", "DECLINE with a reason.", w2b, "DECLINE",
          {"id": "t-1182", "reason": "Conflict of interest."})
    valid("worker-decline", "DECLINE without a reason.", w2b, "DECLINE", {"id": "t-1182"})
    valid("worker-extend", "EXTEND the lease by 10 minutes.", w2b, "EXTEND", {"id": "t-1182", "lease": 600000})
    valid("worker-disconnect", "DISCONNECT from a worker: an empty map.", w2b, "DISCONNECT", {})

    # Broker -> worker.
    valid("to-worker-welcome", "WELCOME keeping one held ticket and dropping another.", b2w, "WELCOME", {
        "heartbeat": 1000, "liveness": 3, "accept_timeout": 30000, "attached": ["t-1180"], "dropped": ["t-1179"],
    })
    welcome = {"heartbeat": 2500, "liveness": 5, "accept_timeout": 45000}
    valid("to-worker-welcome-minimal", "WELCOME without the lists: a decoder takes them empty.", b2w, "WELCOME",
          welcome, wire=(pack(welcome), dict(welcome, attached=[], dropped=[])))
    valid("to-worker-assign-hila", "ASSIGN of a HILA ticket with the client's body.", b2w, "ASSIGN", {
        "id": "t-1182", "role": "hila", "skills": ["refunds"], "priority": 5,
        "options": ["approve-full", "approve-half", "reject"], "age": 1520, "accept_timeout": 30000,
        "deadline": 7198480, "attempt": 1,
    }, body=ASK_BODY)
    valid("to-worker-assign-live", "ASSIGN of a transferred ticket to a live agent, with reason and note.", b2w,
          "ASSIGN", {
              "id": "t-1182", "role": "live", "skills": [], "priority": 0, "options": [], "age": 240000,
              "accept_timeout": 30000, "deadline": 3360000, "attempt": 2, "transfer": "hila",
              "note": "Customer is upset; please call back.",
          }, body=ASK_BODY)
    valid("to-worker-revoke", "REVOKE after the accept timeout.", b2w, "REVOKE",
          {"id": "t-1182", "reason": "accept-timeout"})
    valid("to-worker-heartbeat", "The broker's HEARTBEAT to a worker.", b2w, "HEARTBEAT", {})
    valid("to-worker-error", "ERROR 403 to a worker answering a ticket it does not hold.", b2w, "ERROR",
          {"code": 403, "text": "ANSWER: ticket t-9 is not held by ana", "id": "t-9", "command": 0x22})
    valid("to-worker-error-revoked",
          "ERROR 401 with no command: the broker's keys changed and no longer grant this registration "
          "(DISCONNECT follows; the worker stops).", b2w, "ERROR",
          {"code": 401, "text": "revoked: key ana may not claim skill refunds"})
    valid("to-worker-disconnect-reason", "DISCONNECT from the broker, saying why.", b2w, "DISCONNECT",
          {"reason": "broker shutting down"})
    valid("to-worker-disconnect", "DISCONNECT from the broker without a reason.", b2w, "DISCONNECT", {})
    valid("to-worker-error-unsupported-version", "ERROR 505 to a worker that sent a wrong signature: on HLPC01 "
          "(the broker cannot know the sub-protocol), which a worker accepts as an ERROR.", b2w, "ERROR",
          {"code": 505, "text": "signature 'HLPW02' is not HLPC01 or HLPW01"}, signature=b"HLPC01")


# ---------------------------------------------------------------------------------------
# Invalid vectors: frames and the error code a receiver must answer. `direction` says who
# receives (the broker for *-to-broker).

def invalid_vectors():
    c2b, b2c, w2b, b2w = "client-to-broker", "broker-to-client", "worker-to-broker", "broker-to-worker"
    ask = pack({"id": "t-1182", "skills": ["refunds"], "role": "hila", "priority": 5, "options": [],
                "max_wait": 60000, "deadline": 3600000})

    def ask_with(**fields):
        return frames_for(c2b, "ASK", pack(dict({"id": "t-1182"}, **fields)))

    # Framing.
    invalid("frames-one", "A signature alone: frame 1 cannot be read, so the ERROR names no command.", c2b, 400,
            [b"HLPC01"], error_command=None, error_id=None)
    invalid("frames-two", "Signature and command without a header frame: the ERROR names the command read.",
            c2b, 400, frames_for(c2b, "STATUS", b"")[:2], error_command=COMMANDS["STATUS"], error_id=None)
    invalid("frames-two-worker", "A worker's HEARTBEAT without a header frame: 400 on HLPW01, naming the command.",
            w2b, 400, frames_for(w2b, "HEARTBEAT", b"")[:2], error_command=COMMANDS["HEARTBEAT"], error_id=None)
    invalid("frames-five", "A fifth frame after the body: the ERROR names the command, though the header holds "
            "an id.", c2b, 400, frames_for(c2b, "ASK", ask, b"\x80") + [b"x"],
            error_command=COMMANDS["ASK"], error_id=None)
    invalid("frames-six", "Six frames.", c2b, 400, frames_for(c2b, "ASK", ask, b"\x80") + [b"x", b"y"],
            error_command=COMMANDS["ASK"], error_id=None)
    invalid("signature-unknown", "A Majordomo client signature: 505, no command, no id.", c2b, 505,
            [b"MDPC01", b"\x01", ask], error_command=None, error_id=None)
    invalid("signature-other-version", "A future HLP/Client version: 505, no command.", c2b, 505,
            [b"HLPC02", b"\x01", ask], error_command=None, error_id=None)
    invalid("signature-unknown-two-frames", "A wrong signature and too few frames: check 1 comes first.", c2b,
            505, [b"HLPW02", b"\x20"], error_command=None, error_id=None)
    invalid("command-two-bytes", "The command frame holds two bytes: no command byte was read.", c2b, 400,
            [b"HLPC01", b"\x01\x00", ask], error_command=None, error_id=None)
    invalid("command-empty", "The command frame is empty.", c2b, 400, [b"HLPC01", b"", ask],
            error_command=None, error_id=None)
    invalid("command-unknown", "Command byte 0x40 is in no table; the ERROR still names it.", c2b, 400,
            [b"HLPC01", b"\x40", b"\x80"], error_command=0x40, error_id=None)
    invalid("ready-on-client-protocol", "READY sent with the HLPC01 signature.", c2b, 403,
            [b"HLPC01", bytes([COMMANDS["READY"]]), pack({"name": "ana", "role": "hila"})],
            error_command=COMMANDS["READY"])
    invalid("ready-on-client-protocol-two-frames", "READY on HLPC01 without a header: check 3 (403) comes "
            "before check 4 (frame count).", c2b, 403, [b"HLPC01", bytes([COMMANDS["READY"]])],
            error_command=COMMANDS["READY"])
    invalid("ask-on-worker-protocol", "ASK sent with the HLPW01 signature.", w2b, 403,
            [b"HLPW01", bytes([COMMANDS["ASK"]]), ask], error_command=COMMANDS["ASK"])
    invalid("queued-sent-to-broker", "A client sends QUEUED, which only the broker sends.", c2b, 403,
            [b"HLPC01", bytes([COMMANDS["QUEUED"]]), pack({"id": "t-1", "role": "hila", "position": 0})],
            error_command=COMMANDS["QUEUED"])
    invalid("assign-received-by-client", "A client receives ASSIGN on HLPC01.", b2c, 403,
            [b"HLPC01", bytes([COMMANDS["ASSIGN"]]), b"\x80"])
    invalid("worker-protocol-received-by-client", "A client receives an HLPW01 WELCOME.", b2c, 403,
            [b"HLPW01", bytes([COMMANDS["WELCOME"]]), b"\x80"])
    invalid("ready-received-by-worker", "A worker receives READY, which only workers send.", b2w, 403,
            [b"HLPW01", bytes([COMMANDS["READY"]]), pack({"name": "ana", "role": "hila"})])
    invalid("body-on-cancel", "CANCEL carries no body, yet a fourth frame follows.", c2b, 400,
            frames_for(c2b, "CANCEL", pack({"id": "t-1182"}), b"\x80"))
    invalid("empty-body-on-heartbeat", "A fourth frame, even an empty one, on a command without a body.", w2b, 400,
            frames_for(w2b, "HEARTBEAT", b"\x80", b""))

    # MessagePack structure: 400.
    invalid("header-empty", "The header frame is empty.", c2b, 400, frames_for(c2b, "STATUS", b""))
    invalid("header-truncated", "An ASK header cut three bytes short.", c2b, 400, frames_for(c2b, "ASK", ask[:-3]))
    invalid("header-not-a-map", "The header is an array.", c2b, 400, frames_for(c2b, "CANCEL", pack(["t-1182"])))
    invalid("header-trailing-bytes", "A nil after the header map.", c2b, 400, frames_for(c2b, "ASK", ask + b"\xc0"))
    invalid("header-reserved-byte", "The reserved byte 0xc1 as a value.", c2b, 400,
            frames_for(c2b, "CANCEL", raw_map(("id", pack("t-1")), ("x", b"\xc1"))))
    invalid("count-bomb-map32", "9 bytes claiming a map of 4,294,967,295 entries.", c2b, 400,
            frames_for(c2b, "ASK", b"\xdf\xff\xff\xff\xff\x00\x00\x00\x00"))
    invalid("count-bomb-array32", "'skills' claims 4,294,967,295 elements in a 13-byte header.", c2b, 400,
            frames_for(c2b, "ASK", raw_map(("skills", b"\xdd\xff\xff\xff\xff"))))
    invalid("count-bomb-str32", "'id' claims a 4 GiB string.", c2b, 400,
            frames_for(c2b, "CANCEL", raw_map(("id", b"\xdb\xff\xff\xff\xff"))))
    invalid("nesting-too-deep", "An unknown key nested 9 deep, one past the limit.", c2b, 400,
            frames_for(c2b, "STATUS", pack({"x-debug": [[[[[[[[1]]]]]]]]})))
    invalid("duplicate-key", "'id' twice.", c2b, 400,
            frames_for(c2b, "CANCEL", raw_map(("id", pack("t-1")), ("id", pack("t-2")))))
    invalid("duplicate-unknown-key", "An unknown key twice.", c2b, 400,
            frames_for(c2b, "CANCEL", raw_map(("x", pack(1)), ("id", pack("t-1")), ("x", pack(2)))))
    invalid("non-str-key", "An integer key.", c2b, 400,
            frames_for(c2b, "CANCEL", b"\x82\x01\xa1x" + pack("id") + pack("t-1")))
    invalid("priority-as-str", "'priority' is the str \"5\".", c2b, 400, ask_with(priority="5"))
    invalid("priority-as-float", "'priority' is a float.", c2b, 400, ask_with(priority=5.0))
    invalid("priority-as-bool", "'priority' is a bool.", c2b, 400, ask_with(priority=True))
    invalid("id-nil", "'id' is nil.", c2b, 400, frames_for(c2b, "CANCEL", pack({"id": None})))
    invalid("id-bin", "'id' is bin, not str.", c2b, 400, frames_for(c2b, "CANCEL", pack({"id": b"t-1"})))
    invalid("skills-not-array", "'skills' is a str.", c2b, 400, ask_with(skills="refunds"))
    invalid("skill-not-str", "A skill is an int.", c2b, 400, ask_with(skills=["refunds", 7]))
    invalid("id-invalid-utf8", "'id' holds the byte 0xff.", c2b, 400,
            frames_for(c2b, "CANCEL", raw_map(("id", b"\xa3t-\xff"))))
    invalid("skill-overlong-utf8", "A skill encodes '/' in two bytes (overlong).", c2b, 400,
            frames_for(c2b, "ASK", raw_map(("id", pack("t-1")), ("skills", b"\x91\xa2\xc0\xaf"))))
    invalid("id-surrogate-utf8", "'id' encodes a UTF-16 surrogate.", c2b, 400,
            frames_for(c2b, "CANCEL", raw_map(("id", b"\xa3\xed\xa0\x80"))))
    invalid("report-worker-not-map", "A REPORT worker entry is a str.", b2c, 400, frames_for(b2c, "REPORT", pack(
        {"uptime": 1, "counts": {}, "queues": [], "workers": ["ana"]})))

    # Values: 422.
    invalid("ask-priority-12", "'priority' 12 is above 9.", c2b, 422, ask_with(priority=12))
    invalid("ask-priority-negative", "'priority' -1 (int8).", c2b, 422, ask_with(priority=-1))
    invalid("ask-priority-uint64-max", "'priority' 2^64-1 fits no field.", c2b, 422, ask_with(priority=2**64 - 1))
    invalid("ask-deadline-zero", "'deadline' 0 is below 1.", c2b, 422, ask_with(deadline=0))
    invalid("ask-max-wait-too-long", "'max_wait' one past a day.", c2b, 422, ask_with(max_wait=86400001))
    invalid("ask-role-unknown", "'role' boss is not in the vocabulary.", c2b, 422, ask_with(role="boss"))
    invalid("ask-id-missing", "An ASK without 'id'.", c2b, 422, frames_for(c2b, "ASK", pack({"priority": 1})))
    invalid("ask-id-empty", "'id' is the empty string.", c2b, 422, ask_with(id=""))
    invalid("ask-skill-control-char", "A skill holds a tab.", c2b, 422, ask_with(skills=["re\tfunds"]))
    invalid("ask-skill-empty", "A skill is empty.", c2b, 422, ask_with(skills=[""]))
    invalid("ask-option-delete-char", "An option holds U+007F.", c2b, 422, ask_with(options=["ok\x7f"]))
    invalid("ask-options-duplicate", "The same option twice.", c2b, 422, ask_with(options=["yes", "no", "yes"]))
    invalid("resume-empty", "RESUME of no tickets.", c2b, 422, frames_for(c2b, "RESUME", pack({"ids": []})))
    invalid("resume-missing-ids", "RESUME without 'ids'.", c2b, 422, frames_for(c2b, "RESUME", pack({})))
    invalid("answer-option-missing", "ANSWER decision option without 'option'.", w2b, 422,
            frames_for(w2b, "ANSWER", pack({"id": "t-1", "decision": "option"})))
    invalid("answer-option-unexpected", "ANSWER approve with an 'option'.", w2b, 422,
            frames_for(w2b, "ANSWER", pack({"id": "t-1", "decision": "approve", "option": "yes"})))
    invalid("answer-decision-unknown", "ANSWER decision maybe.", w2b, 422,
            frames_for(w2b, "ANSWER", pack({"id": "t-1", "decision": "maybe"})))
    invalid("answered-option-missing", "ANSWERED decision option without 'option'.", b2c, 422,
            frames_for(b2c, "ANSWERED", pack({"id": "t-1", "decision": "option", "worker": "ana", "elapsed": 1})))
    invalid("ready-capacity-zero", "READY 'capacity' 0.", w2b, 422,
            frames_for(w2b, "READY", pack({"name": "ana", "role": "hila", "capacity": 0})))
    invalid("ready-capacity-101", "READY 'capacity' 101.", w2b, 422,
            frames_for(w2b, "READY", pack({"name": "ana", "role": "hila", "capacity": 101})))
    invalid("ready-heartbeat-too-short", "READY 'heartbeat' 50 ms.", w2b, 422,
            frames_for(w2b, "READY", pack({"name": "ana", "role": "hila", "heartbeat": 50})))
    invalid("ready-role-missing", "READY without its required 'role'.", w2b, 422,
            frames_for(w2b, "READY", pack({"name": "ana"})))
    invalid("ready-name-control-char", "READY 'name' holds a newline.", w2b, 422,
            frames_for(w2b, "READY", pack({"name": "ana\n", "role": "hila"})))
    invalid("heartbeat-presence-unknown", "Worker HEARTBEAT 'presence' asleep.", w2b, 422,
            frames_for(w2b, "HEARTBEAT", pack({"presence": "asleep"})))
    invalid("accept-lease-too-long", "ACCEPT 'lease' one past a day.", w2b, 422,
            frames_for(w2b, "ACCEPT", pack({"id": "t-1", "lease": 86400001})))
    invalid("extend-lease-zero", "EXTEND 'lease' 0.", w2b, 422, frames_for(w2b, "EXTEND", pack({"id": "t-1", "lease": 0})))
    invalid("extend-lease-missing", "EXTEND without 'lease'.", w2b, 422, frames_for(w2b, "EXTEND", pack({"id": "t-1"})))
    invalid("error-code-unknown", "ERROR 'code' 418 is not an HLP/1 code.", b2c, 422,
            frames_for(b2c, "ERROR", pack({"code": 418, "text": "teapot"})))
    invalid("assign-attempt-zero", "ASSIGN 'attempt' 0.", b2w, 422, frames_for(b2w, "ASSIGN", pack({
        "id": "t-1", "role": "hila", "skills": [], "priority": 0, "options": [], "age": 0, "accept_timeout": 1,
        "deadline": 1, "attempt": 0})))
    invalid("revoke-reason-unknown", "REVOKE 'reason' bored.", b2w, 422,
            frames_for(b2w, "REVOKE", pack({"id": "t-1", "reason": "bored"})))
    invalid("queued-stage-unknown", "QUEUED 'stage' done.", b2c, 422,
            frames_for(b2c, "QUEUED", pack({"id": "t-1", "role": "hila", "stage": "done", "position": 0})))

    # Sizes: 413.
    invalid("ask-id-129-bytes", "'id' one byte past 128.", c2b, 413, ask_with(id="t" * 129))
    invalid("ask-skills-33", "33 skills, one past 32.", c2b, 413, ask_with(skills=[f"s{i}" for i in range(33)]))
    invalid("ask-skill-65-bytes", "A skill one byte past 64.", c2b, 413, ask_with(skills=["s" * 65]))
    invalid("ask-options-17", "17 options, one past 16.", c2b, 413, ask_with(options=[f"o{i}" for i in range(17)]))
    invalid("resume-257-ids", "RESUME of 257 tickets: one more than a RESUME may carry.", c2b, 413,
            frames_for(c2b, "RESUME", pack({"ids": [f"t{i}" for i in range(257)]})))
    invalid("transfer-note-1025-bytes", "TRANSFER 'note' one byte past 1024.", w2b, 413,
            frames_for(w2b, "TRANSFER", pack({"id": "t-1", "note": "n" * 1025})))
    invalid("ready-name-65-bytes", "READY 'name' one byte past 64.", w2b, 413,
            frames_for(w2b, "READY", pack({"name": "a" * 65, "role": "hila"})))
    padding = 64 * 1024 + 1 - len(pack({"id": "t-1", "x": ""})) - 2  # the str grows from fixstr to str16
    big = pack({"id": "t-1", "x": "p" * padding})
    assert len(big) == 64 * 1024 + 1
    invalid("header-over-64k", "A CANCEL header of 65,537 bytes: 413 without id (the header is not read).", c2b,
            413, frames_for(c2b, "CANCEL", big), error_command=COMMANDS["CANCEL"], error_id=None)

    # Order of checks: two faults each, on purpose (see README).
    invalid("order-fields-in-table-order", "'id' of 129 bytes and 'priority' 12: check 7 goes field by field "
            "in ASK's table order, so the id's 413 comes first.", c2b, 413,
            ask_with(id="t" * 129, priority=12), error_command=COMMANDS["ASK"], error_id=None)
    invalid("order-fields-in-table-order-empty-id", "An empty 'id' and 'priority' 12: the id's 422 comes first.",
            c2b, 422, ask_with(id="", priority=12), error_command=COMMANDS["ASK"], error_id=None)
    invalid("order-type-is-part-of-its-field", "'id' of 129 bytes and 'priority' as a str: a value's type is "
            "checked with its field (check 7, in table order), so the id's 413 comes first.", c2b, 413,
            ask_with(id="t" * 129, priority="5"), error_command=COMMANDS["ASK"], error_id=None)
    invalid("order-header-shape-before-fields", "'id' of 129 bytes and a key twice: the header's shape "
            "(check 6) comes before any field.", c2b, 400,
            frames_for(c2b, "ASK", raw_map(("id", pack("t" * 129)), ("x", pack(1)), ("x", pack(2)))),
            error_command=COMMANDS["ASK"], error_id=None)
    invalid("order-id-then-priority", "A valid 'id' and 'priority' 12: the ERROR names the id it read.", c2b, 422,
            ask_with(id="t-7", priority=12), error_command=COMMANDS["ASK"], error_id="t-7")

    # WELCOME's heartbeat range is fixed: a broker may narrow its clamp, never widen it.
    welcome = {"heartbeat": 249, "liveness": 3, "accept_timeout": 30000}
    invalid("welcome-heartbeat-below-range", "WELCOME 'heartbeat' 249 ms, below 250: a console refuses it.",
            b2w, 422, frames_for(b2w, "WELCOME", pack(welcome)))
    invalid("welcome-heartbeat-above-range", "WELCOME 'heartbeat' 30,001 ms, above 30,000.", b2w, 422,
            frames_for(b2w, "WELCOME", pack(dict(welcome, heartbeat=30001))))
    invalid("welcome-liveness-zero", "WELCOME 'liveness' 0.", b2w, 422,
            frames_for(b2w, "WELCOME", pack(dict(welcome, heartbeat=1000, liveness=0))))


if __name__ == "__main__":
    clean()
    valid_vectors()
    invalid_vectors()
    names = {os.path.basename(p) for p in written}
    assert len(names) == len(written), "two vectors share a name"
    print(f"wrote {len(written)} vectors")
