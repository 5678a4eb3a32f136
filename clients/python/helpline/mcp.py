"""`helpline-mcp`: Helpline as an MCP server, so any MCP client (Claude Desktop, Cursor, the
OpenAI Agents SDK, LangChain's MCP adapters, ...) can ask a human with no code.

Tools:
- `ask_human(question, context?, options?, skills?)`: a human's answer.
- `request_approval(action, arguments, risk?, reason?)`: approve / reject / edit an action.

Both return structured results (and the same as JSON text, for older clients). While the
human thinks, the server sends MCP progress notifications (when the client asked for them
with a progress token): some clients give up on a tool call after a few seconds of silence.
When the client cancels the call (`notifications/cancelled`), the ticket is cancelled.

Run `helpline-mcp` (stdio, what desktop clients launch) or
`helpline-mcp --http --port 8765` (streamable HTTP on 127.0.0.1, path /mcp).
Needs `pip install "helpline[mcp]"`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import uuid
from typing import Any, Dict, List, Optional

from pydantic import BaseModel, Field

from mcp.server.mcpserver import Context, MCPServer

from . import __version__
from ._integration import portable, pump_updates
from .aio import DEFAULT_ENDPOINT, AsyncClient
from .curve import CurveKeys
from .outcome import ANSWERED, Event, Outcome

# How often a waiting tool call reports progress when nothing else happens: well under the
# 5 s some MCP clients allow a silent tool call by default.
DEFAULT_PROGRESS_SECONDS = 2.0
# `risk` of `request_approval` -> ticket priority (0-9): riskier actions are served first.
RISK_PRIORITY = {"low": 2, "medium": 5, "high": 8}


class HumanAnswer(BaseModel):
    """What became of an `ask_human` question."""

    ticket_id: str
    outcome: str = Field(description="answered, transferred (a human colleague took the conversation over: "
                                     "stop and wait), taken_over, expired (no human in time) or cancelled")
    decision: Optional[str] = Field(None, description="answer, option, approve, reject or edit")
    answer: Optional[str] = Field(None, description="the human's words")
    option: Optional[str] = Field(None, description="the offered option the human chose")
    edited: Any = Field(None, description="the human's edited content, for decision edit")
    worker: Optional[str] = None


class ApprovalResult(BaseModel):
    """What a human decided about an action."""

    ticket_id: str
    approved: bool = Field(description="true: go ahead, with `arguments` (the human may have edited them)")
    outcome: str = Field(description="answered, transferred, taken_over, expired or cancelled")
    decision: Optional[str] = Field(None, description="approve, edit or reject (when answered)")
    arguments: Any = Field(None, description="the arguments to run the action with, when approved")
    message: Optional[str] = Field(None, description="the human's reason or comment")
    worker: Optional[str] = None


def _answer(outcome: Outcome) -> HumanAnswer:
    return HumanAnswer(ticket_id=outcome.ticket_id, outcome=outcome.kind, decision=outcome.decision,
                       answer=outcome.text, option=outcome.option,
                       edited=outcome.edited if outcome.has_edit else None, worker=outcome.worker)


def _approval(outcome: Outcome, arguments: Any) -> ApprovalResult:
    approved = outcome.kind == ANSWERED and outcome.decision in ("approve", "edit", "option")
    if outcome.kind == ANSWERED and outcome.decision == "option":
        approved = outcome.option == "approve"
    final = None
    if approved:
        final = outcome.edited if outcome.decision == "edit" and outcome.has_edit else arguments
    return ApprovalResult(ticket_id=outcome.ticket_id, approved=approved, outcome=outcome.kind,
                          decision=outcome.decision, arguments=final, message=outcome.text,
                          worker=outcome.worker)


def _describe(event: Event) -> str:
    if event.kind == "queued":
        return f"queued for a human (position {event.position})" if event.position else "offered to a human"
    if event.kind == "assigned":
        return f"{event.worker or 'a human'} is looking at it"
    return f"handed to a live agent ({event.reason})"


class HelplineMCP:
    """The MCP server and its Helpline connection (one `AsyncClient`, made in the server's
    event loop on the first call)."""

    def __init__(self, endpoint: Optional[str] = None, *, skills: List[str] = (),
                 max_wait: float = 60.0, deadline: float = 3600.0,
                 progress_seconds: float = DEFAULT_PROGRESS_SECONDS,
                 curve: Optional[CurveKeys] = None):
        self.endpoint = endpoint or os.environ.get("HELPLINE_ENDPOINT", DEFAULT_ENDPOINT)
        self.skills = tuple(skills)
        self.max_wait = max_wait
        self.deadline = deadline
        self.progress_seconds = progress_seconds
        self.curve = curve
        self._client: Optional[AsyncClient] = None
        self.server = MCPServer(
            "helpline", version=__version__,
            instructions=("Ask a human through Helpline. Use ask_human when you are unsure or a "
                          "policy needs a person, request_approval before a risky action. A result "
                          "with outcome 'transferred' means a human colleague took the conversation "
                          "over: stop."))
        self.server.tool(name="ask_human", structured_output=True)(self._ask_human_tool())
        self.server.tool(name="request_approval", structured_output=True)(self._approval_tool())

    @property
    def client(self) -> AsyncClient:
        if self._client is None:
            self._client = AsyncClient(self.endpoint, curve=self.curve)
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()

    async def wait(self, ctx: Optional[Context], prompt: str, **ask: Any) -> Outcome:
        """Asks and waits, reporting progress to the MCP client; cancelling this coroutine
        (the client's `notifications/cancelled`) cancels the ticket."""
        updates: asyncio.Queue = asyncio.Queue()
        pump = asyncio.ensure_future(pump_updates(self.client.stream(prompt, **ask), updates))
        step, status = 0, "asked a human"
        try:
            while True:
                try:
                    item = await asyncio.wait_for(updates.get(), self.progress_seconds)
                except asyncio.TimeoutError:
                    item = None
                if isinstance(item, BaseException):
                    raise item
                if isinstance(item, Outcome):
                    return item
                if isinstance(item, Event):
                    status = _describe(item)
                step += 1
                if ctx is not None:
                    await ctx.report_progress(step, None, f"waiting for a human: {status}")
        finally:
            if not pump.done():
                pump.cancel()  # leaves the ticket's stream early: the client sends CANCEL
            await asyncio.gather(pump, return_exceptions=True)

    def _ask_human_tool(self):
        async def ask_human(question: str, ctx: Context, context: Optional[str] = None,
                            options: Optional[List[str]] = None,
                            skills: Optional[List[str]] = None) -> HumanAnswer:
            """Ask a human expert a question and wait for the answer (it may take minutes).

            Args:
                question: The question, with what the human needs to answer it.
                context: Background for the human (what you know, what you tried).
                options: Answers to offer as buttons (at most 16 short labels).
                skills: Skills the human must have (e.g. "refunds"); default: the server's.
            """
            outcome = await self.wait(
                ctx, question, context=context, options=tuple(options or ()),
                skills=tuple(skills) if skills else self.skills, max_wait=self.max_wait,
                deadline=self.deadline, ticket_id=f"mcp-{uuid.uuid4()}", stop_on_transfer=True)
            return _answer(outcome)

        return ask_human

    def _approval_tool(self):
        async def request_approval(action: str, arguments: Dict[str, Any], ctx: Context,
                                   risk: Optional[str] = None,
                                   reason: Optional[str] = None) -> ApprovalResult:
            """Ask a human to approve an action before you take it. Run it only if `approved`
            is true, and then with the returned `arguments` (the human may have edited them).

            Args:
                action: What you are about to do (a tool name or a short description).
                arguments: The action's arguments, as you would run it.
                risk: low, medium or high: riskier actions reach a human sooner.
                reason: Why you want to do it.
            """
            shown = ", ".join(f"{key}={value!r}" for key, value in arguments.items())
            prompt = f"Approve {action}({shown})?" + (f" Reason: {reason}" if reason else "")
            outcome = await self.wait(
                ctx, prompt, proposed=portable(arguments), skills=self.skills,
                context={"action": action, "risk": risk, "reason": reason},
                priority=RISK_PRIORITY.get((risk or "").lower(), 0), max_wait=self.max_wait,
                deadline=self.deadline, ticket_id=f"mcp-{uuid.uuid4()}", stop_on_transfer=True)
            return _approval(outcome, arguments)

        return request_approval

    async def run_http(self, host: str, port: int, announce=print) -> None:
        """Streamable HTTP on `host:port` (port 0: any free port), path /mcp."""
        import uvicorn

        listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(128)
        bound = listener.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        config = uvicorn.Config(self.server.streamable_http_app(host=host), log_level="warning")
        server = uvicorn.Server(config)
        announce(f"helpline-mcp listening on http://{shown}:{bound}/mcp", flush=True)
        try:
            await server.serve(sockets=[listener])
        finally:
            await self.close()

    async def run_stdio(self) -> None:
        try:
            await self.server.run_stdio_async()
        finally:
            await self.close()


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def main(argv: Optional[List[str]] = None) -> None:
    """The `helpline-mcp` console script."""
    parser = argparse.ArgumentParser(prog="helpline-mcp", description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", help="the broker (default $HELPLINE_ENDPOINT or tcp://127.0.0.1:5555)")
    parser.add_argument("--skill", action="append", default=[], help="skill every ticket needs (repeatable)")
    parser.add_argument("--max-wait", type=float, default=60.0, help="seconds a ticket waits for a HILA before live agents")
    parser.add_argument("--deadline", type=float, default=3600.0, help="seconds until a ticket expires")
    parser.add_argument("--progress", type=float, default=DEFAULT_PROGRESS_SECONDS, help="seconds between progress notifications")
    parser.add_argument("--http", action="store_true", help="serve streamable HTTP instead of stdio")
    parser.add_argument("--host", default="127.0.0.1", help="HTTP host: loopback only (127.0.0.1, ::1)")
    parser.add_argument("--port", type=int, default=8765, help="HTTP port (0: any free port)")
    args = parser.parse_args(argv)
    if args.http and args.host not in _LOOPBACK:
        parser.error("--host must be a loopback address: the server has no authentication")
    server = HelplineMCP(args.endpoint, skills=args.skill, max_wait=args.max_wait, deadline=args.deadline,
                         progress_seconds=args.progress, curve=CurveKeys.from_environment())
    try:
        if args.http:
            asyncio.run(server.run_http(args.host, args.port))
        else:
            # stdout is the MCP channel: nothing else may print there.
            asyncio.run(server.run_stdio())
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
