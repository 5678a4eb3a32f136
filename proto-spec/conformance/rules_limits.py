"""1-HLP.md "Limits", "Clients" (quotas) and "Opening and closing": what the broker refuses."""

from hlp import ASK, QUEUED, WORKER, check, pack, unique
from kit import rule


@rule("Clients", "quota: an ASK beyond the open tickets allowed per connection is 429, nothing accepted")
def open_ticket_quota(k):
    client = k.client()
    skill = k.skill()
    quota = k.settings.open_ticket_quota
    for _ in range(quota):
        ticket = unique("t")
        client.ask(ticket, skills=[skill], role="live")
        client.expect(QUEUED, id=ticket)
    over = unique("over")
    client.ask(over, skills=[skill], role="live")
    client.expect_error(429, id=over, command=0x01)
    # Another connection has its own count.
    other = k.client("other")
    fine = unique("t")
    other.ask(fine, skills=[skill], role="live")
    other.expect(QUEUED, id=fine)
    # The refused id was not accepted: CANCEL does not know it.
    client.cancel(over)
    client.expect_error(404, id=over)


@rule("Limits", "a body over 1 MiB is 413, without id (the header is not read), and creates no ticket")
def body_too_large(k):
    client = k.client()
    ticket = unique("t")
    client.send_frames([b"HLPC01", bytes([ASK]), pack({"id": ticket}), b"x" * (1024 * 1024 + 1)])
    error = client.expect_error(413, command=0x01)
    check("id" not in error.header, f"413 carries an id: {error.header}")
    client.cancel(ticket)
    client.expect_error(404, id=ticket)


@rule("Limits", "a body of exactly 1 MiB is accepted and forwarded byte for byte")
def body_at_limit(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill])
    client = k.client()
    ticket = unique("t")
    body = bytes(range(256)) * 4096
    client.ask(ticket, body=body, skills=[skill])
    client.expect(QUEUED, id=ticket)
    assign = worker.expect_assign(ticket)
    check(assign.body == body, "the 1 MiB body changed on its way")


@rule("Opening and closing", "a second READY on a registered connection is 403; the registration is unchanged")
def second_ready(k):
    skill = k.skill()
    worker = k.worker("ana", skills=[skill], capacity=2)
    worker.ready(unique("bo"), role="live", expect_welcome=False)
    error = worker.expect_error(403, command=0x20)
    check(error.signature == WORKER, "ERROR not on HLPW01")
    worker.ready(worker.name, skills=[skill], capacity=5, expect_welcome=False)
    worker.expect_error(403, command=0x20)
    client = k.client()
    report = client.status()
    entry = [w for w in report["workers"] if w["name"] == worker.name]
    check(len(entry) == 1 and entry[0]["capacity"] == 2 and entry[0]["role"] == "hila", f"registration now {entry}")
    ticket = unique("t")
    client.ask(ticket, skills=[skill])
    worker.expect_assign(ticket)
