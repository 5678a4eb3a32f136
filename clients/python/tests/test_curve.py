"""CURVE keys: loading the certificate files `helpline keygen` and pyzmq write, and a Python
client and worker against a real CURVE broker (proto-spec §Security)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import zmq
import zmq.auth

from helpline import Answer, Client, CurveKeys, HelplineError, Worker
from helpline.curve import load_key_file

from .test_integration import BINARY, WAIT, Broker


def make_keys(directory: Path, *names: str) -> dict:
    """pyzmq's own certificates (the zcert format the broker reads): name -> (public, secret)."""
    return {name: zmq.auth.create_certificates(str(directory), name) for name in names}


def public(directory: Path, name: str) -> bytes:
    return load_key_file(str(directory / f"{name}.key"))[0]


def test_fromFiles_readsPyzmqCertificates(tmp_path):
    make_keys(tmp_path, "broker", "agent")
    keys = CurveKeys.from_files(str(tmp_path / "agent.key_secret"), str(tmp_path / "broker.key"))
    agent_public, agent_secret = zmq.auth.load_certificate(str(tmp_path / "agent.key_secret"))
    assert keys.public_key == agent_public and keys.secret_key == agent_secret
    assert keys.server_key == zmq.auth.load_certificate(str(tmp_path / "broker.key"))[0]


def test_fromFiles_takesABareServerKey_andRefusesAPublicOnlyOwnKey(tmp_path):
    make_keys(tmp_path, "broker", "agent")
    (tmp_path / "broker.z85").write_bytes(public(tmp_path, "broker") + b"\n")
    keys = CurveKeys.from_files(str(tmp_path / "agent.key_secret"), str(tmp_path / "broker.z85"))
    assert keys.server_key == public(tmp_path, "broker")
    with pytest.raises(ValueError, match="no secret key"):
        CurveKeys.from_files(str(tmp_path / "agent.key"), str(tmp_path / "broker.key"))


def test_loadKeyFile_refusesMismatchedPairsAndNonKeys(tmp_path):
    make_keys(tmp_path, "one", "two")
    mixed = tmp_path / "mixed"
    mixed.write_bytes(b'public-key = "' + public(tmp_path, "one") + b'"\n'
                      + b'secret-key = "' + load_key_file(str(tmp_path / "two.key_secret"))[1] + b'"\n')
    with pytest.raises(ValueError, match="does not belong"):
        load_key_file(str(mixed))
    (tmp_path / "short").write_bytes(b'public-key = "tooshort"\n')
    with pytest.raises(ValueError, match="Z85"):
        load_key_file(str(tmp_path / "short"))
    (tmp_path / "empty").write_bytes(b"# nothing\n")
    with pytest.raises(ValueError, match="no public-key"):
        load_key_file(str(tmp_path / "empty"))


def test_fromEnvironment_needsBothOrNeither(tmp_path, monkeypatch):
    make_keys(tmp_path, "broker", "agent")
    monkeypatch.delenv("HELPLINE_KEY", raising=False)
    monkeypatch.delenv("HELPLINE_SERVER_KEY", raising=False)
    assert CurveKeys.from_environment() is None
    monkeypatch.setenv("HELPLINE_KEY", str(tmp_path / "agent.key_secret"))
    with pytest.raises(ValueError, match="go together"):
        CurveKeys.from_environment()
    monkeypatch.setenv("HELPLINE_SERVER_KEY", str(tmp_path / "broker.key"))
    assert CurveKeys.from_environment().public_key == public(tmp_path, "agent")


@pytest.fixture
def curve_broker(tmp_path):
    if not BINARY.exists():
        pytest.skip(f"no broker binary at {BINARY} (set HELPLINE_BIN)")
    make_keys(tmp_path, "broker", "agent", "ana", "eve", "stranger")
    lines = [
        f"{public(tmp_path, 'agent').decode()} agent client,admin",
        f"{public(tmp_path, 'ana').decode()} ana hila refunds",
        f"{public(tmp_path, 'eve').decode()} eve client",
    ]
    (tmp_path / "authorized_keys").write_text("\n".join(lines) + "\n")
    process = Broker("tcp://127.0.0.1:*", "--secret-key", str(tmp_path / "broker.key_secret"),
                     "--authorized-keys", str(tmp_path / "authorized_keys"))
    yield process, (lambda name: CurveKeys.from_files(str(tmp_path / f"{name}.key_secret"), str(tmp_path / "broker.key")))
    process.stop()


@pytest.mark.integration
def test_curveClientAndWorker_ticketAnsweredEndToEnd_adminReadsStatus(curve_broker):
    broker, keys = curve_broker
    worker = Worker(broker.endpoint, name="ana", skills=["refunds"], heartbeat=0.25,
                    handler=lambda ticket: Answer.reply(f"yes to {ticket.prompt}"), curve=keys("ana")).start()
    client = Client(broker.endpoint, heartbeat=0.25, curve=keys("agent"))
    try:
        assert worker.registered.wait(WAIT), "ana got no WELCOME over CURVE"
        outcome = client.ask("Refund 40?", skills=["refunds"], timeout=WAIT)
        assert outcome.kind == "answered" and outcome.worker == "ana" and outcome.text == "yes to Refund 40?"
        assert [w.name for w in client.status().workers] == ["ana"]
    finally:
        client.close()
        worker.stop()


@pytest.mark.integration
def test_curveClientWithoutAdmin_statusIs401_unlistedKeyGetsNothing(curve_broker):
    broker, keys = curve_broker
    eve = Client(broker.endpoint, heartbeat=0.25, curve=keys("eve"))
    stranger = Client(broker.endpoint, heartbeat=0.25, curve=keys("stranger"))
    try:
        with pytest.raises(HelplineError) as refused:
            eve.status(timeout=WAIT)
        assert refused.value.code == 401
        with pytest.raises(HelplineError) as silent:
            stranger.status(timeout=1.0)
        assert silent.value.code is None  # a local timeout: the broker never let it in
    finally:
        eve.close()
        stranger.close()


@pytest.mark.integration
def test_curveWorker_claimingASkillItsKeyLacks_isNeverRegistered(curve_broker):
    broker, keys = curve_broker
    worker = Worker(broker.endpoint, name="ana", skills=["refunds", "legal"], heartbeat=0.25,
                    curve=keys("ana")).start()
    admin = Client(broker.endpoint, heartbeat=0.25, curve=keys("agent"))
    try:
        assert not worker.registered.wait(1.0)
        assert admin.status().workers == ()
    finally:
        admin.close()
        worker.stop()


def test_loadKeyFile_bareKeyWithAnEqualsSign_isTheKey(tmp_path):
    # Z85's alphabet includes '=': about one key in three has one.
    key = next(k for k in (zmq.curve_keypair()[0] for _ in range(200)) if b"=" in k)
    (tmp_path / "bare").write_bytes(key + b"\n")
    assert load_key_file(str(tmp_path / "bare"))[0] == key
