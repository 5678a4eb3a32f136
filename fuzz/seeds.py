#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target into fuzz/corpus/TARGET.

codec: every golden vector (valid and invalid) in proto-spec/vectors, twice: as a bare
header for its direction and command, and as whole frames (the input layouts
CodecFuzzer reads). core: fixed random byte strings, plus hand-made event sequences
that register workers and walk tickets through their lifecycle (the layout CoreFuzzer
reads). Deterministic: rerunning it rewrites the same files.
"""
import glob, hashlib, json, os, random, struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIRECTIONS = ["client-to-broker", "broker-to-client", "worker-to-broker", "broker-to-worker"]


# Seeds beyond this are left out: libFuzzer sizes its inputs after the largest seed, and
# long inputs run slowly; the big vectors (REPORTs, limits) are reached by mutation.
MAX_SEED_BYTES = 4096


def write(target, data):
    if len(data) > MAX_SEED_BYTES:
        return
    folder = os.path.join(ROOT, "fuzz", "corpus", target)
    os.makedirs(folder, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def codec():
    for path in sorted(glob.glob(os.path.join(ROOT, "proto-spec", "vectors", "**", "*.json"), recursive=True)):
        vector = json.load(open(path))
        frames = [bytes.fromhex(h) for h in vector.get("frames_hex", [])]
        direction = vector.get("direction")
        if len(frames) >= 3 and direction in DIRECTIONS:
            # mode 0 (header), direction, raw command byte (flag 0), then the header.
            write("codec", bytes([0, DIRECTIONS.index(direction), 0, frames[1][0] if frames[1] else 0]) + frames[2])
        # mode 2 (frames), frame count, then each: long form (flag 0), uint16 length,
        # multiplier 1 (flag 0), the bytes, no padding (flag 0); no signature override.
        data = bytes([2, min(len(frames), 5)])
        for frame in frames[:5]:
            data += bytes([0]) + struct.pack("<H", min(len(frame), 65535)) + bytes([0]) + frame[:65535] + bytes([0])
        write("codec", data + bytes([0]))


def core():
    # Byte 0: journaling off (even) or on (odd). Then events (input.below(20)): 0-2 ASK,
    # 3 CANCEL, 4 RESUME, 5 STATUS/HEARTBEAT, 6-7 READY, 8-13 worker command, 14 closed,
    # 15 reject, 16 refuse+disconnect, 17 disk fails/heals (journaling), 18-19 tick.
    rng = random.Random(0x48454C50)
    for length in [16, 32, 64, 128, 256, 512, 768]:
        for journaling in (0, 1):
            write("core", bytes([journaling]) + bytes(rng.randrange(256) for _ in range(length)))
    ready_w0 = bytes([6, 0, 0b0001, 0, 0, 0, 0, 1, 0])         # READY w0 hila skill a, console 100
    ask_t0 = bytes([0, 0, 0b0001, 1, 0, 0, 5, 0x10, 0x27, 0, 0])  # ASK t0 skill a from client 1
    accept = bytes([8, 0, 1, 0, 0])                              # ACCEPT the held ticket
    answer = bytes([8, 0, 1, 2, 0, 0])                           # ANSWER it
    tick = bytes([18, 0, 200])
    disk = bytes([17])
    for journaling in (0, 1):
        mode = bytes([journaling])
        write("core", mode + ready_w0 + ask_t0 + accept + answer + tick)
        write("core", mode + ask_t0 + ready_w0 + tick * 20)
        write("core", mode + ready_w0 + ask_t0 * 3 + bytes([3, 0, 0]) + tick * 5 + bytes([14, 1, 0]) + tick * 50)
    write("core", bytes([1]) + ready_w0 + disk + ask_t0 + accept + answer + disk + tick * 3)
    write("core", bytes([1]) + ready_w0 + ask_t0 + disk + accept + answer + tick * 30 + disk + tick * 30)


if __name__ == "__main__":
    codec()
    core()
