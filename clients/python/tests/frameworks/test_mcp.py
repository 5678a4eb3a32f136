"""`helpline-mcp` driven by the MCP SDK's own client, over stdio and streamable HTTP, against
the real broker, with a scripted human answering through `helpline.Worker`."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import threading

import pytest

mcp = pytest.importorskip("mcp")

from mcp import Client  # noqa: E402
from mcp.client.stdio import StdioServerParameters  # noqa: E402

from helpline import Answer, Transfer  # noqa: E402

from ..test_integration import WAIT  # noqa: E402
from .conftest import run_example  # noqa: E402

pytestmark = pytest.mark.integration


def stdio(broker) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "helpline.mcp", "--endpoint", broker.endpoint, "--progress", "0.2"])


@pytest.fixture
def http_server(helpline_broker):
    """`helpline-mcp --http --port 0` as a process of its own; its URL from its first line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "helpline.mcp", "--endpoint", helpline_broker.endpoint, "--http",
         "--port", "0", "--progress", "0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    found: list = []

    def read() -> None:
        match = re.search(r"listening on (\S+)", process.stdout.readline())
        if match:
            found.append(match.group(1))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(WAIT * 2)
    try:
        assert found, "helpline-mcp --http printed no URL"
        yield found[0]
    finally:
        process.terminate()
        try:
            process.wait(WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(WAIT)
        process.stdout.close()


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, WAIT * 3))


def test_askHuman_overStdio_progressWhileTheHumanThinks_thenStructuredAnswer(helpline_broker, human):
    progressed = threading.Event()
    messages = []

    def hila(ticket):
        # The human answers only once the MCP client has seen progress: no timing guess.
        assert progressed.wait(WAIT), "no progress notification reached the MCP client"
        return Answer.reply("Ship it by courier.")

    human.decide = hila

    async def progress(value, total, message):
        messages.append(message)
        progressed.set()

    async def scenario():
        async with Client(stdio(helpline_broker)) as session:
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            assert set(tools) >= {"ask_human", "request_approval"}
            assert tools["ask_human"].output_schema is not None
            return await session.call_tool(
                "ask_human", {"question": "Courier or post?", "options": ["courier", "post"],
                              "skills": [], "context": "order 1182"},
                progress_callback=progress)

    result = run(scenario())
    assert not result.is_error
    assert result.structured_content["outcome"] == "answered"
    assert result.structured_content["decision"] == "answer"
    assert result.structured_content["answer"] == "Ship it by courier."
    assert messages and all(m.startswith("waiting for a human") for m in messages)
    (ticket,) = human.tickets
    assert ticket.prompt == "Courier or post?" and ticket.options == ("courier", "post")
    assert ticket.context == "order 1182"


@pytest.mark.parametrize("answer,expected", [
    (Answer.approve(), dict(approved=True, decision="approve", arguments={"order": "1182", "amount": 240})),
    (Answer.reject("no proof of damage"), dict(approved=False, decision="reject", message="no proof of damage",
                                               arguments=None)),
    (Answer.edit({"order": "1182", "amount": 120}, "half"), dict(approved=True, decision="edit",
                                                               arguments={"order": "1182", "amount": 120},
                                                               message="half")),
    (Transfer("customer wants a person"), dict(approved=False, outcome="transferred", decision=None)),
], ids=["approve", "reject", "edit", "transfer"])
def test_requestApproval_overHttp_eachDecision(helpline_broker, human, http_server, answer, expected):
    human.decide = lambda ticket: answer

    async def scenario():
        async with Client(http_server) as session:
            return await session.call_tool("request_approval", {
                "action": "refund", "arguments": {"order": "1182", "amount": 240},
                "risk": "high", "reason": "parcel damaged"})

    result = run(scenario())
    assert not result.is_error
    for key, value in expected.items():
        assert result.structured_content[key] == value, key
    (ticket,) = human.tickets
    assert ticket.proposed == {"order": "1182", "amount": 240}
    assert ticket.priority == 8
    assert ticket.context == {"action": "refund", "risk": "high", "reason": "parcel damaged"}
    assert ticket.prompt.startswith("Approve refund(") and "parcel damaged" in ticket.prompt


def test_cancelledToolCall_cancelsTheTicket(helpline_broker, human):
    offered = threading.Event()
    human.decide = lambda ticket: (offered.set(), ticket.revoked.wait(WAIT), None)[-1]

    async def scenario():
        async with Client(stdio(helpline_broker)) as session:
            call = asyncio.ensure_future(session.call_tool("ask_human", {"question": "Still there?"}))
            loop = asyncio.get_running_loop()
            assert await loop.run_in_executor(None, offered.wait, WAIT)
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            # The ticket is withdrawn at the broker: the human's console drops it.
            assert await loop.run_in_executor(None, human.tickets[0].revoked.wait, WAIT)

    run(scenario())
    assert human.tickets[0].revoke_reason == "cancelled"


def test_example_getsTheHumansEdit(helpline_broker, human):
    human.decide = lambda ticket: Answer.edit({"order": "1182", "amount": 120})
    out = run_example("mcp/ask_over_mcp.py", helpline_broker.endpoint)
    assert "approved: refunding with {'order': '1182', 'amount': 120}" in out
