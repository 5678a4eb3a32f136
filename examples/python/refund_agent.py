#!/usr/bin/env python3
"""A refund agent that asks a human before refunding more than its limit.

Below the limit it refunds on its own. Above it, a HILA with the `refunds` skill sees the
proposed refund and may approve it, reject it (the agent tells the customer why), edit the
amount (the agent refunds what the human wrote), or transfer the customer to a live agent
(the agent stops and hands over).

    make run                                   # a broker on tcp://127.0.0.1:5555
    python3 examples/python/refund_agent.py --demo-human &   # a console that answers
    python3 examples/python/refund_agent.py 1182 240
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "clients", "python"))

from helpline import (  # noqa: E402
    Answer, Client, Expired, Rejected, Transfer, Transferred, Worker, require_approval,
)

ENDPOINT = os.environ.get("HELPLINE_ENDPOINT", "tcp://127.0.0.1:5555")
# Refunds up to this amount need no human: the cost of a wrong small refund is below the
# cost of making a customer wait.
REFUND_LIMIT_EUR = 100

client = Client(ENDPOINT)


@require_approval(
    skills=["refunds"], client=client, max_wait=120, deadline=1800,
    when=lambda order, amount, reason: amount > REFUND_LIMIT_EUR,
    prompt="Refund {amount} EUR on order {order}? Reason given: {reason}",
    context={"policy": f"agents refund up to {REFUND_LIMIT_EUR} EUR alone"})
def refund(order: str, amount: int, reason: str) -> str:
    # The real payment call goes here.
    return f"Refunded {amount} EUR on order {order}."


def handle_customer(order: str, amount: int, reason: str) -> str:
    """What the agent tells the customer."""
    try:
        return refund(order, amount, reason)
    except Rejected as rejected:
        return f"I cannot refund this order: {rejected.reason or 'our policy does not allow it'}."
    except Transferred:
        return "I am handing you over to a colleague who will take it from here."
    except Expired:
        return "Nobody could confirm the refund in time; we will contact you by e-mail."


def demo_human() -> None:
    """A console that plays the human: approves up to 300, halves up to 1000, else transfers."""

    def decide(ticket):
        amount = (ticket.proposed or {}).get("amount", 0)
        print(f"[human] {ticket.prompt}", flush=True)
        if amount <= 300:
            return Answer.approve()
        if amount <= 1000:
            return Answer.edit({"amount": amount // 2}, text="half now, the rest after the return")
        return Transfer("large refund: needs a manager")

    Worker(ENDPOINT, name="demo-human", skills=["refunds"], capacity=4).run(decide)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("order", nargs="?", default="1182")
    parser.add_argument("amount", nargs="?", type=int, default=240)
    parser.add_argument("--reason", default="parcel arrived damaged")
    parser.add_argument("--demo-human", action="store_true", help="run the demo console instead")
    args = parser.parse_args()
    if args.demo_human:
        demo_human()
        return
    try:
        print(handle_customer(args.order, args.amount, args.reason))
    finally:
        client.close()


if __name__ == "__main__":
    main()
