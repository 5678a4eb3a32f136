"""AsyncClient: many concurrent tickets on one socket, the async iterator, async callbacks."""

from __future__ import annotations

import asyncio

from helpline import AsyncClient, Outcome, wire

from .conftest import WAIT


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, WAIT * 3))


def test_manyConcurrentAsks_shareOneSocket_andEachGetsItsOwnOutcome(broker):
    count = 50

    async def main():
        async with AsyncClient(broker.endpoint, heartbeat=0.2) as client:
            asks = [asyncio.ensure_future(client.ask(f"q{i}", ticket_id=f"t{i}")) for i in range(count)]
            identities = set()
            for _ in range(count):
                identity, _ = await asyncio.to_thread(broker.expect, wire.Ask)
                identities.add(identity)
            assert len(identities) == 1, "one DEALER socket for every ticket"
            for i in reversed(range(count)):  # answered in the other order
                broker.send(identity, wire.Answered(id=f"t{i}", decision="answer", worker="w", elapsed=i),
                            wire.pack_answer_body(f"a{i}"))
            outcomes = await asyncio.gather(*asks)
            assert [o.text for o in outcomes] == [f"a{i}" for i in range(count)]

    run(main())


def test_stream_yieldsEventsThenTheOutcome(broker):
    async def main():
        async with AsyncClient(broker.endpoint, heartbeat=0.2) as client:
            async def play():
                identity, _ = await asyncio.to_thread(broker.expect, wire.Ask)
                broker.send(identity, wire.Queued(id="s", role="hila", stage="waiting", position=7))
                broker.send(identity, wire.Queued(id="s", role="hila", stage="offered", position=0))
                broker.send(identity, wire.Assigned(id="s", worker="ana", role="hila"))
                broker.send(identity, wire.Answered(id="s", decision="option", option="b", worker="ana", elapsed=3))

            player = asyncio.ensure_future(play())
            seen = [item async for item in client.stream("pick", options=["a", "b"], ticket_id="s")]
            await player
            assert [getattr(i, "stage", None) for i in seen[:2]] == ["waiting", "offered"]
            assert seen[2].kind == "assigned"
            assert isinstance(seen[-1], Outcome) and seen[-1].option == "b"

    run(main())


def test_asyncOnEvent_isAwaited(broker):
    async def main():
        seen = []

        async def on_event(event):
            await asyncio.sleep(0)
            seen.append(event.kind)

        async with AsyncClient(broker.endpoint, heartbeat=0.2) as client:
            pending = asyncio.ensure_future(client.ask("x", ticket_id="e", on_event=on_event))
            identity, _ = await asyncio.to_thread(broker.expect, wire.Ask)
            broker.send(identity, wire.TransferredMessage(id="e", reason="no-hila"))
            broker.send(identity, wire.Assigned(id="e", worker="lee", role="live"))
            outcome = await pending
            assert outcome.kind == "taken_over" and seen == ["transferred"]

    run(main())


def test_leavingTheStreamEarly_cancelsTheTicket(broker):
    async def main():
        async with AsyncClient(broker.endpoint, heartbeat=0.2) as client:
            async def play():
                identity, _ = await asyncio.to_thread(broker.expect, wire.Ask)
                broker.send(identity, wire.Queued(id="l", role="hila", stage="waiting", position=1))

            player = asyncio.ensure_future(play())
            stream = client.stream("x", ticket_id="l")
            async for _ in stream:
                break
            await stream.aclose()
            await player
            _, envelope = await asyncio.to_thread(broker.expect, wire.Cancel)
            assert envelope.message.id == "l" and client.open_tickets == ()

    run(main())
