"""Codec: canonical encoding, lenient-but-strict decoding, every error code, hostile input."""

from __future__ import annotations

import random

import msgpack
import pytest

from helpline import wire
from helpline.errors import ErrorCode

SAMPLES = [
    wire.Ask(id="t-1", skills=("refunds", "es"), role="live", priority=9, options=("yes", "no"),
             max_wait=0, deadline=604_800_000),
    wire.Cancel(id="t-1"),
    wire.Resume(ids=("a", "b")),
    wire.Status(),
    wire.ClientHeartbeat(),
    wire.Queued(id="t-1", role="hila", stage="waiting", position=300),
    wire.Assigned(id="t-1", worker="ana", role="live"),
    wire.Answered(id="t-1", decision="option", option="yes", worker="ana", elapsed=70_000),
    wire.TransferredMessage(id="t-1", reason="no-hila", note="call back"),
    wire.ExpiredMessage(id="t-1"),
    wire.CancelledMessage(id="t-1"),
    wire.Report(uptime=1, counts={"waiting": 2, "errors": 0},
                queues=(wire.ReportQueue("hila", ("refunds",), 2, 1500),),
                workers=(wire.ReportWorker("ana", "hila", ("refunds",), 1, 2, "away"),)),
    wire.Error(code=422, text="bad", id="t-1", command=1),
    wire.Ready(name="ana", role="hila", skills=("refunds",), capacity=100, heartbeat=60_000,
               holding=("t-1",), presence="away"),
    wire.WorkerHeartbeat(presence="away"),
    wire.Accept(id="t-1", lease=86_400_000),
    wire.AnswerMessage(id="t-1", decision="edit"),
    wire.TransferMessage(id="t-1", note="angry customer"),
    wire.DeclineMessage(id="t-1", reason="not mine"),
    wire.Extend(id="t-1", lease=1),
    wire.WorkerDisconnect(),
    wire.Welcome(heartbeat=1000, liveness=3, accept_timeout=30_000, attached=("a",), dropped=("b",)),
    wire.Assign(id="t-1", role="live", skills=("x",), priority=3, options=("a",), age=10,
                accept_timeout=30_000, deadline=100, attempt=2, transfer="hila", note="n"),
    wire.Revoke(id="t-1", reason="accept-timeout"),
    wire.BrokerDisconnect(reason="shutting down"),
]


def _signature(message):
    return message.SIGNATURES[0]


@pytest.mark.parametrize("message", SAMPLES, ids=lambda m: type(m).__name__)
def test_roundtrip_everyMessage_decodesToItself(message):
    body = b"\x81\xa4text\xa2ok" if message.COMMAND.carries_body else None
    frames = wire.encode(message, body, _signature(message))
    envelope = wire.decode(frames, message.DIRECTION)
    assert envelope.message == message
    assert envelope.body == body
    assert wire.encode(envelope.message, envelope.body, envelope.signature) == frames


def test_encode_writesKeysInTableOrder_andEveryNonOptionalField():
    header = wire.encode(wire.Ask(id="x"))[2]
    assert list(msgpack.unpackb(header).keys()) == [
        "id", "skills", "role", "priority", "options", "max_wait", "deadline"]
    assert "option" not in msgpack.unpackb(wire.encode(wire.AnswerMessage(id="x", decision="approve"))[2])


def test_encode_usesSmallestIntegerAndStringForms():
    header = wire.encode(wire.Queued(id="a" * 32, role="hila", stage="waiting", position=128))[2]
    assert bytes.fromhex("d920") + b"a" * 32 in header  # str8 for 32 bytes
    assert header.endswith(b"\xa8position\xcc\x80")  # uint8 for 128
    assert wire.encode(wire.Accept(id="x", lease=0))[2].endswith(b"\xa5lease\x00")


def test_decode_acceptsAnyKeyOrderIntegerFormAndUnknownKeys_appliesDefaults():
    header = b"\x83" + msgpack.packb("future") + msgpack.packb([1.5, None]) \
        + msgpack.packb("priority") + b"\xd0\x05" + msgpack.packb("id") + msgpack.packb("t")
    message = wire.decode([wire.CLIENT, b"\x01", header], wire.TO_BROKER).message
    assert message == wire.Ask(id="t", priority=5)
    assert message.max_wait == 60_000 and message.deadline == 3_600_000 and message.role == "hila"


def test_decode_absentAndEmptyBody_meanTheSame():
    frames = wire.encode(wire.Ask(id="t"))
    assert wire.decode(frames + [b""], wire.TO_BROKER).body is None
    assert wire.decode(frames, wire.TO_BROKER).body is None


def _ask_header(**fields):
    header = {"id": "t"}
    header.update(fields)
    return msgpack.packb(header, use_bin_type=True)


def _code(frames, direction=wire.TO_BROKER):
    with pytest.raises(wire.WireError) as caught:
        wire.decode(frames, direction)
    return caught.value.code


def _ask_code(header: bytes):
    return _code([wire.CLIENT, b"\x01", header])


@pytest.mark.parametrize("header", [
    b"\x90",                          # an array, not a map
    b"\xa3abc",                       # a string
    b"\x81\x01\xa1x",                 # an integer key
    b"\x82\xa2id\xa1t\xa2id\xa1u",    # duplicate key
    _ask_header(priority="1"),        # str where an int is expected
    _ask_header(priority=None),       # nil
    _ask_header(priority=True),       # bool
    _ask_header(priority=1.0),        # float
    _ask_header(id=b"t"),             # bin where a str is expected
    _ask_header(skills="refunds"),    # str where a list is expected
    _ask_header(skills=[1]),          # list of the wrong type
    b"\x81\xa2id\xa2\xff\xfe",        # invalid UTF-8
    _ask_header() + b"\x00",          # trailing bytes
    b"\x81\xa2id",                    # truncated
    b"",                              # empty
    b"\x81\xa2id\xd4\x01\x00",        # ext
    b"\x81\xa1x" + b"\x91" * 8 + b"\x00",  # nesting 9 deep (unknown key: still refused)
], ids=lambda h: h.hex()[:24])
def test_decode_refusesBrokenHeaders_with400(header):
    assert _ask_code(header) == ErrorCode.MALFORMED


def test_decode_acceptsNestingOf8():
    assert wire.decode([wire.CLIENT, b"\x01", _ask_header(x=[[[[[[[0]]]]]]])], wire.TO_BROKER)


@pytest.mark.parametrize("header", [
    msgpack.packb({}),                      # missing id
    _ask_header(id=""),                     # empty name
    _ask_header(id="a\nb"),                 # control character
    _ask_header(id="a\x7fb"),               # DEL
    _ask_header(priority=10),
    _ask_header(priority=-1),               # negative integer
    _ask_header(role="boss"),
    _ask_header(deadline=0),
    _ask_header(deadline=604_800_001),
    _ask_header(max_wait=86_400_001),
    _ask_header(options=["a", "a"]),
    _ask_header(skills=[""]),
], ids=lambda h: h.hex()[:24])
def test_decode_refusesInvalidValues_with422(header):
    assert _ask_code(header) == ErrorCode.INVALID


@pytest.mark.parametrize("header", [
    _ask_header(id="x" * 129),
    _ask_header(skills=["s"] * 33),
    _ask_header(skills=["s" * 65]),
    _ask_header(options=[str(i) for i in range(17)]),
    _ask_header(options=["o" * 65]),
], ids=lambda h: h.hex()[:24])
def test_decode_refusesOverLimit_with413(header):
    assert _ask_code(header) == ErrorCode.TOO_LARGE


def test_decode_limitsAreInclusive():
    ok = _ask_header(id="x" * 128, skills=["s" * 64] * 32, options=[str(i) for i in range(16)])
    assert wire.decode([wire.CLIENT, b"\x01", ok], wire.TO_BROKER)


def test_answer_optionRequiredIffDecisionIsOption():
    def code(header):
        return _code([wire.WORKER, b"\x22", msgpack.packb(header)])
    assert code({"id": "t", "decision": "option"}) == ErrorCode.INVALID
    assert code({"id": "t", "decision": "approve", "option": "a"}) == ErrorCode.INVALID
    assert wire.decode([wire.WORKER, b"\x22", msgpack.packb({"id": "t", "decision": "option", "option": "a"})],
                       wire.TO_BROKER)


def test_worker_limits():
    def code(command, header):
        return _code([wire.WORKER, command, msgpack.packb(header)])
    assert code(b"\x20", {"name": "w"}) == ErrorCode.INVALID  # role is required
    assert code(b"\x20", {"name": "w", "role": "hila", "capacity": 0}) == ErrorCode.INVALID
    assert code(b"\x20", {"name": "w", "role": "hila", "capacity": 101}) == ErrorCode.INVALID
    assert code(b"\x20", {"name": "w", "role": "hila", "heartbeat": 99}) == ErrorCode.INVALID
    assert code(b"\x20", {"name": "w" * 65, "role": "hila"}) == ErrorCode.TOO_LARGE
    assert code(b"\x20", {"name": "w", "role": "hila", "holding": ["t"] * 101}) == ErrorCode.TOO_LARGE
    assert code(b"\x25", {"id": "t", "lease": 0}) == ErrorCode.INVALID
    assert code(b"\x25", {"id": "t"}) == ErrorCode.INVALID
    assert code(b"\x24", {"id": "t", "reason": "r" * 1025}) == ErrorCode.TOO_LARGE
    assert code(b"\x05", {"presence": "asleep"}) == ErrorCode.INVALID
    assert _code([wire.CLIENT, b"\x03", msgpack.packb({"ids": []})]) == ErrorCode.INVALID
    assert _code([wire.CLIENT, b"\x03", msgpack.packb({"ids": ["t"] * 257})]) == ErrorCode.TOO_LARGE


@pytest.mark.parametrize("frames,direction,code", [
    ([b"HLPC02", b"\x04", b"\x80"], wire.TO_BROKER, ErrorCode.UNSUPPORTED_VERSION),
    ([b"MDPC01", b"\x04", b"\x80"], wire.TO_BROKER, ErrorCode.UNSUPPORTED_VERSION),
    ([wire.CLIENT, b"\x04"], wire.TO_BROKER, ErrorCode.MALFORMED),
    ([wire.CLIENT], wire.TO_BROKER, ErrorCode.MALFORMED),
    ([], wire.TO_BROKER, ErrorCode.UNSUPPORTED_VERSION),  # no frame 0 to read: check 1
    ([wire.CLIENT, b"\x01", b"\x81\xa2id\xa1t", b"", b""], wire.TO_BROKER, ErrorCode.MALFORMED),
    ([wire.CLIENT, b"\x04", b"\x80", b"x"], wire.TO_BROKER, ErrorCode.MALFORMED),
    ([wire.CLIENT, b"\x04", b"\x80", b""], wire.TO_BROKER, ErrorCode.MALFORMED),
    ([wire.CLIENT, b"\x04\x00", b"\x80"], wire.TO_BROKER, ErrorCode.MALFORMED),
    ([wire.CLIENT, b"", b"\x80"], wire.TO_BROKER, ErrorCode.MALFORMED),
    ([wire.CLIENT, b"\x99", b"\x80"], wire.TO_BROKER, ErrorCode.MALFORMED),
    ([wire.CLIENT, b"\x20", b"\x80"], wire.TO_BROKER, ErrorCode.FORBIDDEN),   # READY on HLPC01
    ([wire.WORKER, b"\x01", b"\x80"], wire.TO_BROKER, ErrorCode.FORBIDDEN),   # ASK on HLPW01
    ([wire.CLIENT, b"\x10", b"\x80"], wire.TO_BROKER, ErrorCode.FORBIDDEN),   # QUEUED sent to the broker
    ([wire.CLIENT, b"\x01", b"\x80"], wire.FROM_BROKER, ErrorCode.FORBIDDEN),  # ASK from the broker
    ([wire.CLIENT, b"\x04", b"\x80" + b"\x00" * wire.MAX_HEADER_BYTES], wire.TO_BROKER, ErrorCode.TOO_LARGE),
    ([wire.CLIENT, b"\x01", b"\x81\xa2id\xa1t", b"x" * (wire.MAX_BODY_BYTES + 1)], wire.TO_BROKER, ErrorCode.TOO_LARGE),
])
def test_decode_frameRules(frames, direction, code):
    assert _code(frames, direction) == code


def test_encode_refusesInvalidMessages():
    with pytest.raises(wire.WireError) as caught:
        wire.encode(wire.Ask(id="t", priority=12))
    assert caught.value.code == ErrorCode.INVALID
    with pytest.raises(wire.WireError):
        wire.encode(wire.Status(), b"body")
    with pytest.raises(ValueError):
        wire.encode(wire.Error(code=400, text="x"))  # shared by both sub-protocols: say which


def test_decode_hostileInput_onlyEverRaisesWireError():
    rng = random.Random(1182)
    valid = [wire.encode(m, b"\x80" if m.COMMAND.carries_body else None, _signature(m)) for m in SAMPLES]
    for _ in range(3000):
        frames = [bytearray(f) for f in rng.choice(valid)]
        mutation = rng.randrange(4)
        target = frames[rng.randrange(len(frames))]
        if mutation == 0 and target:
            target[rng.randrange(len(target))] = rng.randrange(256)
        elif mutation == 1:
            del target[rng.randrange(len(target) + 1):]
        elif mutation == 2:
            target.extend(rng.randbytes(rng.randrange(1, 16)))
        else:
            frames = [bytes(rng.randbytes(rng.randrange(12))) for _ in range(rng.randrange(6))]
        for direction in (wire.TO_BROKER, wire.FROM_BROKER):
            try:
                wire.decode(frames, direction)
            except wire.WireError:
                pass


def test_bodies_followTheConventions():
    body = wire.pack_ask_body("ok?", context={"why": "limit"}, proposed={"amount": 5})
    assert msgpack.unpackb(body) == {"prompt": "ok?", "context": {"why": "limit"}, "proposed": {"amount": 5}}
    assert wire.pack_ask_body() is None
    assert wire.unpack_body(wire.pack_answer_body("no", edited=None)) == {"text": "no", "edited": None}
    assert wire.unpack_body(b"\xc1") is None and wire.unpack_body(b"\x01") is None


def test_report_mayOutgrowTheRoutingHeaderLimit_upTo4MiB():
    workers = tuple(wire.ReportWorker(f"w{i}", "hila", ("refunds",), 0, 1, "active") for i in range(2000))
    report = wire.Report(uptime=1, counts={"workers": 2000}, queues=(), workers=workers)
    frames = wire.encode(report)
    assert len(frames[2]) > wire.MAX_HEADER_BYTES
    assert wire.decode(frames, wire.BROKER_TO_CLIENT).message == report
    huge = [wire.CLIENT, b"\x16", b"\x80" + b"\x00" * wire.MAX_REPORT_HEADER_BYTES]
    assert _code(huge, wire.BROKER_TO_CLIENT) == ErrorCode.TOO_LARGE


def test_report_countsAreWrittenInAscendingKeyOrder():
    header = wire.encode(wire.Report(uptime=0, counts={"waiting": 1, "answered": 2, "errors": 0},
                                     queues=(), workers=()))[2]
    assert list(msgpack.unpackb(header)["counts"]) == ["answered", "errors", "waiting"]
