"""An MCP client (the `mcp` SDK's own) calling helpline-mcp's tools, as an agent would: no
LLM, the tool calls are written out. A human answers from `helpline console` or a
`helpline work` command.

    make run                                   # terminal 1: the broker
    .build/release/helpline console --name ana # terminal 2: the human (or helpline work)
    pip install "clients/python[mcp]"
    python examples/mcp/ask_over_mcp.py        # terminal 3: this agent
"""

from __future__ import annotations

import asyncio
import os
import sys

from mcp import Client
from mcp.client.stdio import StdioServerParameters


async def main() -> None:
    endpoint = os.environ.get("HELPLINE_ENDPOINT", "tcp://127.0.0.1:5555")
    server = StdioServerParameters(command=sys.executable, args=["-m", "helpline.mcp", "--endpoint", endpoint])

    async def progress(step, total, message):
        print(f"  ... {message}")

    async with Client(server) as session:
        print("request_approval(refund, order 1182, 240 EUR)")
        result = await session.call_tool(
            "request_approval", {"action": "refund", "arguments": {"order": "1182", "amount": 240},
                                 "risk": "high", "reason": "parcel arrived broken"},
            progress_callback=progress)
        decision = result.structured_content
        if decision["approved"]:
            print(f"approved: refunding with {decision['arguments']}")
        elif decision["outcome"] == "transferred":
            print("a colleague took the conversation over: the agent stops here")
        else:
            print(f"not approved ({decision['outcome']}): {decision['message']}")


if __name__ == "__main__":
    asyncio.run(main())
