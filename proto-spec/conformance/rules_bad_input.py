"""1-HLP.md "Bad input" and "Order of checks": every invalid vector a broker can receive
(../vectors/invalid/*.json, direction client-to-broker or worker-to-broker) sent to the live
broker, each answered with its code; and the peers around it unharmed."""

import glob
import json
import os

from hlp import ANSWERED, ASSIGNED, CLIENT, ERROR, HEARTBEAT, QUEUED, WORKER, check, unique
from kit import rule

FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors", "invalid")
TO_BROKER = ("client-to-broker", "worker-to-broker")


def load():
    vectors = []
    for path in sorted(glob.glob(os.path.join(FOLDER, "*.json"))):
        with open(path) as file:
            vector = json.load(file)
        if vector["direction"] in TO_BROKER:
            vector["frames"] = [bytes.fromhex(frame) for frame in vector["frames_hex"]]
            vectors.append(vector)
    return vectors


VECTORS = load()


def send_and_check(peer, vector):
    """Sends the vector's frames; the reply must be one ERROR as the vector says."""
    peer.send_frames(vector["frames"])
    error = peer.expect(ERROR)
    check(error["code"] == vector["error"], f"ERROR {error['code']}, expected {vector['error']}: {error.header}")
    wanted = CLIENT if vector["error"] == 505 or vector["frames"][0] != WORKER else WORKER
    check(error.signature == wanted, f"ERROR came on {error.signature!r}, expected {wanted!r}")
    for field, key in (("error_command", "command"), ("error_id", "id")):
        if field in vector:
            expected = vector[field]
            check(error.get(key) == expected,
                  f"ERROR {key} is {error.get(key)!r}, expected {'none' if expected is None else expected!r}")
    peer.expect_nothing(0.02)


def vector_rule(vector):
    text = f"vector {vector['name']} draws {vector['error']}"
    section = "Order of checks" if vector["name"].startswith(("order-", "frames-", "signature-", "command-")) \
        else "Bad input"

    @rule(section, text)
    def check_vector(k):
        signature = WORKER if vector["direction"] == "worker-to-broker" else CLIENT
        send_and_check(k.raw(signature, "sender"), vector)
    return check_vector


for _vector in VECTORS:
    vector_rule(_vector)


@rule("Bad input", "every invalid vector, sent in a row, harms no other peer; each ERROR is counted")
def others_unharmed(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill])
    client = k.client("bystander")
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    client.expect(QUEUED, id=ticket)
    worker.expect_assign(ticket)
    worker.accept(ticket)  # accepted: no accept timeout runs while the vectors go out
    client.expect(ASSIGNED, id=ticket)
    before = client.status()["counts"].get("errors")
    bad_client, bad_worker = k.raw(CLIENT, "bad client"), k.raw(WORKER, "bad worker")
    for vector in VECTORS:
        send_and_check(bad_worker if vector["direction"] == "worker-to-broker" else bad_client, vector)
    # The bystanders carry on: the worker still holds the ticket and answers it.
    worker.answer(ticket)
    client.expect(ANSWERED, id=ticket)
    # The senders' own connections still work.
    bad_client.send(HEARTBEAT)
    bad_client.expect(HEARTBEAT)
    after = client.status()["counts"].get("errors")
    if before is not None and after is not None:
        check(after - before >= len(VECTORS), f"counts.errors grew by {after - before}, {len(VECTORS)} ERRORs sent")


def load_valid():
    vectors = []
    for path in sorted(glob.glob(os.path.join(FOLDER, "..", "*.json"))):
        with open(path) as file:
            vector = json.load(file)
        if vector["direction"] in TO_BROKER:
            vector["frames"] = [bytes.fromhex(frame) for frame in vector["frames_hex"]]
            vectors.append(vector)
    return vectors


@rule("What decoders accept", "every valid vector a broker receives gets past checks 1-7 (no 400, 403, 413, 422, 505)")
def valid_vectors_accepted(k):
    refusals = (400, 403, 413, 422, 505)
    for vector in load_valid():
        signature = WORKER if vector["direction"] == "worker-to-broker" else CLIENT
        peer = k.raw(signature, vector["name"])
        if vector["command"] == "ASK":
            peer.asked.append(vector["header"]["id"])
        peer.send_frames(vector["frames"])
        while True:
            message = peer.receive(0.1)
            if message is None:
                break
            check(message.command != ERROR or message["code"] not in refusals,
                  f"{vector['name']} drew {message!r}")
